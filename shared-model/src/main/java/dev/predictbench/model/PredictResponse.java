package dev.predictbench.model;

import java.util.List;

/** The body of a successful {@code POST /predict}: one prediction per input row, in order. */
public record PredictResponse(String model, String version, List<Prediction> predictions) {
}
