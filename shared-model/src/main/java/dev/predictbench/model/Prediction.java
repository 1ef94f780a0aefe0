package dev.predictbench.model;

import java.util.Map;

/** One row's answer: the most probable class and every class's probability, in card order. */
public record Prediction(String label, Map<String, Double> probabilities) {
}
