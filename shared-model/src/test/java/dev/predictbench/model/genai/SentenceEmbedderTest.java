package dev.predictbench.model.genai;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.predictbench.model.InferenceOptions;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SentenceEmbedderTest {
    /** Short and long, punctuation, digits, accents, CJK, emoji, and one far past 128 tokens. */
    static final List<String> SENTENCES = List.of(
            "a large cat with a mane",
            "Hello, world!",
            "The quick brown fox jumps over the lazy dog.",
            "large gregarious predatory feline of Africa and India having a tawny coat with a shaggy mane in the male",
            "an abalone found near the Channel Islands",
            "Naïve café owners in São Paulo serve crème brûlée at 7:30 p.m. (UTC-3).",
            "机器学习模型 serving with ONNX Runtime",
            "rocket 🚀 launch",
            "x",
            "A ".repeat(40) + "sentence that keeps going, " .repeat(20) + "and ends here.");

    private SentenceEmbedder embedder;
    private ExecutorService single;
    private AllMiniLmL6V2EmbeddingModel reference;

    @BeforeAll
    void load() {
        embedder = SentenceEmbedder.load(InferenceOptions.DEFAULT);
        single = Executors.newSingleThreadExecutor();
        // A single-thread executor: LangChain4j's default would start a pool of one thread per core.
        reference = new AllMiniLmL6V2EmbeddingModel(single);
    }

    @AfterAll
    void close() {
        embedder.close();
        single.shutdownNow();
    }

    @Test
    void embeddingsEqualLangChain4jsOwnAllMiniLmL6V2() {
        for (String sentence : SENTENCES) {
            float[] ours = embedder.embed(sentence);
            float[] theirs = reference.embed(sentence).content().vector();
            assertEquals(SentenceEmbedder.DIMENSIONS, theirs.length);
            double cosine = dot(ours, theirs) / Math.sqrt(dot(ours, ours) * dot(theirs, theirs));
            assertTrue(cosine >= 0.9999, "cosine " + cosine + " for: " + sentence);
        }
    }

    @Test
    void embeddingsAreUnitVectorsOf384Floats() {
        for (String sentence : SENTENCES) {
            float[] v = embedder.embed(sentence);
            assertEquals(384, v.length);
            assertEquals(1.0, Math.sqrt(dot(v, v)), 1e-5, sentence);
        }
    }

    @Test
    void longTextsAreTruncatedTo128Tokens() {
        String longText = SENTENCES.getLast();
        long[] ids = embedder.tokenIds(longText);
        assertEquals(SentenceEmbedder.MAX_TOKENS, ids.length);
        assertEquals(101, ids[0], "[CLS] first");
        assertEquals(102, ids[ids.length - 1], "[SEP] last");
        assertArrayEquals(embedder.embed(longText), embedder.embed(longText + " and words past the limit change nothing"));
    }

    @Test
    void sameTextSameVectorAloneOrWithOthers() {
        List<float[]> all = embedder.embedAll(SENTENCES);
        for (int i = 0; i < SENTENCES.size(); i++) {
            assertArrayEquals(embedder.embed(SENTENCES.get(i)), all.get(i), SENTENCES.get(i));
        }
    }

    @Test
    void similarMeaningsScoreHigherThanUnrelatedOnes() {
        float[] query = embedder.embed("a large cat with a mane");
        float[] lion = embedder.embed(SENTENCES.get(3));
        float[] abalone = embedder.embed(SENTENCES.get(4));
        assertTrue(dot(query, lion) > dot(query, abalone) + 0.2,
                "lion " + dot(query, lion) + ", abalone " + dot(query, abalone));
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }
}
