package dev.predictbench.model;

/** The body of {@code GET /health/live} and {@code GET /health/ready}. */
public record Health(String status) {
    public static final Health UP = new Health("UP");
}
