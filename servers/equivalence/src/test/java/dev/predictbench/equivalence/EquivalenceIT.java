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
 * Starts every stack's server as the benchmark runner does (the JVM stacks from their runnable jars,
 * the Python stacks in their virtual environment), and sends each
 * the same seeded inputs (real data-set rows and random valid rows): every stack must give the
 * same predictions, labels equal and probabilities within 1e-6, one row at a time and in batches;
 * the same search results for the same queries (same entries, same order, scores within 1e-5,
 * LangChain4j's own retrieval included) and the same embeddings. The reference is Javalin's
 * answers; {@link BatchedEquivalenceIT} runs the same checks with batching on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EquivalenceIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SEED = 424242L;
    private static final int INPUTS = 240;
    private static final int BATCH = 16;

    final Map<Stacks, ServerProcess> servers = new EnumMap<>(Stacks.class);
    /** The server whose answers every stack's must equal. */
    ServerProcess reference;
    private List<double[]> inputs;

    /**
     * The stacks under test: every stack of the registry whose build could run it here (without
     * python3 the Python stacks are left out, and the reason printed).
     */
    List<Stacks> stacks() {
        Path root = Stacks.repoRoot();
        List<Stacks> out = new ArrayList<>();
        for (Stacks stack : Stacks.values()) {
            stack.unavailable(root).ifPresentOrElse(
                    reason -> System.err.println("equivalence: " + stack.id() + " left out: " + reason), () -> out.add(stack));
        }
        return out;
    }

    /** The environment the servers under test start with. */
    Map<String, String> environment() {
        return Map.of();
    }

    /** Requests each server is sent at once (answers are compared in the order of the inputs). */
    int concurrency() {
        return 1;
    }

    /** How far an embedding value may be from the reference's. */
    double embeddingTolerance() {
        return 1e-6;
    }

    /** The reference server: Javalin among the servers under test (a subclass may start one of its own). */
    ServerProcess startReference(Path root, JvmSettings jvm) {
        return servers.get(Stacks.JAVALIN);
    }

    Path log(String name) {
        return Path.of("target", "equivalence-logs", name + ".log");
    }

    @BeforeAll
    void startEveryServer() {
        Path root = Stacks.repoRoot();
        JvmSettings jvm = JvmSettings.defaults();
        String suffix = environment().isEmpty() ? "" : "-" + environment().values().iterator().next();
        for (Stacks stack : stacks()) {
            servers.put(stack, ServerProcess.start(stack, root, jvm, log(stack.id() + suffix), environment()));
        }
        ServerProcess own = startReference(root, jvm);
        boolean shared = servers.containsValue(own);
        reference = own;
        for (Map.Entry<Stacks, ServerProcess> e : servers.entrySet()) {
            Stacks stack = e.getKey();
            e.setValue(ready(e.getValue(), () -> ServerProcess.start(stack, root, jvm, log(stack.id() + suffix + "-again"),
                    environment())));
        }
        reference = shared ? servers.get(Stacks.JAVALIN) : ready(own, () -> startReference(root, jvm));
        inputs = GoldenCases.inputs(SEED, INPUTS);
    }

    /**
     * Waits until a server is ready. The launcher picks a free port and the server binds it seconds
     * later, while nine servers start at once; meanwhile the kernel may give that port to another
     * socket. A server that exited because its address was in use is started once more, on a new port;
     * any other failure fails the test.
     */
    private static ServerProcess ready(ServerProcess server, java.util.function.Supplier<ServerProcess> again) {
        try {
            server.awaitOk(Contract.READY, null, Duration.ofSeconds(240));
            return server;
        } catch (IllegalStateException e) {
            if (!lostItsPort(server.log())) {
                throw e;
            }
            server.close();
            ServerProcess second = again.get();
            second.awaitOk(Contract.READY, null, Duration.ofSeconds(240));
            return second;
        }
    }

    private static boolean lostItsPort(Path log) {
        try {
            return java.nio.file.Files.readString(log).toLowerCase(java.util.Locale.ROOT).contains("address already in use");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @AfterAll
    void stopEveryServer() {
        servers.values().forEach(ServerProcess::close);
        if (reference != null) {
            reference.close();
        }
    }

    /** Each body's answer from one server, sent {@link #concurrency()} at a time, in the bodies' order. */
    List<HttpProbe.Response> send(ServerProcess server, String path, List<String> bodies, int inFlight) throws Exception {
        HttpProbe http = new HttpProbe(server.baseUri());
        if (inFlight == 1) {
            List<HttpProbe.Response> out = new ArrayList<>();
            for (String body : bodies) {
                out.add(http.postJson(path, body));
            }
            return out;
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(inFlight);
        try {
            List<java.util.concurrent.Future<HttpProbe.Response>> futures = new ArrayList<>();
            for (String body : bodies) {
                futures.add(pool.submit(() -> http.postJson(path, body)));
            }
            List<HttpProbe.Response> out = new ArrayList<>();
            for (var future : futures) {
                out.add(future.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The servers under test, then the reference under the key {@code null} (what the others are compared with). */
    private Map<Stacks, List<HttpProbe.Response>> everyAnswer(String path, List<String> bodies) throws Exception {
        Map<Stacks, List<HttpProbe.Response>> out = new java.util.LinkedHashMap<>();
        for (var server : servers.entrySet()) {
            out.put(server.getKey(), send(server.getValue(), path, bodies, concurrency()));
        }
        out.put(null, send(reference, path, bodies, 1));
        return out;
    }

    @Test
    void sameInputSamePredictionOnEveryServerOneRowAtATime() throws Exception {
        List<List<double[]>> requests = new ArrayList<>();
        for (double[] row : inputs) {
            requests.add(List.of(row));
        }
        assertAllEqual(predictions(requests));
    }

    @Test
    void sameInputSamePredictionOnEveryServerInBatches() throws Exception {
        List<List<double[]>> requests = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i += BATCH) {
            requests.add(inputs.subList(i, Math.min(inputs.size(), i + BATCH)));
        }
        assertAllEqual(predictions(requests));
    }

    /** Every server's predictions for the requests, one list of rows per server, in the inputs' order. */
    private Map<Stacks, List<JsonNode>> predictions(List<List<double[]>> requests) throws Exception {
        List<String> bodies = new ArrayList<>();
        for (List<double[]> rows : requests) {
            bodies.add(JSON.writeValueAsString(Map.of("instances", rows)));
        }
        Map<Stacks, List<JsonNode>> answers = new java.util.LinkedHashMap<>();
        for (var entry : everyAnswer(Contract.PREDICT, bodies).entrySet()) {
            String who = entry.getKey() == null ? "reference" : entry.getKey().id();
            List<JsonNode> predictions = new ArrayList<>();
            for (int r = 0; r < requests.size(); r++) {
                HttpProbe.Response response = entry.getValue().get(r);
                assertEquals(200, response.status(), who + ": " + response.text());
                JsonNode body = response.json();
                assertEquals("breast-cancer-wisconsin", body.path("model").asText(), who);
                assertEquals(requests.get(r).size(), body.path("predictions").size(), who);
                body.path("predictions").forEach(predictions::add);
            }
            answers.put(entry.getKey(), predictions);
        }
        return answers;
    }

    @Test
    void everyServerReportsItsOwnStackOnTheSameRuntime() throws Exception {
        // Every JVM stack on the one JVM, every Python stack on the one interpreter of the shared environment.
        Map<String, String> runtimes = new java.util.HashMap<>();
        for (var server : servers.entrySet()) {
            JsonNode info = new HttpProbe(server.getValue().baseUri()).get(Contract.INFO).json();
            assertEquals(server.getKey().id(), info.path("stack").asText());
            String field = server.getKey().isJvm() ? "jvm" : "python";
            String runtime = info.path(field).asText();
            assertTrue(!runtime.isBlank(), server.getKey().id() + " names no " + field + ": " + info);
            assertEquals(runtimes.computeIfAbsent(field, f -> runtime), runtime, "every stack must run on the same " + field);
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
        List<String> bodies = new ArrayList<>();
        for (String query : queries) {
            bodies.add(JSON.writeValueAsString(Map.of("query", query, "k", 5)));
        }
        Map<Stacks, List<JsonNode>> answers = new java.util.LinkedHashMap<>();
        for (var entry : everyAnswer("/search", bodies).entrySet()) {
            List<JsonNode> results = new ArrayList<>();
            for (HttpProbe.Response r : entry.getValue()) {
                assertEquals(200, r.status(), (entry.getKey() == null ? "reference" : entry.getKey().id()) + ": " + r.text());
                results.add(r.json().path("results"));
            }
            answers.put(entry.getKey(), results);
        }
        List<JsonNode> reference = answers.remove(null);
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
        List<List<String>> requests = new ArrayList<>(List.of(
                List.of("a large cat with a mane", "the quick brown fox", "ONNX Runtime in Java")));
        List<WordNetCorpus.Entry> entries = WordNetCorpus.load().entries();
        java.util.Random random = new java.util.Random(SEED + 1);
        while (requests.size() < 48) {
            List<String> texts = new ArrayList<>();
            for (int t = 0; t <= requests.size() % 3; t++) {
                texts.add(entries.get(random.nextInt(entries.size())).gloss());
            }
            requests.add(texts);
        }
        List<String> bodies = new ArrayList<>();
        for (List<String> texts : requests) {
            bodies.add(JSON.writeValueAsString(Map.of("texts", texts)));
        }
        Map<Stacks, List<HttpProbe.Response>> answers = everyAnswer("/embed", bodies);
        List<HttpProbe.Response> reference = answers.remove(null);
        for (var entry : answers.entrySet()) {
            for (int r = 0; r < requests.size(); r++) {
                HttpProbe.Response response = entry.getValue().get(r);
                assertEquals(200, response.status(), entry.getKey().id() + ": " + response.text());
                JsonNode embeddings = response.json().path("embeddings");
                JsonNode want = reference.get(r).json().path("embeddings");
                assertEquals(requests.get(r).size(), embeddings.size());
                assertEquals(384, response.json().path("dimensions").asInt());
                for (int t = 0; t < embeddings.size(); t++) {
                    for (int d = 0; d < 384; d++) {
                        assertEquals(want.get(t).get(d).asDouble(), embeddings.get(t).get(d).asDouble(), embeddingTolerance(),
                                entry.getKey().id() + " request " + r + " text " + t + " dimension " + d);
                    }
                }
            }
        }
    }

    private void assertAllEqual(Map<Stacks, List<JsonNode>> answers) {
        List<JsonNode> reference = answers.remove(null);
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
