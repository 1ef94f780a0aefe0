package dev.predictbench.model.genai;

/**
 * The body of {@code POST /search}: a description to look up and how many entries to return
 * ({@code k}, optional: {@link GenAiLimits#defaultK()} when absent or null). Boxed so a missing
 * {@code k} is told apart from 0.
 */
public record SearchRequest(String query, Integer k) {
}
