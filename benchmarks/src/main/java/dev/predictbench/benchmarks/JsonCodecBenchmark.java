package dev.predictbench.benchmarks;

import dev.predictbench.model.PredictRequest;
import dev.predictbench.model.PredictResponse;
import java.io.IOException;
import java.util.Arrays;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What each stack's own JSON layer costs for the same {@code /predict} request and response: time
 * and, with {@code -prof gc}, bytes allocated per operation ({@code gc.alloc.rate.norm}). Every
 * server binds the same body to the same records; this shows how much of the difference between
 * stacks is the codec, before any HTTP.
 *
 * <p>{@code stack} names the layer, called as the server calls it (see {@link StackCodec}):
 * <ul>
 *   <li>{@code javalin}: shared-model's {@code HttpEdge.readJson} (the body by its limit, then
 *       StrictJson) over StrictJson's Jackson 2 mapper, the method the server's body binding calls;
 *       JavalinJackson writes, through a String. LangChain4j's server is hosted on the Javalin glue
 *       and shares this codec.</li>
 *   <li>{@code helidon-se}: {@code HttpEdge.readJson}, as the server reads; Helidon's JacksonSupport
 *       media writer, Jackson 2.</li>
 *   <li>{@code quarkus}: Jackson 2 ObjectReader/ObjectWriter on streams, as Quarkus REST's
 *       Jackson reader and writer call them (restated: those classes need the Quarkus runtime),
 *       over a mapper configured by StrictJson, as the server's customizer configures Quarkus's.</li>
 *   <li>{@code spring-boot}: Spring's JacksonJsonHttpMessageConverter over a Jackson 3 JsonMapper
 *       (tools.jackson, the version Spring Boot 4 manages) configured by shared-model's
 *       StrictJackson3, as the server's customizer configures Boot's.</li>
 * </ul>
 *
 * <p>{@code baseline} only copies the request and response bytes into new arrays: the floor any
 * layer pays to hold the bodies, with no JSON at all. It does not depend on the stack, so it runs
 * once per body size.
 *
 * <p>Run it: {@code ./mvnw -Pjmh verify -Djmh.include=JsonCodecBenchmark}; add
 * {@code -Djmh.args="-p rows=1,64"} for a 64-row batch too (see benchmarks/README.md).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(1)
@Threads(1)
public class JsonCodecBenchmark {

    /** The bodies: a request of {@code rows} rows and shared-model's response to it. */
    @State(Scope.Benchmark)
    public static class Bodies {
        @Param({"1"})
        public int rows;

        byte[] request;
        byte[] response;
        PredictResponse responseObject;

        @Setup
        public void build() throws IOException {
            request = Payloads.requestBody(rows);
            responseObject = Payloads.response(rows);
            response = StackCodec.forStack("quarkus").write(responseObject);
        }
    }

    /** The parameter naming the stack; {@link BenchmarkMain} sets its values from the registry. */
    static final String STACK_PARAM = "stack";

    /** One stack's JSON layer, built once as the server builds it. */
    @State(Scope.Benchmark)
    public static class Stack {
        /** Every stack of the registry with a JSON layer of its own ({@code Stacks.codecStacks()}), or {@code -p stack=...}. */
        @Param({})
        public String stack;

        StackCodec codec;

        @Setup
        public void build() {
            codec = StackCodec.forStack(stack);
        }
    }

    @Benchmark
    public PredictRequest read(Stack stack, Bodies bodies) throws IOException {
        return stack.codec.read(bodies.request);
    }

    @Benchmark
    public byte[] write(Stack stack, Bodies bodies) throws IOException {
        return stack.codec.write(bodies.responseObject);
    }

    @Benchmark
    public void baseline(Bodies bodies, Blackhole blackhole) {
        blackhole.consume(Arrays.copyOf(bodies.request, bodies.request.length));
        blackhole.consume(Arrays.copyOf(bodies.response, bodies.response.length));
    }
}
