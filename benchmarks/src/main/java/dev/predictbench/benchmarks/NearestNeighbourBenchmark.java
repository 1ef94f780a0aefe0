package dev.predictbench.benchmarks;

import dev.predictbench.model.InferenceOptions;
import dev.predictbench.model.genai.CorpusVectors;
import dev.predictbench.model.genai.Neighbour;
import dev.predictbench.model.genai.SentenceEmbedder;
import dev.predictbench.model.genai.WordNetCorpus;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The search half of {@code /search} alone: the exact top-k over the 20,000 precomputed WordNet
 * gloss vectors (384 floats each, 30 MB, more than a CPU cache holds) for one query vector, with
 * no embedding, no HTTP, no JSON. {@code /search} costs about this plus one
 * {@link EmbeddingBenchmark#embed()} of the query.
 *
 * <p>{@code top5} is the default {@code k}, {@code top50} the contract's largest. The baseline,
 * {@code baselineScoresOnly}, is the same pass over every vector (one dot product each) writing the
 * scores out, without keeping the best k: {@code top5} minus it is what the selection costs, and it
 * shows how far the scan is from the memory bandwidth of the machine.
 *
 * <p>The query vector is the embedding of "a large cat with a mane", computed once in setup.
 *
 * <p>Run it: {@code ./mvnw -Pjmh verify -Djmh.include=NearestNeighbourBenchmark} (see benchmarks/README.md).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(1)
@Threads(1)
@State(Scope.Benchmark)
public class NearestNeighbourBenchmark {
    private CorpusVectors vectors;
    private float[] query;

    @Setup
    public void load() {
        vectors = CorpusVectors.load(WordNetCorpus.load());
        try (SentenceEmbedder embedder = SentenceEmbedder.load(InferenceOptions.DEFAULT)) {
            query = embedder.embed(EmbeddingBenchmark.QUERY);
        }
    }

    @Benchmark
    public List<Neighbour> top5() {
        return vectors.nearest(query, 5);
    }

    @Benchmark
    public List<Neighbour> top50() {
        return vectors.nearest(query, 50);
    }

    @Benchmark
    public float[] baselineScoresOnly() {
        return vectors.scores(query);
    }
}
