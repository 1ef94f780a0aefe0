package dev.predictbench.equivalence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.predictbench.contract.Contract;
import dev.predictbench.contract.GoldenCases;
import dev.predictbench.contract.Stacks;
import dev.predictbench.contract.kit.HttpProbe;
import dev.predictbench.contract.launch.JvmSettings;
import dev.predictbench.contract.launch.ServerProcess;
import dev.predictbench.model.genai.WordNetCorpus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Starts all five servers from their runnable jars, as the benchmark runner does, and sends each
 * the same seeded inputs (real data-set rows and random valid rows): every stack must give the
 * same predictions, labels equal and probabilities within 1e-6, one row at a time and in batches;
 * the same search results for the same queries (same entries, same order, scores within 1e-5,
 * LangChain4j's own retrieval included) and the same embeddings.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EquivalenceIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SEED = 424242L;
    private static final int INPUTS = 240;
    private static final int BATCH = 16;

    private final Map<Stacks, ServerProcess> servers = new EnumMap<>(Stacks.class);
    private List<double[]> inputs;

    @BeforeAll
    void startEveryServer() {
        Path root = Stacks.repoRoot();
        JvmSettings jvm = JvmSettings.defaults();
        for (Stacks stack : Stacks.values()) {
            Path log = Path.of("target", "equivalence-logs", stack.id() + ".log");
            servers.put(stack, ServerProcess.start(stack, root, jvm, log, Map.of()));
        }
        for (ServerProcess server : servers.values()) {
            server.awaitOk(Contract.READY, null, Duration.ofSeconds(240));
        }
        inputs = GoldenCases.inputs(SEED, INPUTS);
    }

    @AfterAll
    void stopEveryServer() {
        servers.values().forEach(ServerProcess::close);
    }

    @Test
    void sameInputSamePredictionOnEveryServerOneRowAtATime() throws Exception {
        Map<Stacks, List<JsonNode>> answers = new EnumMap<>(Stacks.class);
        for (var server : servers.entrySet()) {
            HttpProbe http = new HttpProbe(server.getValue().baseUri());
            List<JsonNode> predictions = new ArrayList<>();
            for (double[] row : inputs) {
                predictions.add(predict(http, List.of(row), server.getKey()).get(0));
            }
            answers.put(server.getKey(), predictions);
        }
        assertAllEqual(answers);
    }

    @Test
    void sameInputSamePredictionOnEveryServerInBatches() throws Exception {
        Map<Stacks, List<JsonNode>> answers = new EnumMap<>(Stacks.class);
        for (var server : servers.entrySet()) {
            HttpProbe http = new HttpProbe(server.getValue().baseUri());
            List<JsonNode> predictions = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i += BATCH) {
                JsonNode batch = predict(http, inputs.subList(i, Math.min(inputs.size(), i + BATCH)), server.getKey());
                batch.forEach(predictions::add);
            }
            answers.put(server.getKey(), predictions);
        }
        assertAllEqual(answers);
    }

    @Test
    void everyServerReportsItsOwnStackOnTheSameJvm() throws Exception {
        String jvm = null;
        for (var server : servers.entrySet()) {
            JsonNode info = new HttpProbe(server.getValue().baseUri()).get(Contract.INFO).json();
            assertEquals(server.getKey().id(), info.path("stack").asText());
            if (jvm == null) {
                jvm = info.path("jvm").asText();
            }
            assertEquals(jvm, info.path("jvm").asText(), "every stack must run on the same JVM");
        }
    }

    @Test
    void sameQuerySameSearchResultsOnEveryServer() throws Exception {
        List<String> queries = new ArrayList<>(List.of("a large cat with a mane", "a large cat of Africa with a mane",
                "a vehicle with two wheels", "a place where books are kept"));
        List<WordNetCorpus.Entry> entries = WordNetCorpus.load().entries();
        java.util.Random random = new java.util.Random(SEED);
        while (queries.size() < 24) {
            queries.add(entries.get(random.nextInt(entries.size())).gloss());
        }
        Map<Stacks, List<JsonNode>> answers = new EnumMap<>(Stacks.class);
        for (var server : servers.entrySet()) {
            HttpProbe http = new HttpProbe(server.getValue().baseUri());
            List<JsonNode> results = new ArrayList<>();
            for (String query : queries) {
                HttpProbe.Response r = http.postJson("/search", JSON.writeValueAsString(Map.of("query", query, "k", 5)));
                assertEquals(200, r.status(), server.getKey().id() + ": " + r.text());
                results.add(r.json().path("results"));
            }
            answers.put(server.getKey(), results);
        }
        List<JsonNode> reference = answers.get(Stacks.JAVALIN);
        for (var entry : answers.entrySet()) {
            for (int q = 0; q < queries.size(); q++) {
                JsonNode want = reference.get(q);
                JsonNode got = entry.getValue().get(q);
                String where = entry.getKey().id() + " query '" + queries.get(q) + "'";
                assertEquals(5, got.size(), where);
                for (int i = 0; i < want.size(); i++) {
                    assertEquals(want.get(i).path("synset").asText(), got.get(i).path("synset").asText(), where + " rank " + i);
                    assertEquals(want.get(i).path("words"), got.get(i).path("words"), where + " rank " + i);
                    assertEquals(want.get(i).path("score").asDouble(), got.get(i).path("score").asDouble(), 1e-5, where + " rank " + i);
                }
            }
        }
    }

    @Test
    void sameTextSameEmbeddingOnEveryServer() throws Exception {
        List<String> texts = List.of("a large cat with a mane", "the quick brown fox", "ONNX Runtime in Java");
        JsonNode reference = null;
        for (var server : servers.entrySet()) {
            HttpProbe.Response r = new HttpProbe(server.getValue().baseUri()).postJson("/embed",
                    JSON.writeValueAsString(Map.of("texts", texts)));
            assertEquals(200, r.status(), server.getKey().id() + ": " + r.text());
            JsonNode embeddings = r.json().path("embeddings");
            assertEquals(texts.size(), embeddings.size());
            assertEquals(384, r.json().path("dimensions").asInt());
            if (reference == null) {
                reference = embeddings;
                continue;
            }
            for (int t = 0; t < texts.size(); t++) {
                for (int d = 0; d < 384; d++) {
                    assertEquals(reference.get(t).get(d).asDouble(), embeddings.get(t).get(d).asDouble(), 1e-6,
                            server.getKey().id() + " text " + t + " dimension " + d);
                }
            }
        }
    }

    private static JsonNode predict(HttpProbe http, List<double[]> rows, Stacks stack) throws Exception {
        HttpProbe.Response r = http.postJson(Contract.PREDICT, JSON.writeValueAsString(Map.of("instances", rows)));
        assertEquals(200, r.status(), stack.id() + ": " + r.text());
        JsonNode body = r.json();
        assertEquals("breast-cancer-wisconsin", body.path("model").asText(), stack.id());
        assertEquals(rows.size(), body.path("predictions").size(), stack.id());
        return body.path("predictions");
    }

    private void assertAllEqual(Map<Stacks, List<JsonNode>> answers) {
        List<JsonNode> reference = answers.get(Stacks.JAVALIN);
        assertEquals(INPUTS, reference.size());
        long labels = reference.stream().map(p -> p.path("label").asText()).distinct().count();
        assertTrue(labels == 2, "inputs should cover both classes");
        for (var entry : answers.entrySet()) {
            List<JsonNode> actual = entry.getValue();
            assertEquals(reference.size(), actual.size(), entry.getKey().id());
            for (int i = 0; i < reference.size(); i++) {
                String where = entry.getKey().id() + " input " + i;
                JsonNode want = reference.get(i);
                JsonNode got = actual.get(i);
                assertEquals(want.path("label").asText(), got.path("label").asText(), where);
                assertEquals(names(want.path("probabilities")), names(got.path("probabilities")), where);
                for (String label : names(want.path("probabilities"))) {
                    assertEquals(want.path("probabilities").path(label).asDouble(),
                            got.path("probabilities").path(label).asDouble(), 1e-6, where + " " + label);
                }
            }
        }
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
