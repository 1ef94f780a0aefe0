package dev.predictbench.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.predictbench.model.genai.SearchResult;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class GoldenSearchesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void committedGoldenSearchesAreWhatSharedModelAnswers() throws Exception {
        if (Boolean.getBoolean("golden.write")) {
            GoldenSearches.write(Path.of("src/main/resources/dev/predictbench/contract/golden-genai.json"));
        }
        GoldenSearches.Golden current = GoldenSearches.compute();
        JsonNode now = JSON.readTree(GoldenSearches.toJson(current));
        JsonNode committed = JSON.readTree(GoldenSearches.toJson(GoldenSearches.golden()));
        // Same entries in the same order; scores within the tolerance, since another CPU may round
        // the last digits differently from the machine that wrote the file.
        List<GoldenSearches.Search> computed = current.searches();
        List<GoldenSearches.Search> golden = GoldenSearches.golden().searches();
        assertEquals(golden.size(), computed.size(), "golden-genai.json is stale: regenerate it (see GoldenSearches)");
        for (int q = 0; q < golden.size(); q++) {
            assertEquals(golden.get(q).request(), computed.get(q).request());
            List<SearchResult> want = golden.get(q).expected().results();
            List<SearchResult> got = computed.get(q).expected().results();
            assertEquals(want.stream().map(SearchResult::synset).toList(), got.stream().map(SearchResult::synset).toList(),
                    "golden-genai.json is stale for " + golden.get(q).request());
            for (int i = 0; i < want.size(); i++) {
                assertEquals(want.get(i).score(), got.get(i).score(), GoldenSearches.TOLERANCE);
            }
        }
        assertEquals(now.path("text"), committed.path("text"));
        for (int d = 0; d < 384; d++) {
            assertEquals(committed.path("embedding").get(d).asDouble(), now.path("embedding").get(d).asDouble(),
                    GoldenSearches.TOLERANCE, "embedding[" + d + "]");
        }
    }

    @Test
    void goldenScoresAreFarEnoughApartThatRoundingCannotReorderThem() {
        for (GoldenSearches.Search search : GoldenSearches.golden().searches()) {
            List<SearchResult> results = search.expected().results();
            assertEquals(search.request().k(), results.size());
            for (int i = 1; i < results.size(); i++) {
                assertTrue(results.get(i - 1).score() - results.get(i).score() > GoldenSearches.TOLERANCE,
                        search.request().query() + ": results " + (i - 1) + " and " + i + " are too close to pin an order");
            }
        }
    }

    @Test
    void describingALionFindsLion() {
        GoldenSearches.Search first = GoldenSearches.golden().searches().getFirst();
        assertEquals("a large cat of Africa with a mane", first.request().query());
        assertTrue(first.expected().results().getFirst().words().contains("lion"));
    }
}
