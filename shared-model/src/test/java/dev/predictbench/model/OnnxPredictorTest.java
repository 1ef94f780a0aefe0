package dev.predictbench.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxPredictorTest {
    private static OnnxPredictor predictor;
    private static BreastCancerData data;

    @BeforeAll
    static void load() {
        predictor = OnnxPredictor.loadDefault(InferenceOptions.DEFAULT);
        data = BreastCancerData.load();
    }

    @AfterAll
    static void close() {
        predictor.close();
    }

    @Test
    void cardDescribesTheServedModel() {
        ModelCard card = predictor.card();
        assertEquals("breast-cancer-wisconsin", card.name());
        assertEquals(BreastCancerData.FEATURES, card.features());
        assertEquals(List.of("benign", "malignant"), card.classes().stream().sorted().toList());
        assertEquals(64, card.sha256().length());
        assertEquals("CC BY 4.0", card.dataset().licence());
        assertTrue(card.evaluation().heldOutSize() > 0);
    }

    @Test
    void firstDataSetRowIsMalignantWithProbabilitiesSummingToOne() {
        Prediction p = predictor.predict(new float[][] {data.rows().getFirst().floats()}).getFirst();
        assertEquals("malignant", p.label());
        assertEquals(1.0, p.probabilities().values().stream().mapToDouble(Double::doubleValue).sum(), 1e-6);
        assertEquals(predictor.card().classes(), List.copyOf(p.probabilities().keySet()));
    }

    @Test
    void batchAnswersEqualSingleRowAnswers() {
        float[][] batch = new float[64][];
        for (int i = 0; i < batch.length; i++) {
            batch[i] = data.rows().get(i * 7).floats();
        }
        List<Prediction> together = predictor.predict(batch);
        for (int i = 0; i < batch.length; i++) {
            assertEquals(predictor.predict(new float[][] {batch[i]}).getFirst(), together.get(i));
        }
    }

    @Test
    void eightThreadsPredictingAtOnceGetWhatASequentialLoopGets() throws Exception {
        List<float[][]> inputs = new ArrayList<>();
        for (int i = 0; i < data.rows().size(); i += 3) {
            inputs.add(new float[][] {data.rows().get(i).floats(), data.rows().get((i + 1) % data.rows().size()).floats()});
        }
        List<List<Prediction>> sequential = inputs.stream().map(predictor::predict).toList();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int round = 0; round < 5; round++) {
                List<Future<List<Prediction>>> futures = new ArrayList<>();
                for (float[][] input : inputs) {
                    futures.add(pool.submit((Callable<List<Prediction>>) () -> predictor.predict(input)));
                }
                for (int i = 0; i < inputs.size(); i++) {
                    assertEquals(sequential.get(i), futures.get(i).get(), "input " + i + " round " + round);
                }
            }
        }
    }

    @Test
    void refusesAModelFileThatDoesNotMatchItsCard(@TempDir Path dir) throws Exception {
        try (var in = OnnxPredictor.class.getResourceAsStream(OnnxPredictor.DEFAULT_MODEL_RESOURCE + OnnxPredictor.CARD_FILE)) {
            Files.write(dir.resolve(OnnxPredictor.CARD_FILE), in.readAllBytes());
        }
        Files.write(dir.resolve(OnnxPredictor.MODEL_FILE), new byte[] {1, 2, 3});
        var e = assertThrows(IllegalStateException.class, () -> OnnxPredictor.load(dir, InferenceOptions.DEFAULT));
        assertTrue(e.getMessage().contains("does not match its card"), e.getMessage());
    }

    @Test
    void loadsAModelFromAFolder(@TempDir Path dir) throws Exception {
        for (String file : List.of(OnnxPredictor.MODEL_FILE, OnnxPredictor.CARD_FILE)) {
            try (var in = OnnxPredictor.class.getResourceAsStream(OnnxPredictor.DEFAULT_MODEL_RESOURCE + file)) {
                Files.write(dir.resolve(file), in.readAllBytes());
            }
        }
        try (OnnxPredictor fromDisk = OnnxPredictor.load(dir, new InferenceOptions(2, 1,
                ai.onnxruntime.OrtSession.SessionOptions.OptLevel.BASIC_OPT))) {
            float[][] row = {data.rows().get(5).floats()};
            assertEquals(predictor.predict(row), fromDisk.predict(row));
        }
    }
}
