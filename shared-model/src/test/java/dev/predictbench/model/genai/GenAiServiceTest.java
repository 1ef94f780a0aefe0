package dev.predictbench.model.genai;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.predictbench.model.ApiException;
import dev.predictbench.model.ErrorCode;
import dev.predictbench.model.InferenceOptions;
import dev.predictbench.model.json.StrictJson;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GenAiServiceTest {
    private static final ObjectMapper JSON = StrictJson.newMapper();
    private GenAiService service;

    @BeforeAll
    void load() {
        service = GenAiService.load(InferenceOptions.DEFAULT, GenAiLimits.DEFAULT);
    }

    @AfterAll
    void close() {
        service.close();
    }

    @Test
    void describingALionFindsLion() {
        assertEquals(List.of("02129165"), synsets("a large cat of Africa with a mane", 1));
        assertEquals(List.of("02129165"), synsets("a predatory feline with a mane", 1));
        assertTrue(synsets("a large feline with a mane", 3).contains("02129165"));
    }

    /**
     * The issue's own example does not find lion among three with this model: every gloss that says
     * "cat" (Persian cat, wildcat, tomcat, ...) is nearer to "a large cat with a mane" than lion's,
     * which says "feline". Pinned so a change of model, corpus or text shows here; lion is 17th.
     */
    @Test
    void aLargeCatWithAManeFindsCatsFirstAndLionInTheTop20() {
        List<SearchResult> results = service.search(new SearchRequest("a large cat with a mane", 20)).results();
        assertTrue(results.subList(0, 3).stream().allMatch(r -> r.gloss().contains("cat")), results.subList(0, 3).toString());
        assertTrue(results.stream().anyMatch(r -> r.synset().equals("02129165")), "no lion in the top 20");
    }

    private List<String> synsets(String query, int k) {
        return service.search(new SearchRequest(query, k)).results().stream().map(SearchResult::synset).toList();
    }

    @Test
    void searchAnswersKResultsBestFirstWithModelAndQuery() {
        SearchResponse response = service.search(new SearchRequest("a tool for cutting wood", 10));
        assertEquals(SentenceEmbedder.MODEL_NAME, response.model());
        assertEquals("a tool for cutting wood", response.query());
        assertEquals(10, response.results().size());
        for (int i = 1; i < 10; i++) {
            assertTrue(response.results().get(i - 1).score() >= response.results().get(i).score());
        }
        assertEquals(GenAiLimits.DEFAULT_K, service.search(new SearchRequest("a tool for cutting wood", null)).results().size());
    }

    @Test
    void searchScoresAreTheCosineOfQueryAndGlossEmbeddings() {
        SearchResult top = service.search(new SearchRequest("a young lion", 1)).results().getFirst();
        float[] query = service.embedder().embed("a young lion");
        float[] gloss = service.embedder().embed(top.gloss());
        assertEquals(SentenceEmbedderTest.dot(query, gloss), top.score(), 1e-5);
    }

    @Test
    void corpusVectorsAreTheEmbeddingsOfTheEntriesTexts() {
        for (int i : new int[] {0, 1, 11097, WordNetCorpus.SIZE - 1}) {
            assertArrayEquals(service.embedder().embed(service.corpus().entry(i).text()), service.vectors().vector(i),
                    1e-6f, "entry " + i);
        }
    }

    @Test
    void embedAnswersOneUnitVectorPerTextInOrder() throws Exception {
        EmbedResponse response = service.embed(new EmbedRequest(List.of("first text", "second text")));
        assertEquals("all-MiniLM-L6-v2", response.model());
        assertEquals(384, response.dimensions());
        assertEquals(2, response.embeddings().size());
        assertArrayEquals(service.embedder().embed("second text"), response.embeddings().get(1));
        JsonNode json = JSON.readTree(JSON.writeValueAsString(response));
        assertEquals(List.of("model", "dimensions", "embeddings"), fieldNames(json));
        assertEquals(384, json.path("embeddings").get(0).size());
        assertTrue(json.path("embeddings").get(0).get(0).isNumber());
    }

    @Test
    void searchJsonHasTheContractsFieldsInOrder() throws Exception {
        JsonNode json = JSON.readTree(JSON.writeValueAsString(service.search(new SearchRequest("lion", 2))));
        assertEquals(List.of("model", "query", "results"), fieldNames(json));
        assertEquals(List.of("synset", "words", "gloss", "score"), fieldNames(json.path("results").get(0)));
    }

    @Test
    void bodiesBindAndInvalidOnesGetTheirCodes() throws Exception {
        assertEquals(new SearchRequest("lion", 3), JSON.readValue("{\"query\":\"lion\",\"k\":3}", SearchRequest.class));
        assertEquals(ErrorCode.K_OUT_OF_RANGE, assertThrows(ApiException.class, () -> service.search(
                JSON.readValue("{\"query\":\"lion\",\"k\":51}", SearchRequest.class))).code());
        assertEquals(ErrorCode.TOO_MANY_TEXTS, assertThrows(ApiException.class, () -> service.embed(
                new EmbedRequest(java.util.Collections.nCopies(17, "a")))).code());
        assertEquals(ErrorCode.TEXT_TOO_LONG, assertThrows(ApiException.class, () -> service.embed(
                new EmbedRequest(List.of("a".repeat(1001))))).code());
        service.embed(new EmbedRequest(List.of("a".repeat(1000))));
    }

    @Test
    void respondBuildsTheSameBodyFromHitsFoundElsewhere() {
        SearchResponse direct = service.search(new SearchRequest("a large cat with a mane", 5));
        List<Neighbour> hits = service.vectors().nearest(service.embedder().embed("a large cat with a mane"), 5);
        assertEquals(direct, service.respond("a large cat with a mane", hits));
    }

    @Test
    void concurrentCallsGiveTheSequentialResults() throws Exception {
        List<String> queries = List.of("a large cat with a mane", "a young lion", "a tool for cutting wood",
                "the act of folding in parallel folds", "songbird with a yellow breast", "a smart bomb",
                "a place to keep money", "an animal that lives in the sea");
        List<SearchResponse> sequential = new ArrayList<>();
        List<EmbedResponse> sequentialEmbeds = new ArrayList<>();
        for (String q : queries) {
            sequential.add(service.search(new SearchRequest(q, 7)));
            sequentialEmbeds.add(service.embed(new EmbedRequest(List.of(q, q + "!"))));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Object[]>> calls = new ArrayList<>();
            for (int round = 0; round < 4; round++) {
                for (String q : queries) {
                    calls.add(() -> new Object[] {service.search(new SearchRequest(q, 7)),
                            service.embed(new EmbedRequest(List.of(q, q + "!")))});
                }
            }
            List<Future<Object[]>> futures = pool.invokeAll(calls);
            for (int i = 0; i < futures.size(); i++) {
                Object[] got = futures.get(i).get();
                int q = i % queries.size();
                assertEquals(sequential.get(q), got[0], queries.get(q));
                EmbedResponse embed = (EmbedResponse) got[1];
                for (int t = 0; t < 2; t++) {
                    assertArrayEquals(sequentialEmbeds.get(q).embeddings().get(t), embed.embeddings().get(t), queries.get(q));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void countsTextsAndSearches() {
        long texts = service.textsEmbedded();
        long searches = service.searches();
        service.embed(new EmbedRequest(List.of("one", "two", "three")));
        service.search(new SearchRequest("one", 1));
        assertTrue(service.textsEmbedded() >= texts + 3);
        assertTrue(service.searches() >= searches + 1);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
