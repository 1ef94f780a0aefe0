package dev.predictbench.contract.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.predictbench.contract.Contract;
import dev.predictbench.contract.GoldenSearches;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The GenAI workload: {@code POST /embed} and {@code POST /search} against the golden vector and
 * searches, their bad requests, and their place in {@code /openapi}. A stack that serves the
 * workload composes these checks into its conformance test; the hostile corpus and the fuzzer
 * then include the workload's requests too.
 */
public interface GenAiChecks extends KitTarget {
    @TestFactory
    default Stream<DynamicTest> embedAnswersTheGoldenVectorAndOneUnitVectorPerText() {
        return Stream.of(DynamicTest.dynamicTest("POST /embed", () -> {
            GoldenSearches.Golden golden = GoldenSearches.golden();
            HttpProbe.Response r = http().postJson(Contract.EMBED,
                    Kit.JSON.writeValueAsString(Map.of("texts", List.of(golden.text(), "WordNet"))));
            assertEquals(200, r.status(), r.text());
            Kit.assertJson(r);
            JsonNode body = r.json();
            assertEquals("all-MiniLM-L6-v2", body.path("model").asText());
            assertEquals(384, body.path("dimensions").asInt());
            JsonNode embeddings = body.path("embeddings");
            assertEquals(2, embeddings.size(), "one embedding per text");
            for (JsonNode embedding : Kit.iterable(embeddings.elements())) {
                assertEquals(384, embedding.size());
                double norm = 0;
                for (JsonNode x : Kit.iterable(embedding.elements())) {
                    assertTrue(x.isNumber(), "embedding values are numbers");
                    norm += x.asDouble() * x.asDouble();
                }
                assertEquals(1.0, Math.sqrt(norm), 1e-4, "embeddings are unit vectors");
            }
            for (int d = 0; d < 384; d++) {
                assertEquals(golden.embedding()[d], embeddings.get(0).get(d).asDouble(), GoldenSearches.TOLERANCE,
                        "embedding[" + d + "] of '" + golden.text() + "'");
            }
        }));
    }

    @TestFactory
    default Stream<DynamicTest> goldenSearchesGetTheGoldenEntriesInOrder() {
        return GoldenSearches.golden().searches().stream().map(search ->
                DynamicTest.dynamicTest(search.request().query(), () -> {
                    HttpProbe.Response r = http().postJson(Contract.SEARCH, Kit.JSON.writeValueAsString(search.request()));
                    assertEquals(200, r.status(), r.text());
                    Kit.assertJson(r);
                    JsonNode body = r.json();
                    assertEquals(search.expected().model(), body.path("model").asText());
                    assertEquals(search.request().query(), body.path("query").asText());
                    JsonNode results = body.path("results");
                    assertEquals(search.expected().results().size(), results.size(), r.text());
                    for (int i = 0; i < results.size(); i++) {
                        var want = search.expected().results().get(i);
                        JsonNode got = results.get(i);
                        assertEquals(want.synset(), got.path("synset").asText(), "result " + i + ": " + r.text());
                        assertEquals(Kit.JSON.valueToTree(want.words()), got.path("words"), "result " + i);
                        assertEquals(want.gloss(), got.path("gloss").asText(), "result " + i);
                        assertEquals(want.score(), got.path("score").asDouble(), GoldenSearches.TOLERANCE, "result " + i);
                    }
                }));
    }

    @TestFactory
    default Stream<DynamicTest> searchWithoutKAndTheLargestEmbedAreAccepted() {
        return Stream.of(
                DynamicTest.dynamicTest("search without k gets 5 results", () -> {
                    HttpProbe.Response r = http().postJson(Contract.SEARCH, "{\"query\":\"a young lion\"}");
                    assertEquals(200, r.status(), r.text());
                    assertEquals(5, r.json().path("results").size());
                }),
                DynamicTest.dynamicTest("16 texts of 1000 characters, charset parameter", () -> {
                    String text = GenAiBadRequests.text(1000);
                    String body = Kit.JSON.writeValueAsString(Map.of("texts", Collections.nCopies(16, text)));
                    HttpProbe.Response r = http().send("POST", Contract.EMBED, "application/json; charset=utf-8",
                            body.getBytes(java.nio.charset.StandardCharsets.UTF_8), false);
                    assertEquals(200, r.status(), r.text());
                    assertEquals(16, r.json().path("embeddings").size());
                }));
    }

    @TestFactory
    default Stream<DynamicTest> everyGenAiBadRequestGetsItsErrorCodeAndTheServerStaysReady() {
        return eachGetsItsContractError(GenAiBadRequests.all());
    }

    @TestFactory
    default Stream<DynamicTest> openapiDescribesEmbedAndSearch() {
        return Stream.of(DynamicTest.dynamicTest("GET /openapi", () -> {
            String text = http().get(Contract.OPENAPI).text();
            assertTrue(text.contains(Contract.EMBED) && text.contains(Contract.SEARCH),
                    "the document must describe /embed and /search");
        }));
    }
}
