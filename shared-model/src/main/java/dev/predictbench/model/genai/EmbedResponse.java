package dev.predictbench.model.genai;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * The body of a successful {@code POST /embed}: one unit vector of {@code dimensions} floats per
 * text, in the order of the request.
 */
@JsonPropertyOrder({"model", "dimensions", "embeddings"})
public record EmbedResponse(String model, int dimensions, List<float[]> embeddings) {
}
