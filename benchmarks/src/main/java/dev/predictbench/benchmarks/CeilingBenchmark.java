package dev.predictbench.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.predictbench.model.PredictRequest;
import dev.predictbench.model.PredictResponse;
import dev.predictbench.model.PredictService;
import dev.predictbench.model.RequestValidator;
import dev.predictbench.model.genai.EmbedRequest;
import dev.predictbench.model.genai.EmbedResponse;
import dev.predictbench.model.genai.GenAiService;
import dev.predictbench.model.genai.SearchRequest;
import dev.predictbench.model.genai.SearchResponse;
import dev.predictbench.model.json.StrictJson;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The in-process ceiling of each load workload, the figure the report's framework tax divides a
 * stack's HTTP throughput per core by: the whole request without HTTP, on one thread, in requests per
 * second. Request body bytes in, response body bytes out, through the calls a Jackson 2 server makes
 * (Javalin, Quarkus, Helidon; Spring Boot does the same with Jackson 3): bind with {@link StrictJson}'s
 * mapper, then shared-model's service as the servers build it at start
 * ({@link PredictService#fromEnvironment()}, {@link GenAiService#fromEnvironment()}): validate, infer
 * (and for search, scan the corpus vectors), build the response, serialize.
 *
 * <p>{@code workload} picks the endpoint: {@code tabular} is {@code POST /predict} (one row),
 * {@code embed} is {@code POST /embed} (one WordNet gloss), {@code search} is {@code POST /search}
 * (a gloss as the query, k = 5). The bodies are the load runner's ({@link Payloads#loadBodies}: the
 * same 1,000 seeded bodies in the same order), taken in turn, so the score is a mean over the load's
 * mix of inputs (for embed and search, of text lengths) rather than one fixed input.
 *
 * <p>Breakdowns of these live in the other suites: {@link PipelineBenchmark} (tabular: JSON and
 * validation against inference), {@link EmbeddingBenchmark} (the model call alone) and
 * {@link NearestNeighbourBenchmark} (the vector scan alone).
 *
 * <p>Run it: {@code ./mvnw -Pjmh verify -Djmh.include=CeilingBenchmark} (see benchmarks/README.md).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Fork(1)
@Threads(1)
@State(Scope.Benchmark)
public class CeilingBenchmark {
    /** The workload, as the load runner names it. */
    @Param({"tabular", "embed", "search"})
    public String workload;

    /** One endpoint without HTTP: request body in, response body out. */
    @FunctionalInterface
    interface Endpoint {
        byte[] answer(byte[] body) throws IOException;
    }

    private AutoCloseable service;
    private Endpoint endpoint;
    private byte[][] bodies;
    private int next;

    @Setup
    public void start() throws IOException {
        bodies = Payloads.loadBodies(workload, Payloads.LOAD_SEED);
        // Readers and writers made once, as a server's JSON layer caches them.
        ObjectMapper mapper = StrictJson.newMapper();
        switch (workload) {
            case "tabular" -> {
                PredictService predict = PredictService.fromEnvironment();
                service = predict;
                ObjectReader reader = mapper.readerFor(PredictRequest.class);
                ObjectWriter writer = mapper.writerFor(PredictResponse.class);
                endpoint = body -> writer.writeValueAsBytes(
                        predict.predict(StrictJson.<PredictRequest>requireBody(reader.readValue(body))));
                RequestValidator validator = new RequestValidator(predict.card().featureCount(), predict.limits());
                for (byte[] body : bodies) {
                    validator.validate(reader.readValue(body));
                }
            }
            case "embed" -> {
                GenAiService genAi = GenAiService.fromEnvironment();
                service = genAi;
                ObjectReader reader = mapper.readerFor(EmbedRequest.class);
                ObjectWriter writer = mapper.writerFor(EmbedResponse.class);
                endpoint = body -> writer.writeValueAsBytes(
                        genAi.embed(StrictJson.<EmbedRequest>requireBody(reader.readValue(body))));
                for (byte[] body : bodies) {
                    genAi.validator().validate((EmbedRequest) reader.readValue(body));
                }
            }
            case "search" -> {
                GenAiService genAi = GenAiService.fromEnvironment();
                service = genAi;
                ObjectReader reader = mapper.readerFor(SearchRequest.class);
                ObjectWriter writer = mapper.writerFor(SearchResponse.class);
                endpoint = body -> writer.writeValueAsBytes(
                        genAi.search(StrictJson.<SearchRequest>requireBody(reader.readValue(body))));
                for (byte[] body : bodies) {
                    genAi.validator().validate((SearchRequest) reader.readValue(body));
                }
            }
            default -> throw new IllegalArgumentException("workload must be tabular, embed or search, got " + workload);
        }
        // Every body passed the contract's validation above (a refused body would make the measurement
        // one of the error path); one full answer proves the endpoint works before the clock starts.
        endpoint.answer(bodies[0]);
    }

    @TearDown
    public void stop() throws Exception {
        service.close();
    }

    @Benchmark
    public byte[] requestToResponse() throws IOException {
        byte[] body = bodies[next];
        next = next + 1 == bodies.length ? 0 : next + 1;
        return endpoint.answer(body);
    }
}
