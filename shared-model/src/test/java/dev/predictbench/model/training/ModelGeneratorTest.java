package dev.predictbench.model.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictbench.model.BreastCancerData;
import dev.predictbench.model.InferenceOptions;
import dev.predictbench.model.OnnxPredictor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ModelGeneratorTest {
    private static ModelGenerator.Trained trained;
    private static OnnxPredictor committed;

    @BeforeAll
    static void train() {
        trained = ModelGenerator.train();
        committed = OnnxPredictor.loadDefault(InferenceOptions.DEFAULT);
    }

    @Test
    void regeneratingReproducesTheCommittedModelAndCard() throws IOException {
        assertArrayEquals(resource(OnnxPredictor.MODEL_FILE), trained.onnx(), "model.onnx differs: rerun the generator");
        assertEquals(committed.card().sha256(), OnnxPredictor.sha256(trained.onnx()));
        assertEquals(new String(resource(OnnxPredictor.CARD_FILE), StandardCharsets.UTF_8),
                ModelGenerator.cardJson(trained.card()));
    }

    @Test
    void heldOutSplitIsDisjointFromTrainingAndScoredHonestly() {
        assertEquals(569, trained.train().size() + trained.heldOut().size());
        assertEquals(114, trained.card().evaluation().heldOutSize());
        for (var row : trained.heldOut()) {
            assertTrue(trained.train().stream().noneMatch(t -> t == row));
        }
        long correct = trained.heldOut().stream().filter(row -> {
            float[] p = committed.probabilities(new float[][] {row.floats()});
            int best = p[0] >= p[1] ? 0 : 1;
            String expected = BreastCancerData.load().classNames().get(row.label());
            return committed.card().classes().get(best).equals(expected);
        }).count();
        assertEquals(trained.card().evaluation().heldOutAccuracy(), correct / (double) trained.heldOut().size(), 1e-6);
        assertTrue(trained.heldOutAccuracy() > 0.9, "a served model should be useful: " + trained.heldOutAccuracy());
    }

    @Test
    void onnxProbabilitiesEqualTribuosOwnWithinOneInHundredThousand() {
        List<BreastCancerData.Row> golden = BreastCancerData.load().rows().subList(0, 40);
        for (var row : golden) {
            double[] expected = trained.tribuoProbabilities(row.features());
            float[] actual = committed.probabilities(new float[][] {row.floats()});
            for (int c = 0; c < expected.length; c++) {
                assertEquals(expected[c], actual[c], 1e-5, "row " + golden.indexOf(row) + " class " + c);
            }
        }
    }

    private static byte[] resource(String file) throws IOException {
        try (InputStream in = OnnxPredictor.class.getResourceAsStream(OnnxPredictor.DEFAULT_MODEL_RESOURCE + file)) {
            return in.readAllBytes();
        }
    }
}
