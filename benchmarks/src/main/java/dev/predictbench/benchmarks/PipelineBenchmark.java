package dev.predictbench.benchmarks;

import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.predictbench.model.Limits;
import dev.predictbench.model.PredictRequest;
import dev.predictbench.model.PredictResponse;
import dev.predictbench.model.PredictService;
import dev.predictbench.model.RequestValidator;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * The {@code /predict} request without HTTP: the bytes of a real request body in, the bytes of the
 * response body out, through the same calls a Jackson 2 server makes (Javalin, Quarkus, Helidon,
 * LangChain4j): bind with {@link StrictJson}'s mapper, {@link PredictService#predict} (validate,
 * infer, build the predictions), serialize. This is the fastest a server could answer one request
 * on one thread; what an HTTP run loses beyond it is the stack's own cost.
 *
 * <p>{@code baseline} does everything but the inference: it binds and validates the same body and
 * serializes a response computed once in setup. {@code requestToResponse} minus {@code baseline} is
 * what the model call costs inside a request; {@code baseline} is the share that is JSON and
 * validation. The score is per request ({@code rows} rows each, the contract's batch limit is 64);
 * {@code -prof gc} adds the bytes allocated per request.
 *
 * <p>Run it: {@code ./mvnw -Pjmh verify -Djmh.include=PipelineBenchmark} (see benchmarks/README.md).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(1)
@Threads(1)
@State(Scope.Benchmark)
public class PipelineBenchmark {
    /** Rows per request. */
    @Param({"1", "64"})
    public int rows;

    private PredictService service;
    private RequestValidator validator;
    private ObjectReader reader;
    private ObjectWriter writer;
    private byte[] requestBody;
    private PredictResponse cannedResponse;

    @Setup
    public void start() {
        service = Payloads.newService();
        validator = new RequestValidator(service.card().featureCount(), Limits.DEFAULT);
        // Readers and writers made once, as a server's JSON layer caches them.
        reader = StrictJson.newMapper().readerFor(PredictRequest.class);
        writer = StrictJson.newMapper().writerFor(PredictResponse.class);
        requestBody = Payloads.requestBody(rows);
        cannedResponse = Payloads.response(rows);
    }

    @TearDown
    public void stop() {
        service.close();
    }

    @Benchmark
    public byte[] requestToResponse() throws IOException {
        PredictRequest request = reader.readValue(requestBody);
        return writer.writeValueAsBytes(service.predict(request));
    }

    @Benchmark
    public byte[] baseline(Blackhole blackhole) throws IOException {
        PredictRequest request = reader.readValue(requestBody);
        blackhole.consume(validator.validate(request));
        return writer.writeValueAsBytes(cannedResponse);
    }
}
