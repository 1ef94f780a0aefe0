package dev.predictbench.model.genai;

/**
 * One search hit: a corpus index and its cosine similarity to the query (the dot product of two
 * unit vectors, in [-1, 1]).
 */
public record Neighbour(int index, float score) {
}
