package dev.predictbench.contract;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.predictbench.model.InferenceOptions;
import dev.predictbench.model.genai.EmbedRequest;
import dev.predictbench.model.genai.GenAiLimits;
import dev.predictbench.model.genai.GenAiService;
import dev.predictbench.model.genai.SearchRequest;
import dev.predictbench.model.genai.SearchResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What every server must answer on {@code /embed} and {@code /search} for fixed inputs: shared-model's
 * answers, pinned in {@code golden-genai.json}. The kit compares a server's answers with them
 * (same entries in the same order, scores and vector components within {@link #TOLERANCE}). The
 * queries describe things in the corpus in plain words; each query's scores are at least
 * {@link #TOLERANCE} apart, so rounding on another CPU cannot reorder them (a test checks).
 * Regenerate after a model or corpus change with
 * {@code ./mvnw -pl servers/contract -am test -Dgolden.write=true -Dtest=GoldenSearchesTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
public final class GoldenSearches {
    public static final String RESOURCE = "/dev/predictbench/contract/golden-genai.json";
    /** Scores and vector components may differ this much from the golden values (float rounding across CPUs). */
    public static final double TOLERANCE = 1e-4;

    /** The queries, with k. */
    static final List<SearchRequest> QUERIES = List.of(
            new SearchRequest("a large cat of Africa with a mane", 5),
            new SearchRequest("a large feline with a mane", 3),
            new SearchRequest("a tool for cutting wood", 5),
            new SearchRequest("a young lion", 3),
            new SearchRequest("the act of folding in parallel folds", 2),
            new SearchRequest("a place to keep money", 5));
    /** The text whose embedding is pinned. */
    static final String EMBEDDED_TEXT = "a large cat with a mane";

    /** A search and its answer. */
    public record Search(SearchRequest request, SearchResponse expected) {
    }

    /** The golden answers: one embedding and the searches. */
    public record Golden(String text, float[] embedding, List<Search> searches) {
    }

    private GoldenSearches() {
    }

    /** The committed golden answers. */
    public static Golden golden() {
        try (InputStream in = GoldenSearches.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing " + RESOURCE);
            }
            return new ObjectMapper().readValue(in, Golden.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What shared-model answers now. */
    public static Golden compute() {
        try (GenAiService service = GenAiService.load(InferenceOptions.DEFAULT, GenAiLimits.DEFAULT)) {
            List<Search> searches = new ArrayList<>();
            for (SearchRequest query : QUERIES) {
                searches.add(new Search(query, service.search(query)));
            }
            float[] embedding = service.embed(new EmbedRequest(List.of(EMBEDDED_TEXT))).embeddings().getFirst();
            return new Golden(EMBEDDED_TEXT, embedding, searches);
        }
    }

    static String toJson(Golden golden) throws IOException {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(golden) + "\n";
    }

    static void write(Path file) throws IOException {
        Files.writeString(file, toJson(compute()));
    }
}
