package dev.predictbench.model;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * What a served model is, committed beside the {@code .onnx} file as JSON and served as is by
 * {@code GET /model}. {@code sha256} is the digest of the ONNX file; the loader refuses a file
 * that does not match it.
 *
 * @param features feature names in the order a client sends the values
 * @param classes  class names in the order of the model's probability output
 */
@JsonPropertyOrder({"name", "version", "sha256", "description", "algorithm", "dataset", "features", "classes",
        "inputs", "outputs", "evaluation", "training"})
public record ModelCard(
        String name,
        String version,
        String sha256,
        String description,
        String algorithm,
        Dataset dataset,
        List<String> features,
        List<String> classes,
        List<TensorSpec> inputs,
        List<TensorSpec> outputs,
        Evaluation evaluation,
        Map<String, Object> training) {

    /** Where the training data came from and under which licence. */
    public record Dataset(String name, String source, String licence, int rows) {
    }

    /** One input or output of the ONNX graph. Shape uses -1 for a dynamic dimension. */
    public record TensorSpec(String name, String type, List<Long> shape) {
    }

    /**
     * How well the model does on rows it never saw in training.
     *
     * @param heldOutAccuracy share of the held-out split classified correctly
     * @param heldOutSize     rows in the held-out split
     * @param trainSize       rows used for training
     * @param splitSeed       seed of the shuffle that made the split
     * @param candidates      cross-validated accuracy of each candidate model on the training split,
     *                        by name: the reason the served algorithm was chosen
     */
    public record Evaluation(double heldOutAccuracy, int heldOutSize, int trainSize, long splitSeed,
                             Map<String, Double> candidates) {
    }

    public int featureCount() {
        return features.size();
    }
}
