package dev.predictbench.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import dev.predictbench.model.InferenceOptions;
import dev.predictbench.model.OnnxPredictor;
import java.nio.FloatBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The inference ceiling: how many rows per second shared-model's ONNX Runtime session can classify
 * when nothing else runs, no HTTP, no JSON. Every server's {@code /predict} throughput is bounded
 * by this number, so the report divides the HTTP results by it to show each stack's framework tax.
 *
 * <p>Scores are per row ({@code @OperationsPerInvocation} = batch size), in both modes: throughput
 * (rows per microsecond; times 10^6 for rows per second) and average time per row. Compare
 * {@code batchOf1} with {@code batchOf64} to see how much of a single-row call is fixed cost
 * (JNI crossing, tensor and result objects) that batching spreads over the rows.
 *
 * <p>{@code baselineBatchOf*} copy the rows into the input {@link FloatBuffer} and create (and
 * free) the {@link OnnxTensor}, exactly as {@link OnnxPredictor} does before it runs the session:
 * the overhead inside every {@code batchOf*} score that is not the model itself.
 *
 * <p>{@code parallelBatchOf*} run the same calls from as many threads as the server's CPU set has
 * (one session shared by all threads, as in the servers; the session's own thread pools are
 * {@link InferenceOptions#DEFAULT}, one thread each). Their thread count is set by
 * {@link BenchmarkMain} from {@code -Djmh.serverCpus} (default 1); run by JMH's own main they use
 * every CPU the JVM sees ({@code Threads.MAX}). Scores of thread-parallel runs are summed over
 * threads for throughput and averaged for time.
 *
 * <p>Run it: {@code ./mvnw -Pjmh verify -Djmh.include=InferenceBenchmark [-Djmh.serverCpus=2]}
 * (see benchmarks/README.md).
 */
@BenchmarkMode({Mode.Throughput, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(1)
@State(Scope.Benchmark)
public class InferenceBenchmark {
    private OnnxPredictor predictor;
    private OrtEnvironment env;
    private int features;
    private float[][] rows1;
    private float[][] rows8;
    private float[][] rows64;

    @Setup
    public void load() {
        predictor = OnnxPredictor.loadDefault(InferenceOptions.DEFAULT);
        env = OrtEnvironment.getEnvironment();
        features = predictor.card().featureCount();
        rows1 = Payloads.dataSetRows(1);
        rows8 = Payloads.dataSetRows(8);
        rows64 = Payloads.dataSetRows(64);
    }

    @TearDown
    public void close() {
        predictor.close();
    }

    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(1)
    public float[] batchOf1() {
        return predictor.probabilities(rows1);
    }

    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(8)
    public float[] batchOf8() {
        return predictor.probabilities(rows8);
    }

    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(64)
    public float[] batchOf64() {
        return predictor.probabilities(rows64);
    }

    @Benchmark
    @Threads(Threads.MAX)
    @OperationsPerInvocation(1)
    public float[] parallelBatchOf1() {
        return predictor.probabilities(rows1);
    }

    @Benchmark
    @Threads(Threads.MAX)
    @OperationsPerInvocation(8)
    public float[] parallelBatchOf8() {
        return predictor.probabilities(rows8);
    }

    @Benchmark
    @Threads(Threads.MAX)
    @OperationsPerInvocation(64)
    public float[] parallelBatchOf64() {
        return predictor.probabilities(rows64);
    }

    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(1)
    public long baselineBatchOf1() throws OrtException {
        return inputTensorOnly(rows1);
    }

    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(8)
    public long baselineBatchOf8() throws OrtException {
        return inputTensorOnly(rows8);
    }

    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(64)
    public long baselineBatchOf64() throws OrtException {
        return inputTensorOnly(rows64);
    }

    /** OnnxPredictor's steps before {@code session.run}: fill the buffer, make the tensor, free it. */
    private long inputTensorOnly(float[][] rows) throws OrtException {
        FloatBuffer input = FloatBuffer.allocate(rows.length * features);
        for (float[] row : rows) {
            input.put(row);
        }
        input.flip();
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, input, new long[] {rows.length, features})) {
            return tensor.getInfo().getNumElements();
        }
    }
}
