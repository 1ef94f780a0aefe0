package dev.predictbench.benchmarks;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.predictbench.contract.GoldenCases;
import dev.predictbench.model.BreastCancerData;
import dev.predictbench.model.InferenceOptions;
import dev.predictbench.model.Limits;
import dev.predictbench.model.OnnxPredictor;
import dev.predictbench.model.PredictRequest;
import dev.predictbench.model.PredictResponse;
import dev.predictbench.model.PredictService;
import dev.predictbench.model.json.StrictJson;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The inputs every suite shares: real rows of the bundled data set, and {@code /predict} bodies
 * built from the contract's seeded golden inputs, so the suites measure what the servers are sent.
 */
final class Payloads {
    private Payloads() {
    }

    /** The first {@code count} rows of the data set as the float rows the model takes. */
    static float[][] dataSetRows(int count) {
        List<BreastCancerData.Row> rows = BreastCancerData.load().rows();
        float[][] out = new float[count][];
        for (int i = 0; i < count; i++) {
            out[i] = rows.get(i % rows.size()).floats();
        }
        return out;
    }

    /** A {@code /predict} request of {@code rows} rows from {@link GoldenCases#inputs}. */
    static PredictRequest request(int rows) {
        List<List<Double>> instances = new ArrayList<>(rows);
        for (double[] row : GoldenCases.inputs(GoldenCases.GOLDEN_SEED, rows)) {
            instances.add(Arrays.stream(row).boxed().toList());
        }
        return new PredictRequest(instances);
    }

    /** The request's body as a client sends it: compact JSON, UTF-8. */
    static byte[] requestBody(int rows) {
        try {
            return StrictJson.newMapper().writeValueAsBytes(request(rows));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** shared-model's answer to {@link #request(int)}. */
    static PredictResponse response(int rows) {
        try (PredictService service = newService()) {
            return service.predict(request(rows));
        }
    }

    /** What every server builds once at start: the default model and limits, one session. */
    static PredictService newService() {
        return new PredictService(OnnxPredictor.loadDefault(InferenceOptions.DEFAULT), Limits.DEFAULT);
    }
}
