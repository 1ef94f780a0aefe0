package dev.predictbench.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class GoldenCasesTest {

    @Test
    void committedGoldenPredictionsAreWhatSharedModelAnswers() throws Exception {
        if (Boolean.getBoolean("golden.write")) {
            GoldenCases.write(Path.of("src/main/resources/dev/predictbench/contract/golden-predictions.json"));
        }
        assertEquals(GoldenCases.toJson(GoldenCases.compute()), GoldenCases.toJson(GoldenCases.golden()),
                "golden-predictions.json is stale: regenerate it (see GoldenCases)");
    }

    @Test
    void inputsAreSeededAndMixRealAndRandomRows() {
        List<double[]> a = GoldenCases.inputs(7, 200);
        List<double[]> b = GoldenCases.inputs(7, 200);
        assertEquals(200, a.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(java.util.Arrays.toString(a.get(i)), java.util.Arrays.toString(b.get(i)));
        }
        assertTrue(GoldenCases.golden().stream().map(c -> c.expected().label()).distinct().count() == 2,
                "golden cases should hold both classes");
    }
}
