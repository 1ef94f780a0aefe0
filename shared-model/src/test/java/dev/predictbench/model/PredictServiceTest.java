package dev.predictbench.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PredictServiceTest {
    private static PredictService service;
    private static List<Double> firstRow;

    @BeforeAll
    static void load() {
        service = new PredictService(OnnxPredictor.loadDefault(InferenceOptions.DEFAULT), new Limits(1000, 1 << 20),
                new InflightLimit(new InflightLimit.Settings(4, 16, 1000)));
        firstRow = new ArrayList<>();
        for (float v : BreastCancerData.load().rows().getFirst().floats()) {
            firstRow.add((double) v);
        }
    }

    @AfterAll
    static void close() {
        service.close();
    }

    private static List<Double> rowWith(int feature, double value) {
        List<Double> row = new ArrayList<>(firstRow);
        row.set(feature, value);
        return row;
    }

    @Test
    void theFuzzTestsRowIsRefusedNotAnsweredWithNaN() {
        // seed -3381165085910667170, index 2391 of the conformance kit's fuzz test: 200 with NaN
        // probabilities on Javalin, 500 on LangChain4j.
        long before = service.rowsPredicted();
        ApiException e = assertThrows(ApiException.class,
                () -> service.predict(new PredictRequest(List.of(firstRow, rowWith(11, 3.028236e38)))));
        assertEquals(ErrorCode.NON_FINITE_VALUE, e.code());
        assertTrue(e.getMessage().startsWith("instances[1]"), e.getMessage());
        assertEquals(before, service.rowsPredicted(), "a refused batch is not counted");
    }

    @Test
    void everyFeatureAtTheFloatLimitsIsAnsweredFinitelyOrRefused() {
        for (int f = 0; f < firstRow.size(); f++) {
            for (double v : new double[] {3.0e38, -3.0e38, 1e30, -1e30}) {
                List<Double> row = rowWith(f, v);
                try {
                    PredictResponse r = service.predict(new PredictRequest(List.of(row)));
                    for (double p : r.predictions().getFirst().probabilities().values()) {
                        assertTrue(Double.isFinite(p) && p >= 0 && p <= 1, "feature " + f + " = " + v + ": " + r);
                    }
                } catch (ApiException e) {
                    assertEquals(ErrorCode.NON_FINITE_VALUE, e.code(), "feature " + f + " = " + v + ": " + e.getMessage());
                }
            }
        }
    }
}
