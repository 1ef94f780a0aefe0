package dev.predictbench.benchmarks;

import dev.predictbench.model.InferenceOptions;
import dev.predictbench.model.genai.SentenceEmbedder;
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
 * The embedding ceiling: how long shared-model's {@link SentenceEmbedder} (all-MiniLM-L6-v2 on ONNX
 * Runtime, the servers' session options) takes to embed one sentence on one thread, with no HTTP
 * and no JSON. {@code /embed} of one text and the query half of {@code /search} cannot be faster than
 * this, so the report divides the HTTP results by it.
 *
 * <p>{@code text} picks the sentence: {@code query} is the search, "a large cat with a mane"
 * (8 tokens with {@code [CLS]} and {@code [SEP]}), {@code gloss} is lion's WordNet gloss (25 tokens),
 * the length of a typical corpus entry. The transformer's cost grows with the tokens; compare the two.
 *
 * <p>{@code baselineTokenize} runs the tokenizer alone (Hugging Face tokenizers through DJL's JNI,
 * truncation included): the part of {@code embed} that is not the model. {@code embed} minus
 * {@code baselineTokenize} is the ONNX Runtime call, the mean pooling and the normalisation.
 *
 * <p>Run it: {@code ./mvnw -Pjmh verify -Djmh.include=EmbeddingBenchmark} (see benchmarks/README.md).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(1)
@Threads(1)
@State(Scope.Benchmark)
public class EmbeddingBenchmark {
    static final String QUERY = "a large cat with a mane";
    static final String GLOSS =
            "large gregarious predatory feline of Africa and India having a tawny coat with a shaggy mane in the male";

    /** Which sentence: {@code query} (8 tokens) or {@code gloss} (25 tokens). */
    @Param({"query", "gloss"})
    public String text;

    private SentenceEmbedder embedder;
    private String sentence;

    @Setup
    public void load() {
        embedder = SentenceEmbedder.load(InferenceOptions.DEFAULT);
        sentence = switch (text) {
            case "query" -> QUERY;
            case "gloss" -> GLOSS;
            default -> throw new IllegalArgumentException("text must be query or gloss, got " + text);
        };
    }

    @TearDown
    public void close() {
        embedder.close();
    }

    @Benchmark
    public float[] embed() {
        return embedder.embed(sentence);
    }

    @Benchmark
    public long[] baselineTokenize() {
        return embedder.tokenIds(sentence);
    }
}
