package dev.predictbench.model.genai;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** The body of a successful {@code POST /search}: the k best entries, best first, ties in corpus order. */
@JsonPropertyOrder({"model", "query", "results"})
public record SearchResponse(String model, String query, List<SearchResult> results) {
}
