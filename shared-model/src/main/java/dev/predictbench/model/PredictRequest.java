package dev.predictbench.model;

import java.util.List;

/**
 * The body of {@code POST /predict}: rows of raw feature values, in the order the model card
 * lists them. Boxed so that a JSON null reaches validation instead of becoming 0.
 */
public record PredictRequest(List<List<Double>> instances) {
}
