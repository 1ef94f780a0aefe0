package dev.predictbench.benchmarks;

import dev.predictbench.model.BatchSettings;
import dev.predictbench.model.CalibrationWork;
import dev.predictbench.model.DynamicBatcher;
import dev.predictbench.model.InferenceOptions;
import dev.predictbench.model.InflightLimit;
import dev.predictbench.model.genai.SentenceEmbedder;
import dev.predictbench.model.genai.WordNetCorpus;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * The batch curve: what one ONNX Runtime call of all-MiniLM-L6-v2 costs at batch sizes 1 to 64 on
 * the GenAI workload's own texts (the harness's seeded WordNet glosses, in the same order), on one
 * thread as the servers run it. {@code embedBatch} is the batcher's model call: each text tokenized,
 * the batch padded to its longest text, one run, mean pooling per text. Its secondary metric
 * {@code texts} is texts embedded per second: divided by {@code batch=1}'s, the most batching can
 * gain on this machine, before any HTTP.
 *
 * <p>{@code batcherAlone} and {@code direct} measure the batcher's own cost at batch 1: one call
 * through a {@link DynamicBatcher} on an idle model against the same model call made directly. The
 * model call is a trivial one, so the difference is the batcher's queueing and hand-back alone.
 *
 * <p>Run it: {@code ./mvnw -Pjmh verify -Djmh.include=BatchingBenchmark} (pinned: add
 * {@code -Djmh.cpuSet=0}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Fork(1)
@Threads(1)
public class BatchingBenchmark {
    /** The harness's seed ({@code bench.seed}) and body count: the glosses its embed workload sends. */
    static final long SEED = 20261125L;
    static final int TEXTS = 1000;

    @State(Scope.Benchmark)
    public static class Texts {
        @Param({"1", "2", "4", "8", "16", "32", "64"})
        public int batch;

        /**
         * {@code workload}: the glosses in the order the harness sends them, a random mix of lengths
         * that {@code embedBatch} groups by length; {@code byLength}: the same glosses sorted by token
         * count, each batch {@code batch} neighbours from a random place in that order, so its texts
         * are about as long as each other and padding costs next to nothing (the bound batching could
         * reach with requests of equal length).
         */
        @Param({"workload", "byLength"})
        public String order;

        SentenceEmbedder embedder;
        List<String> glosses;
        int next;
        final java.util.Random places = new java.util.Random(SEED);

        @Setup
        public void load() {
            embedder = SentenceEmbedder.load(InferenceOptions.DEFAULT);
            glosses = WordNetCorpus.load().glossSample(SEED, TEXTS);
            if (order.equals("byLength")) {
                glosses = glosses.stream().sorted(java.util.Comparator.comparingInt(t -> embedder.tokenIds(t).length)).toList();
            } else if (!order.equals("workload")) {
                throw new IllegalArgumentException("order must be workload or byLength, got " + order);
            }
        }

        /** The next {@code batch} glosses in the workload's order, wrapping round; by length, from a random place. */
        List<String> nextBatch() {
            if (order.equals("byLength")) {
                int from = places.nextInt(glosses.size() - batch + 1);
                return glosses.subList(from, from + batch);
            }
            if (next + batch > glosses.size()) {
                next = 0;
            }
            List<String> out = glosses.subList(next, next + batch);
            next += batch;
            return out;
        }

        @TearDown
        public void close() {
            embedder.close();
        }
    }

    /** Texts embedded, reported per second beside the time per batch. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Embedded {
        public long texts;

        @Setup(Level.Iteration)
        public void reset() {
            texts = 0;
        }
    }

    @Benchmark
    public List<float[]> embedBatch(Texts state, Embedded counted) {
        List<float[]> vectors = state.embedder.embedBatch(state.nextBatch());
        counted.texts += vectors.size();
        return vectors;
    }

    @State(Scope.Benchmark)
    public static class Idle {
        final DynamicBatcher.BatchFunction<int[], int[]> model = inputs -> inputs;
        DynamicBatcher<int[], int[]> batcher;
        final int[] input = {1};

        @Setup
        public void start() {
            BatchSettings on = BatchSettings.defaults().withEnabled(true);
            batcher = new DynamicBatcher<>("benchmark", new InflightLimit(new InflightLimit.Settings(4, 256, 2000),
                    CalibrationWork.of(0), on), in -> in.length, model);
        }
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public int[] batcherAlone(Idle idle) {
        return idle.batcher.call(idle.input);
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public int[] direct(Idle idle) {
        return idle.model.run(List.of(idle.input)).getFirst();
    }
}
