package dev.predictbench.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictbench.model.genai.CorpusVectors;
import dev.predictbench.model.genai.EmbedRequest;
import dev.predictbench.model.genai.GenAiLimits;
import dev.predictbench.model.genai.GenAiService;
import dev.predictbench.model.genai.SearchRequest;
import dev.predictbench.model.genai.SearchResponse;
import dev.predictbench.model.genai.SentenceEmbedder;
import dev.predictbench.model.genai.WordNetCorpus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The real models batched: many concurrent requests through the batcher give what each gives alone,
 * within the tolerances (1e-6 for the classifier's probabilities, 1e-5 for embeddings: a
 * batched matrix product adds in another order), and a refused input fails only its own request.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class BatchedInferenceTest {
    private static final InflightLimit.Settings ROOMY = new InflightLimit.Settings(4, 100_000, 60_000);
    private OnnxPredictor predictor;
    private PredictService unbatched;
    private SentenceEmbedder embedder;
    private GenAiService genAiAlone;
    private GenAiService genAiBatched;
    private List<String> glosses;

    @BeforeAll
    void load() {
        BatchSettings on = new BatchSettings(true, 32, List.of(), 0, 2);
        Limits limits = new Limits(1000, 1 << 20);
        predictor = OnnxPredictor.loadDefault(InferenceOptions.DEFAULT);
        unbatched = new PredictService(predictor, limits, new InflightLimit(ROOMY));
        embedder = SentenceEmbedder.load(InferenceOptions.DEFAULT);
        WordNetCorpus corpus = WordNetCorpus.load();
        CorpusVectors vectors = CorpusVectors.load(corpus);
        genAiAlone = new GenAiService(embedder, corpus, vectors, GenAiLimits.DEFAULT, new InflightLimit(ROOMY));
        genAiBatched = new GenAiService(embedder, corpus, vectors, GenAiLimits.DEFAULT,
                new InflightLimit(ROOMY, CalibrationWork.of(0), on));
        glosses = corpus.glossSample(20261125L, 300);
    }

    @AfterAll
    void close() {
        predictor.close();
        embedder.close();
    }

    private static List<Double> row(int i) {
        List<Double> row = new ArrayList<>();
        for (double v : BreastCancerData.load().rows().get(i % 569).features()) {
            row.add(v);
        }
        return row;
    }

    @Test
    void concurrentTabularRequestsGetTheirOwnPredictionsAndARefusedRowFailsOnlyItsRequest() throws Exception {
        List<Double> overflowing = row(0);
        overflowing.set(11, 3.028236e38);
        int requests = 600;
        List<PredictRequest> bodies = new ArrayList<>();
        for (int r = 0; r < requests; r++) {
            List<List<Double>> instances = new ArrayList<>();
            for (int i = 0; i <= r % 3; i++) {
                instances.add(row(r * 3 + i));
            }
            if (r % 50 == 7) {
                instances.add(overflowing);
            }
            bodies.add(new PredictRequest(instances));
        }
        // One model call at a time, so requests that arrive while it runs must queue and go together.
        // Whether any arrive in time is up to the scheduler (a loaded two-core machine can run the
        // callers one after another), so bursts repeat until one coalesced; every answer of every
        // burst is checked against the unbatched service.
        PredictService serial = new PredictService(predictor, new Limits(1000, 1 << 20),
                new InflightLimit(ROOMY, CalibrationWork.of(0), new BatchSettings(true, 32, List.of(), 0, 1)));
        DynamicBatcher<?, ?> batcher = serial.batcher().orElseThrow();
        int bursts = 0;
        do {
            bursts++;
            burst(serial, bodies);
        } while (batcher.batches() >= (long) bursts * requests && bursts < 10);
        assertTrue(batcher.batches() < (long) bursts * requests, "nothing was batched in " + bursts + " bursts: " + batcher.describe());
    }

    private void burst(PredictService service, List<PredictRequest> bodies) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(48);
        List<Future<PredictResponse>> answers = new ArrayList<>();
        for (PredictRequest body : bodies) {
            answers.add(pool.submit(() -> service.predict(body)));
        }
        for (int r = 0; r < bodies.size(); r++) {
            if (r % 50 == 7) {
                ExecutionException e = assertThrows(ExecutionException.class, answers.get(r)::get);
                assertEquals(ErrorCode.NON_FINITE_VALUE, ((ApiException) e.getCause()).code(), "request " + r);
                continue;
            }
            List<Prediction> got = answers.get(r).get().predictions();
            List<Prediction> alone = unbatched.predict(bodies.get(r)).predictions();
            assertEquals(alone.size(), got.size(), "request " + r);
            for (int i = 0; i < got.size(); i++) {
                assertEquals(alone.get(i).label(), got.get(i).label(), "request " + r + " row " + i);
                for (Map.Entry<String, Double> p : alone.get(i).probabilities().entrySet()) {
                    assertEquals(p.getValue(), got.get(i).probabilities().get(p.getKey()), 1e-6, "request " + r + " row " + i);
                }
            }
        }
        pool.shutdown();
    }

    @Test
    void aBatchOfTextsOfDifferentLengthsEmbedsAsEachAlone() {
        List<String> texts = new ArrayList<>(glosses.subList(0, 40));
        texts.add("cat");
        texts.add("word ".repeat(300));
        List<float[]> batch = embedder.embedBatch(texts);
        for (int i = 0; i < texts.size(); i++) {
            assertClose(embedder.embed(texts.get(i)), batch.get(i), 1e-5, "text " + i);
        }
    }

    @Test
    void concurrentEmbedAndSearchRequestsGetTheirOwnVectorsAndHits() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(48);
        List<Future<List<float[]>>> embeds = new ArrayList<>();
        List<Future<SearchResponse>> searches = new ArrayList<>();
        for (int r = 0; r < 150; r++) {
            List<String> texts = glosses.subList(r, r + 1 + r % 3);
            String query = glosses.get(299 - r);
            embeds.add(pool.submit(() -> genAiBatched.embed(new EmbedRequest(texts)).embeddings()));
            searches.add(pool.submit(() -> genAiBatched.search(new SearchRequest(query, 5))));
        }
        for (int r = 0; r < 150; r++) {
            List<float[]> got = embeds.get(r).get();
            List<float[]> alone = genAiAlone.embed(new EmbedRequest(glosses.subList(r, r + 1 + r % 3))).embeddings();
            assertEquals(alone.size(), got.size());
            for (int i = 0; i < got.size(); i++) {
                assertClose(alone.get(i), got.get(i), 1e-5, "embed request " + r + " text " + i);
            }
            SearchResponse hits = searches.get(r).get();
            SearchResponse hitsAlone = genAiAlone.search(new SearchRequest(glosses.get(299 - r), 5));
            assertEquals(hitsAlone.results().size(), hits.results().size());
            for (int i = 0; i < hits.results().size(); i++) {
                assertEquals(hitsAlone.results().get(i).score(), hits.results().get(i).score(), 1e-5, "search " + r + " hit " + i);
            }
            assertEquals(hitsAlone.results().getFirst().synset(), hits.results().getFirst().synset(), "search " + r);
        }
        pool.shutdown();
        DynamicBatcher<?, ?> batcher = genAiBatched.batcher().orElseThrow();
        assertTrue(batcher.batches() < 300 && batcher.largestBatch() <= 32, batcher.describe());
    }

    private static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int d = 0; d < expected.length; d++) {
            assertEquals(expected[d], actual[d], tolerance, what + " dimension " + d);
        }
    }
}
