package dev.predictbench.model.genai;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * One entry found by {@code /search}.
 *
 * @param synset WordNet 3.0's synset offset (eight digits), a stable id of the entry
 * @param words  the entry's lemmas, the answer of a reverse dictionary
 * @param gloss  the entry's definition, the text that was matched
 * @param score  cosine similarity between the query and the gloss, in [-1, 1], the shortest decimal
 *               of the 32-bit score (the same digits on every stack)
 */
@JsonPropertyOrder({"synset", "words", "gloss", "score"})
public record SearchResult(String synset, List<String> words, String gloss, double score) {
}
