package dev.predictbench.contract.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.predictbench.contract.Contract;
import dev.predictbench.contract.GoldenCases;
import dev.predictbench.contract.GoldenSearches;
import dev.predictbench.contract.Stacks;
import dev.predictbench.model.BreastCancerData;
import dev.predictbench.model.ErrorCode;
import dev.predictbench.model.InferenceOptions;
import dev.predictbench.model.ModelCard;
import dev.predictbench.model.OnnxPredictor;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * The conformance kit: every check of the contract, run against a running server. A server
 * module's test extends this class, starts its server on a free port with default settings, and
 * returns its address from {@link #baseUri()}; the benchmark runner runs the same checks before it
 * measures anything. No server is excused from any check.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ConformanceKit {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where the server under test listens, e.g. {@code http://127.0.0.1:41234}. */
    protected abstract URI baseUri();

    /** The stack name the server must report in {@code /info}. */
    protected abstract String expectedStack();

    /**
     * Whether the server under test serves the GenAI workload ({@code POST /embed} and
     * {@code POST /search}). False by default, so a server is held to those checks only once its
     * test says it serves them. When false, the GenAI checks below produce no tests at all (rather
     * than skipped ones), so a summary that wants every found test to succeed still does.
     */
    protected boolean genAi() {
        return false;
    }

    /**
     * Whether the server's HTTP layer answers requests that are not valid HTTP (expected
     * {@code BAD_REQUEST}, {@code URI_TOO_LONG}, {@code HEADERS_TOO_LARGE}) with the right status
     * but an empty body, because its framework offers no hook to write one. False by default: a
     * server that overrides it must say why in its README. What the kit then accepts for those
     * cases besides the contract's error: the contract's status with an empty body, or, for
     * {@code BAD_REQUEST} only (a body that breaks HTTP after the request was dispatched, such as a
     * chunk size that is not hex), the connection closed without any response. A hang is never
     * accepted, and the server must answer {@code /health/ready} afterwards either way.
     */
    protected boolean httpLayerAnswersWithoutBody() {
        return false;
    }

    /**
     * Hostile requests (by {@link HostileRequests} name) that the server's HTTP layer answers itself,
     * before any route or hook, with a status other than the contract's (the value) and an empty
     * body. Empty by default: each entry is an exception of the framework, recorded in
     * {@code Stacks} with why. The kit accepts exactly that status and nothing else for them.
     */
    protected Map<String, Integer> httpLayerStatuses() {
        return Map.of();
    }

    private HttpProbe http() {
        return new HttpProbe(baseUri());
    }

    @Test
    void liveAndReadyAnswerUp() throws Exception {
        for (String path : List.of(Contract.LIVE, Contract.READY)) {
            HttpProbe.Response r = http().get(path);
            assertEquals(200, r.status(), path);
            assertJson(r);
            assertEquals("UP", r.json().path("status").asText(), path);
        }
    }

    @Test
    void modelAnswersTheSharedModelsCard() throws Exception {
        HttpProbe.Response r = http().get(Contract.MODEL);
        assertEquals(200, r.status());
        assertJson(r);
        ModelCard expected;
        try (OnnxPredictor predictor = OnnxPredictor.loadDefault(InferenceOptions.DEFAULT)) {
            expected = predictor.card();
        }
        assertEquals(JSON.readTree(JSON.writeValueAsString(expected)), r.json(), "GET /model must be the committed model card");
    }

    @Test
    void infoNamesStackFrameworkJvmAndThreadingModel() throws Exception {
        HttpProbe.Response r = http().get(Contract.INFO);
        assertEquals(200, r.status());
        assertJson(r);
        JsonNode info = r.json();
        assertEquals(expectedStack(), info.path("stack").asText());
        assertTrue(info.path("framework").asText().matches(".*\\d+\\.\\d+.*"),
                "framework must name a version: " + info.path("framework"));
        assertTrue(info.path("jvm").asText().matches(".*\\d+.*"), "jvm: " + info.path("jvm"));
        assertTrue(Contract.THREADING_MODELS.contains(info.path("threading").path("model").asText()),
                "threading.model: " + info.path("threading"));
        assertFalse(info.path("threading").path("predictThread").asText().isBlank(), "threading.predictThread");
    }

    @Test
    void firstDataSetRowIsMalignantWithProbabilitiesSummingToOne() throws Exception {
        HttpProbe.Response r = http().postJson(Contract.PREDICT, BadRequests.instances(BadRequests.validRow()));
        assertEquals(200, r.status(), r.text());
        assertJson(r);
        JsonNode body = r.json();
        assertEquals("breast-cancer-wisconsin", body.path("model").asText());
        assertFalse(body.path("version").asText().isBlank());
        JsonNode prediction = body.path("predictions").get(0);
        assertEquals("malignant", prediction.path("label").asText());
        double sum = 0;
        for (JsonNode p : iterable(prediction.path("probabilities").elements())) {
            sum += p.asDouble();
        }
        assertEquals(1.0, sum, 1e-6);
    }

    @Test
    void goldenRowsOneAtATimeGetTheGoldenPredictions() throws Exception {
        for (GoldenCases.Case c : GoldenCases.golden()) {
            HttpProbe.Response r = http().postJson(Contract.PREDICT, JSON.writeValueAsString(
                    Map.of("instances", List.of(c.instance()))));
            assertEquals(200, r.status(), r.text());
            assertPrediction(c, r.json().path("predictions").get(0));
        }
    }

    @Test
    void goldenRowsAsOneBatchGetTheGoldenPredictionsInOrder() throws Exception {
        List<GoldenCases.Case> cases = GoldenCases.golden();
        List<double[]> rows = cases.stream().map(GoldenCases.Case::instance).toList();
        HttpProbe.Response r = http().postJson(Contract.PREDICT, JSON.writeValueAsString(Map.of("instances", rows)));
        assertEquals(200, r.status(), r.text());
        JsonNode predictions = r.json().path("predictions");
        assertEquals(cases.size(), predictions.size());
        for (int i = 0; i < cases.size(); i++) {
            assertPrediction(cases.get(i), predictions.get(i));
        }
    }

    @Test
    void acceptsJsonWithACharsetParameterAndTheLargestBatch() throws Exception {
        String body = BadRequests.instances(Collections.nCopies(64, BadRequests.validRow()).toArray(String[]::new));
        HttpProbe.Response r = http().send("POST", Contract.PREDICT, "application/json; charset=utf-8",
                body.getBytes(java.nio.charset.StandardCharsets.UTF_8), false);
        assertEquals(200, r.status(), r.text());
        assertEquals(64, r.json().path("predictions").size());
    }

    @Test
    void acceptsIntegersAndNegativeNumbersAsFeatureValues() throws Exception {
        String row = BadRequests.row(BreastCancerData.FEATURES.size(), "-3", 0).replace("10.38", "10");
        HttpProbe.Response r = http().postJson(Contract.PREDICT, BadRequests.instances(row));
        assertEquals(200, r.status(), r.text());
    }

    @TestFactory
    Stream<DynamicTest> everyBadRequestGetsItsErrorCodeAndTheServerStaysReady() {
        return BadRequests.all().stream().map(bad -> DynamicTest.dynamicTest(bad.name(), () -> {
            HttpProbe.Response r = http().send(bad.method(), bad.path(), bad.contentType(), bad.body(), bad.chunked());
            assertError(r, bad.expected().status(), bad.expected().name(), bad.name());
            assertEquals(200, http().get(Contract.READY).status(), "not ready after " + bad.name());
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyHostileRequestGetsItsErrorCodeAndTheServerStaysReady() {
        return HostileRequests.all().stream().filter(h -> genAi() || !h.genAi())
                .map(h -> DynamicTest.dynamicTest(h.name(), () -> {
                    Answer a;
                    if (h.request() != null) {
                        BadRequests.BadRequest bad = h.request();
                        a = Answer.of(HttpProbe.sendAlone(baseUri(), bad.method(), bad.path(), bad.contentType(),
                                bad.body(), bad.chunked()));
                    } else {
                        try {
                            a = Answer.of(RawHttp.exchange(baseUri(), h.raw(), HOSTILE_TIMEOUT));
                        } catch (RawHttp.NoResponse e) {
                            if (h.expected() != ErrorCode.BAD_REQUEST || !httpLayerAnswersWithoutBody()) {
                                throw new AssertionError(h.name() + ": " + e.getMessage(), e);
                            }
                            a = null;
                        } catch (RawHttp.Hang e) {
                            throw new AssertionError(h.name() + ": " + e.getMessage(), e);
                        }
                    }
                    boolean httpLevel = h.expected() == ErrorCode.BAD_REQUEST || h.expected() == ErrorCode.URI_TOO_LONG
                            || h.expected() == ErrorCode.HEADERS_TOO_LARGE;
                    Integer httpLayer = httpLayerStatuses().get(h.name());
                    if (httpLayer != null && a != null) {
                        assertEquals(httpLayer, a.status(), h.name() + ": the HTTP layer's recorded status");
                        assertEquals(0, a.body().length, h.name() + ": the HTTP layer's answer has no body");
                        System.out.println("[hostile] " + expectedStack() + ": " + h.name() + ": " + httpLayer
                                + " from the HTTP layer (accepted: httpLayerStatuses)");
                    } else if (h.expected() == null) {
                        assertEquals(200, a.status(), h.name() + ": a valid request: " + abbreviate(a.text()));
                    } else if (a == null) {
                        System.out.println("[hostile] " + expectedStack() + ": " + h.name()
                                + ": connection closed without a response (accepted: httpLayerAnswersWithoutBody)");
                    } else if (httpLevel && httpLayerAnswersWithoutBody() && a.body().length == 0) {
                        assertEquals(h.expected().status(), a.status(), h.name() + ": status of an answer without a body");
                    } else {
                        assertError(a, h.expected().status(), h.expected().name(), h.name());
                    }
                    assertEquals(200, http().get(Contract.READY).status(), "not ready after " + h.name());
                }));
    }

    @TestFactory
    Stream<DynamicTest> requestsTheRfcLeavesToTheServerGetAnAnswerBelow500() {
        return HostileRequests.serversChoice().stream().map(h -> DynamicTest.dynamicTest(h.name(), () -> {
            try {
                RawHttp.Response r = RawHttp.exchange(baseUri(), h.raw(), HOSTILE_TIMEOUT);
                assertTrue(r.status() < 500, h.name() + ": " + r.status() + " " + abbreviate(r.text()));
            } catch (RawHttp.NoResponse closed) {
                // Closing without an answer is the server's choice too.
            } catch (RawHttp.Hang e) {
                throw new AssertionError(h.name() + ": " + e.getMessage(), e);
            }
            assertEquals(200, http().get(Contract.READY).status(), "not ready after " + h.name());
        }));
    }

    /**
     * Mutated /predict (and /embed, /search) bodies, at least 10,000 unless the time budget runs
     * out first: each answer is a 2xx with the endpoint's JSON or a 4xx contract error; never a
     * 5xx, a hang or a body that is not JSON. System properties: {@code predictbench.fuzz.seed}
     * (default: a new one, printed), {@code predictbench.fuzz.count} (10000),
     * {@code predictbench.fuzz.seconds} (60). A failing case is printed as a line for
     * {@link HostileRequests}, with its seed and index.
     */
    @Test
    void fuzzedBodiesGetA2xxOrAContractErrorAndNever5xx() throws Exception {
        long seed = Long.getLong("predictbench.fuzz.seed", new SecureRandom().nextLong());
        int count = Integer.getInteger("predictbench.fuzz.count", 10_000);
        long budgetNanos = Duration.ofSeconds(Long.getLong("predictbench.fuzz.seconds", 60)).toNanos();
        BodyFuzzer fuzzer = new BodyFuzzer(genAi());
        HttpProbe http = http();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        Map<Integer, Integer> statuses = new ConcurrentSkipListMap<>();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger sentCount = new AtomicInteger();
        AtomicBoolean outOfTime = new AtomicBoolean();
        long start = System.nanoTime();
        // A few requests in flight over the one kept-alive client, each mutant independent of the others.
        Runnable worker = () -> {
            for (int i = next.getAndIncrement(); i < count && failures.size() < 20; i = next.getAndIncrement()) {
                if (System.nanoTime() - start > budgetNanos) {
                    outOfTime.set(true);
                    return;
                }
                BodyFuzzer.Mutant m = fuzzer.mutant(seed, i);
                String problem;
                try {
                    HttpProbe.Response r = http.send("POST", m.path(), BadRequests.JSON, m.body(), false);
                    statuses.merge(r.status(), 1, Integer::sum);
                    problem = fuzzProblem(m.path(), r);
                } catch (java.io.IOException e) {
                    problem = "no answer: " + e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                sentCount.incrementAndGet();
                if (problem != null) {
                    failures.add("seed " + seed + " index " + i + " " + m.path() + " (" + m.mutations() + "): " + problem
                            + "\n    body (base64): " + Base64.getEncoder().encodeToString(m.body())
                            + "\n    for the corpus: " + m.asCorpusLine());
                }
            }
        };
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < FUZZ_IN_FLIGHT; w++) {
            workers.add(Thread.ofVirtual().name("fuzz-" + w).start(worker));
        }
        for (Thread t : workers) {
            t.join();
        }
        int sent = sentCount.get();
        if (outOfTime.get()) {
            System.out.printf("[fuzz] %s: time budget of %d s reached after %d of %d requests%n",
                    expectedStack(), budgetNanos / 1_000_000_000L, sent, count);
        }
        System.out.printf("[fuzz] %s: %d requests in %.1f s, seed %d (-Dpredictbench.fuzz.seed=%d), statuses %s, %d failures%n",
                expectedStack(), sent, (System.nanoTime() - start) / 1e9, seed, seed, statuses, failures.size());
        failures.forEach(f -> System.out.println("[fuzz] FAIL " + f));
        if (!failures.isEmpty()) {
            fail(failures.size() + " fuzzed requests broke the contract (seed " + seed + "):\n"
                    + String.join("\n", failures));
        }
    }

    /** Fuzzed requests in flight at once: enough to keep two cores busy, few enough to stay a client. */
    private static final int FUZZ_IN_FLIGHT = 4;

    /** Why a fuzzed request's answer breaks the contract, or null when it keeps it. */
    private static String fuzzProblem(String path, HttpProbe.Response r) {
        String type = r.header("content-type");
        JsonNode body = r.json();
        if (r.status() >= 500) {
            return "status " + r.status() + ": " + abbreviate(r.text());
        }
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json") || body == null) {
            return "status " + r.status() + " without a JSON body (" + type + "): " + abbreviate(r.text());
        }
        if (r.status() >= 200 && r.status() < 300) {
            String field = switch (path) {
                case Contract.EMBED -> "embeddings";
                case Contract.SEARCH -> "results";
                default -> "predictions";
            };
            return body.path(field).isArray() ? null : "a " + r.status() + " without " + field + ": " + abbreviate(r.text());
        }
        if (r.status() >= 400) {
            ErrorCode code;
            try {
                code = ErrorCode.valueOf(body.path("code").asText());
            } catch (IllegalArgumentException e) {
                return "unknown error code: " + abbreviate(r.text());
            }
            if (code.status() != r.status() || body.path("error").asText().isBlank()) {
                return "status " + r.status() + " with " + abbreviate(r.text());
            }
            String text = r.text();
            return text.contains("\tat ") || text.contains("Exception:") ? "stack trace: " + abbreviate(text) : null;
        }
        return "unexpected status " + r.status();
    }

    @Test
    void metricsArePrometheusTextWithACounterOfPredictions() throws Exception {
        double before = predictionsCounted();
        assertEquals(200, http().postJson(Contract.PREDICT,
                BadRequests.instances(BadRequests.validRow(), BadRequests.validRow())).status());
        double after = predictionsCounted();
        assertTrue(after >= before + 2, "counter must count predicted rows: before " + before + ", after " + after);
    }

    @Test
    void metricsExportEveryMeterOfTheContract() throws Exception {
        String text = metricsText();
        for (String sample : Contract.METRIC_SAMPLES) {
            OptionalDouble value = PrometheusText.sum(text, sample);
            assertTrue(value.isPresent(), "no sample of " + sample + " in /metrics");
            assertTrue(value.getAsDouble() >= 0, sample + " is " + value.getAsDouble());
        }
        for (String counter : List.of(Contract.EMBEDDINGS_COUNTER, Contract.SEARCHES_COUNTER, Contract.OVERLOAD_REJECTED_COUNTER)) {
            assertTrue(PrometheusText.typed(text, counter, "counter"), counter + " is not typed as a counter");
        }
        for (String gauge : List.of(Contract.INFLIGHT_RUNNING_GAUGE, Contract.INFLIGHT_QUEUED_GAUGE)) {
            assertTrue(PrometheusText.typed(text, gauge, "gauge"), gauge + " is not typed as a gauge");
        }
    }

    private String metricsText() throws Exception {
        HttpProbe.Response r = http().get(Contract.METRICS);
        assertEquals(200, r.status());
        String type = r.header("content-type");
        assertNotNull(type, "/metrics needs a Content-Type");
        assertTrue(type.startsWith("text/plain") || type.startsWith("application/openmetrics-text"),
                "Prometheus text expected, got " + type);
        return r.text();
    }

    private double predictionsCounted() throws Exception {
        String text = metricsText();
        assertTrue(PrometheusText.typed(text, Contract.PREDICTIONS_COUNTER, "counter"),
                "no counter " + Contract.PREDICTIONS_COUNTER + " in /metrics");
        OptionalDouble total = PrometheusText.sum(text, Contract.PREDICTIONS_COUNTER);
        assertTrue(total.isPresent(), "no sample of " + Contract.PREDICTIONS_COUNTER);
        return total.getAsDouble();
    }

    @Test
    void openapiAnswersWithADocumentOfPredict() throws Exception {
        HttpProbe.Response r = http().get(Contract.OPENAPI);
        assertEquals(200, r.status());
        assertTrue(r.text().contains("openapi"), "not an OpenAPI document");
        assertTrue(r.text().contains("/predict"), "the document must describe /predict");
    }

    // ---- The GenAI workload: POST /embed and POST /search (only when genAi() is true). ----

    /** The GenAI checks as dynamic tests, none when the server does not serve the workload. */
    private Stream<DynamicTest> genAiChecks(Stream<DynamicTest> checks) {
        return genAi() ? checks : Stream.empty();
    }

    @TestFactory
    Stream<DynamicTest> embedAnswersTheGoldenVectorAndOneUnitVectorPerText() {
        return genAiChecks(Stream.of(DynamicTest.dynamicTest("POST /embed", () -> {
            GoldenSearches.Golden golden = GoldenSearches.golden();
            HttpProbe.Response r = http().postJson(Contract.EMBED,
                    JSON.writeValueAsString(Map.of("texts", List.of(golden.text(), "WordNet"))));
            assertEquals(200, r.status(), r.text());
            assertJson(r);
            JsonNode body = r.json();
            assertEquals("all-MiniLM-L6-v2", body.path("model").asText());
            assertEquals(384, body.path("dimensions").asInt());
            JsonNode embeddings = body.path("embeddings");
            assertEquals(2, embeddings.size(), "one embedding per text");
            for (JsonNode embedding : iterable(embeddings.elements())) {
                assertEquals(384, embedding.size());
                double norm = 0;
                for (JsonNode x : iterable(embedding.elements())) {
                    assertTrue(x.isNumber(), "embedding values are numbers");
                    norm += x.asDouble() * x.asDouble();
                }
                assertEquals(1.0, Math.sqrt(norm), 1e-4, "embeddings are unit vectors");
            }
            for (int d = 0; d < 384; d++) {
                assertEquals(golden.embedding()[d], embeddings.get(0).get(d).asDouble(), GoldenSearches.TOLERANCE,
                        "embedding[" + d + "] of '" + golden.text() + "'");
            }
        })));
    }

    @TestFactory
    Stream<DynamicTest> goldenSearchesGetTheGoldenEntriesInOrder() {
        return genAiChecks(GoldenSearches.golden().searches().stream().map(search ->
                DynamicTest.dynamicTest(search.request().query(), () -> {
                    HttpProbe.Response r = http().postJson(Contract.SEARCH, JSON.writeValueAsString(search.request()));
                    assertEquals(200, r.status(), r.text());
                    assertJson(r);
                    JsonNode body = r.json();
                    assertEquals(search.expected().model(), body.path("model").asText());
                    assertEquals(search.request().query(), body.path("query").asText());
                    JsonNode results = body.path("results");
                    assertEquals(search.expected().results().size(), results.size(), r.text());
                    for (int i = 0; i < results.size(); i++) {
                        var want = search.expected().results().get(i);
                        JsonNode got = results.get(i);
                        assertEquals(want.synset(), got.path("synset").asText(), "result " + i + ": " + r.text());
                        assertEquals(JSON.valueToTree(want.words()), got.path("words"), "result " + i);
                        assertEquals(want.gloss(), got.path("gloss").asText(), "result " + i);
                        assertEquals(want.score(), got.path("score").asDouble(), GoldenSearches.TOLERANCE, "result " + i);
                    }
                })));
    }

    @TestFactory
    Stream<DynamicTest> searchWithoutKAndTheLargestEmbedAreAccepted() {
        return genAiChecks(Stream.of(
                DynamicTest.dynamicTest("search without k gets 5 results", () -> {
                    HttpProbe.Response r = http().postJson(Contract.SEARCH, "{\"query\":\"a young lion\"}");
                    assertEquals(200, r.status(), r.text());
                    assertEquals(5, r.json().path("results").size());
                }),
                DynamicTest.dynamicTest("16 texts of 1000 characters, charset parameter", () -> {
                    String text = GenAiBadRequests.text(1000);
                    String body = JSON.writeValueAsString(Map.of("texts", Collections.nCopies(16, text)));
                    HttpProbe.Response r = http().send("POST", Contract.EMBED, "application/json; charset=utf-8",
                            body.getBytes(java.nio.charset.StandardCharsets.UTF_8), false);
                    assertEquals(200, r.status(), r.text());
                    assertEquals(16, r.json().path("embeddings").size());
                })));
    }

    @TestFactory
    Stream<DynamicTest> everyGenAiBadRequestGetsItsErrorCodeAndTheServerStaysReady() {
        return genAiChecks(GenAiBadRequests.all().stream().map(bad -> DynamicTest.dynamicTest(bad.name(), () -> {
            HttpProbe.Response r = http().send(bad.method(), bad.path(), bad.contentType(), bad.body(), bad.chunked());
            assertError(r, bad.expected().status(), bad.expected().name(), bad.name());
            assertEquals(200, http().get(Contract.READY).status(), "not ready after " + bad.name());
        })));
    }

    @TestFactory
    Stream<DynamicTest> openapiDescribesEmbedAndSearch() {
        return genAiChecks(Stream.of(DynamicTest.dynamicTest("GET /openapi", () -> {
            String text = http().get(Contract.OPENAPI).text();
            assertTrue(text.contains(Contract.EMBED) && text.contains(Contract.SEARCH),
                    "the document must describe /embed and /search");
        })));
    }

    private static void assertPrediction(GoldenCases.Case expected, JsonNode actual) {
        assertEquals(expected.expected().label(), actual.path("label").asText());
        JsonNode probabilities = actual.path("probabilities");
        assertEquals(expected.expected().probabilities().keySet().stream().toList(),
                new ArrayList<String>() {{ probabilities.fieldNames().forEachRemaining(this::add); }},
                "classes in card order");
        expected.expected().probabilities().forEach((label, p) ->
                assertEquals(p, probabilities.path(label).asDouble(), 1e-6, label));
    }

    private static final Duration HOSTILE_TIMEOUT = Duration.ofSeconds(20);

    /** An answer from either client: what the assertions look at. */
    record Answer(int status, String contentType, byte[] body) {
        static Answer of(HttpProbe.Response r) {
            return new Answer(r.status(), r.header("content-type"), r.raw().body());
        }

        static Answer of(RawHttp.Response r) {
            return new Answer(r.status(), r.header("content-type"), r.body());
        }

        String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (java.io.IOException e) {
                return null;
            }
        }
    }

    /** A contract error: the status, JSON with a message and the code, no stack trace, no HTML. */
    static void assertError(HttpProbe.Response r, int status, String code, String what) {
        assertError(Answer.of(r), status, code, what);
    }

    static void assertError(Answer r, int status, String code, String what) {
        String text = r.text();
        if (r.status() >= 500) {
            fail(what + ": a client error must never be a " + r.status() + ": " + abbreviate(text));
        }
        assertEquals(status, r.status(), what + ": " + abbreviate(text));
        String type = r.contentType();
        assertNotNull(type, what + ": Content-Type missing: " + abbreviate(text));
        assertTrue(type.toLowerCase(Locale.ROOT).startsWith("application/json"),
                what + ": Content-Type must be application/json, was " + type + ": " + abbreviate(text));
        assertNotNull(r.json(), what + ": body is not JSON: " + abbreviate(text));
        assertFalse(text.contains("\tat ") || text.contains("at java.") || text.contains("Exception:"),
                what + ": stack trace in body: " + abbreviate(text));
        JsonNode body = r.json();
        assertEquals(code, body.path("code").asText(), what + ": " + abbreviate(text));
        assertFalse(body.path("error").asText().isBlank(), what + ": error message missing");
    }

    // ---- Accept headers: JSON whatever they say, and /metrics's one 406. ----

    /** Accept headers that leave JSON out: every stack answers JSON all the same (the contract has no 406 there). */
    static final List<String> ACCEPT_WITHOUT_JSON = List.of("text/html", "application/xml", "foo/bar", "image/png;q=1, text/plain;q=0.5");

    @TestFactory
    Stream<DynamicTest> anAcceptHeaderWithoutJsonStillGetsTheContractsJson() {
        return ACCEPT_WITHOUT_JSON.stream().map(accept -> DynamicTest.dynamicTest("Accept: " + accept, () -> {
            HttpProbe http = http();
            byte[] row = BadRequests.instances(BadRequests.validRow()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            HttpProbe.Response predicted = http.send("POST", Contract.PREDICT, BadRequests.JSON, row, false, "Accept", accept);
            assertEquals(200, predicted.status(), "POST /predict: " + abbreviate(predicted.text()));
            assertJson(predicted);
            assertEquals("malignant", predicted.json().path("predictions").path(0).path("label").asText(), predicted.text());
            for (String path : List.of(Contract.INFO, Contract.MODEL, Contract.READY)) {
                HttpProbe.Response r = http.send("GET", path, null, new byte[0], false, "Accept", accept);
                assertEquals(200, r.status(), "GET " + path + ": " + abbreviate(r.text()));
                assertJson(r);
            }
            assertError(http.send("POST", Contract.PREDICT, BadRequests.JSON,
                            "{\"instances\": []}".getBytes(java.nio.charset.StandardCharsets.UTF_8), false, "Accept", accept),
                    400, ErrorCode.EMPTY_BATCH.name(), "POST /predict with an empty batch");
            assertError(http.send("GET", "/no-such-path", null, new byte[0], false, "Accept", accept),
                    404, ErrorCode.NOT_FOUND.name(), "GET /no-such-path");
            if (genAi()) {
                HttpProbe.Response found = http.send("POST", Contract.SEARCH, BadRequests.JSON,
                        "{\"query\": \"a benign nucleus\", \"k\": 1}".getBytes(java.nio.charset.StandardCharsets.UTF_8), false,
                        "Accept", accept);
                assertEquals(200, found.status(), "POST /search: " + abbreviate(found.text()));
                assertJson(found);
            }
        }));
    }

    /** Accept headers that allow the Prometheus text format: /metrics answers 200 with the predictions counter. */
    static final List<String> METRICS_ACCEPT_SERVED = List.of("*/*", "text/*", "text/plain", "TEXT/PLAIN",
            "text/plain; version=0.0.4; charset=utf-8", "application/openmetrics-text",
            "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
                    + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1");

    @TestFactory
    Stream<DynamicTest> metricsAnswersEveryAcceptHeaderThatAllowsPrometheusText() {
        return METRICS_ACCEPT_SERVED.stream().map(accept -> DynamicTest.dynamicTest("Accept: " + accept, () -> {
            HttpProbe.Response r = http().send("GET", Contract.METRICS, null, new byte[0], false, "Accept", accept);
            assertEquals(200, r.status(), abbreviate(r.text()));
            String type = r.header("content-type");
            assertNotNull(type, "/metrics needs a Content-Type");
            assertTrue(type.startsWith("text/plain") || type.startsWith("application/openmetrics-text"),
                    "Prometheus text or OpenMetrics expected, got " + type);
            assertTrue(r.text().contains(Contract.PREDICTIONS_COUNTER.replace("_total", "")), "no predictions counter: "
                    + abbreviate(r.text()));
        }));
    }

    /** Accept headers that allow neither Prometheus text nor OpenMetrics: the contract's 406 (never a 5xx or an empty body). */
    static final List<String> METRICS_ACCEPT_REFUSED = List.of("application/json", "application/xml", "foo/bar", "text/html",
            "text/plain;q=0", "image/png, application/json;q=0.9");

    @TestFactory
    Stream<DynamicTest> metricsRefusesAnAcceptHeaderThatAllowsNeitherFormatWithA406() {
        return METRICS_ACCEPT_REFUSED.stream().map(accept -> DynamicTest.dynamicTest("Accept: " + accept, () -> {
            assertError(http().send("GET", Contract.METRICS, null, new byte[0], false, "Accept", accept),
                    406, ErrorCode.NOT_ACCEPTABLE.name(), "GET /metrics, Accept: " + accept);
            assertEquals(200, http().get(Contract.READY).status(), "healthy afterwards");
        }));
    }

    static void assertJson(HttpProbe.Response r) {
        String type = r.header("content-type");
        assertNotNull(type, "Content-Type missing");
        assertTrue(type.toLowerCase(Locale.ROOT).startsWith("application/json"),
                "Content-Type must be application/json, was " + type + ": " + abbreviate(r.text()));
        assertNotNull(r.json(), "body is not JSON: " + abbreviate(r.text()));
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    private static <T> Iterable<T> iterable(Iterator<T> it) {
        return () -> it;
    }
}
