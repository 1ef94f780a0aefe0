package dev.predictbench.langchain4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictbench.contract.GoldenSearches;
import dev.predictbench.model.ApiException;
import dev.predictbench.model.InferenceOptions;
import dev.predictbench.model.genai.EmbedRequest;
import dev.predictbench.model.genai.EmbedResponse;
import dev.predictbench.model.genai.GenAiLimits;
import dev.predictbench.model.genai.GenAiService;
import dev.predictbench.model.genai.SearchRequest;
import dev.predictbench.model.genai.SearchResponse;
import dev.predictbench.model.genai.SearchResult;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * LangChain4j's retrieval ({@link GlossRetrieval}) against shared-model's exact search
 * ({@link GenAiService#search}): the same entries, in the same order, scores within 1e-5.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GlossRetrievalTest {
    private static final double SCORE_TOLERANCE = 1e-5;

    private GenAiService service;
    private GlossRetrieval retrieval;

    @BeforeAll
    void load() {
        service = GenAiService.load(InferenceOptions.DEFAULT, GenAiLimits.DEFAULT);
        retrieval = new GlossRetrieval(service);
    }

    @AfterAll
    void close() {
        service.close();
    }

    @Test
    void goldenQueriesGetTheSameEntriesOrderAndScoresAsSharedModel() {
        for (GoldenSearches.Search golden : GoldenSearches.golden().searches()) {
            SearchRequest request = golden.request();
            assertSame(service.search(request), retrieval.search(request));
            // And at the largest k, where far more near-ties are in play.
            SearchRequest widest = new SearchRequest(request.query(), GenAiLimits.DEFAULT.maxK());
            assertSame(service.search(widest), retrieval.search(widest));
        }
    }

    @Test
    void identicalGlossesTiedAtTheKthPlaceAreKeptInCorpusOrder() {
        // "a genus of bacteria" is the gloss of several entries, all with one vector: their scores
        // are identical, and LangChain4j's top-k heap alone would keep an arbitrary few of them.
        assertTrue(retrieval.mostCopies() > 1, "the corpus has repeated glosses");
        for (int k = 1; k <= 12; k++) {
            SearchRequest request = new SearchRequest("a genus of bacteria", k);
            assertSame(service.search(request), retrieval.search(request));
        }
    }

    @Test
    void embedGoesThroughTheEmbeddingModelAndEqualsSharedModel() {
        EmbedRequest request = new EmbedRequest(List.of("a large cat with a mane", "WordNet"));
        EmbedResponse expected = service.embed(request);
        EmbedResponse actual = retrieval.embed(request);
        assertEquals(expected.model(), actual.model());
        assertEquals(expected.dimensions(), actual.dimensions());
        assertEquals(2, actual.embeddings().size());
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(expected.embeddings().get(i), actual.embeddings().get(i));
        }
        assertEquals(2, retrieval.textsEmbedded());
    }

    @Test
    void badRequestsGetSharedModelsErrors() {
        for (SearchRequest bad : List.of(new SearchRequest(null, 3), new SearchRequest(" ", 3),
                new SearchRequest("lion", 0), new SearchRequest("lion", 51))) {
            ApiException expected = assertThrows(ApiException.class, () -> service.search(bad));
            ApiException actual = assertThrows(ApiException.class, () -> retrieval.search(bad));
            assertEquals(expected.body(), actual.body(), bad.toString());
        }
        EmbedRequest empty = new EmbedRequest(List.of());
        assertEquals(assertThrows(ApiException.class, () -> service.embed(empty)).body(),
                assertThrows(ApiException.class, () -> retrieval.embed(empty)).body());
    }

    private static void assertSame(SearchResponse expected, SearchResponse actual) {
        assertEquals(expected.model(), actual.model());
        assertEquals(expected.query(), actual.query());
        assertEquals(expected.results().size(), actual.results().size(), expected.query());
        for (int i = 0; i < expected.results().size(); i++) {
            SearchResult want = expected.results().get(i);
            SearchResult got = actual.results().get(i);
            String what = "'" + expected.query() + "' result " + i;
            assertEquals(want.synset(), got.synset(), what);
            assertEquals(want.words(), got.words(), what);
            assertEquals(want.gloss(), got.gloss(), what);
            assertEquals(want.score(), got.score(), SCORE_TOLERANCE, what);
        }
    }
}
