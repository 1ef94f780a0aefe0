package dev.predictbench.contract.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.predictbench.contract.Contract;
import dev.predictbench.simulator.LlmSimulator;
import dev.predictbench.simulator.Script;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The I/O-bound LLM workload: {@code POST /chat} against the upstream simulator. A stack's test
 * composes these checks, starts a {@link LlmSimulator} and starts its server with
 * {@link #serverSettings}: the upstream's URL and a short upstream timeout
 * ({@link #UPSTREAM_TIMEOUT_MILLIS}), so a slow upstream is found in seconds.
 *
 * <p>What is checked: the tokens relayed in order and as they arrive (the gaps between events at
 * this client are the upstream's, not zero as a buffered answer's would be), the whole answer, the
 * bad requests and their codes, an upstream that fails (an error status, a stream cut off, no
 * answer in time, a refused connection) as 502 or 504 before the stream began and as an
 * {@code event: error} after, many streams at once, and {@code /info}'s variant and upstream client.
 */
public interface ChatChecks extends KitTarget {
    /** The upstream timeout the server under test runs with, in milliseconds. */
    long UPSTREAM_TIMEOUT_MILLIS = 1500;

    /** The upstream simulator the server under test calls. */
    LlmSimulator simulator();

    /** The settings a server under these checks is started with, as environment variables. */
    static Map<String, String> serverSettings(LlmSimulator simulator) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PREDICTBENCH_UPSTREAM_URL", simulator.baseUrl());
        env.put("PREDICTBENCH_UPSTREAM_TIMEOUT_MS", String.valueOf(UPSTREAM_TIMEOUT_MILLIS));
        return env;
    }

    /** A chat of one user message, as JSON. */
    static String chat(String content, Boolean stream) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("messages", List.of(Map.of("role", "user", "content", content)));
        if (stream != null) {
            body.put("stream", stream);
        }
        try {
            return Kit.JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The tokens the simulator streams for a one-message chat. */
    static List<String> expectedTokens(String content, int tokens) {
        return Script.tokens(Script.prompt(List.of(content)), tokens);
    }

    /** One streamed answer as this client saw it: status, headers, every event with its arrival time. */
    record ChatStream(int status, String contentType, List<Event> events, String body, long sentNanos) {
        /** The tokens of the {@code data: {"token": ...}} events, in order. */
        List<String> tokens() {
            List<String> out = new ArrayList<>();
            for (Event e : events) {
                if (e.type() == null && !e.data().equals("[DONE]")) {
                    out.add(e.json().path("token").asText());
                }
            }
            return out;
        }

        boolean done() {
            return !events.isEmpty() && events.getLast().type() == null && events.getLast().data().equals("[DONE]");
        }

        Event error() {
            return events.stream().filter(e -> "error".equals(e.type())).findFirst().orElse(null);
        }

        /** Milliseconds from the send to each token event's arrival. */
        List<Double> tokenArrivals() {
            return events.stream().filter(e -> e.type() == null && !e.data().equals("[DONE]"))
                    .map(e -> (e.arrivedNanos() - sentNanos) / 1e6).toList();
        }
    }

    /** One server-sent event: its {@code event:} type (null when absent), its data and when its end arrived. */
    record Event(String type, String data, long arrivedNanos) {
        JsonNode json() {
            try {
                return Kit.JSON.readTree(data);
            } catch (IOException e) {
                throw new AssertionError("event data is not JSON: " + data, e);
            }
        }
    }

    /** Sends a chat and reads the answer line by line, timing each event as its blank line arrives. */
    default ChatStream stream(String body) throws IOException, InterruptedException {
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpRequest request = HttpRequest.newBuilder(baseUri().resolve(Contract.CHAT))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .header("Accept", "text/event-stream").POST(HttpRequest.BodyPublishers.ofString(body)).build();
            long sent = System.nanoTime();
            HttpResponse<java.util.stream.Stream<String>> r = client.send(request, HttpResponse.BodyHandlers.ofLines());
            String type = r.headers().firstValue("content-type").orElse(null);
            List<Event> events = new ArrayList<>();
            StringBuilder all = new StringBuilder();
            String eventType = null;
            StringBuilder data = null;
            try (java.util.stream.Stream<String> lines = r.body()) {
                for (String line : (Iterable<String>) lines::iterator) {
                    all.append(line).append('\n');
                    if (line.isEmpty()) {
                        if (data != null) {
                            events.add(new Event(eventType, data.toString(), System.nanoTime()));
                        }
                        eventType = null;
                        data = null;
                    } else if (line.startsWith("event:")) {
                        eventType = line.substring(6).trim();
                    } else if (line.startsWith("data:")) {
                        String payload = line.length() > 5 && line.charAt(5) == ' ' ? line.substring(6) : line.substring(5);
                        data = data == null ? new StringBuilder(payload) : data.append('\n').append(payload);
                    }
                }
            } catch (java.io.UncheckedIOException e) {
                // The server ended the stream without its last chunk: what arrived is what is checked.
                all.append("<connection ended: ").append(e.getCause()).append(">\n");
            }
            return new ChatStream(r.statusCode(), type, events, all.toString(), sent);
        }
    }

    private static void assertUpstreamError(HttpProbe.Response r, int status, String code, String what) {
        assertEquals(status, r.status(), what + ": " + Kit.abbreviate(r.text()));
        Kit.assertJson(r);
        assertEquals(code, r.json().path("code").asText(), what + ": " + r.text());
        assertFalse(r.json().path("error").asText().isBlank(), what + ": the error needs a message for a person");
        assertFalse(r.text().contains("\tat ") || r.text().contains("\n\tat") || r.text().contains("Traceback (most recent call last)"),
                what + ": stack trace in body: " + r.text());
    }

    private static void assertEventStream(ChatStream s, String what) {
        assertEquals(200, s.status(), what + ": " + Kit.abbreviate(s.body()));
        assertNotNull(s.contentType(), what + ": Content-Type missing");
        assertTrue(s.contentType().toLowerCase(Locale.ROOT).startsWith("text/event-stream"),
                what + ": Content-Type must be text/event-stream, was " + s.contentType());
    }

    @TestFactory
    default java.util.stream.Stream<DynamicTest> chatStreamsTheUpstreamTokensAsTheyArrive() {
        return java.util.stream.Stream.of(DynamicTest.dynamicTest("POST /chat stream: tokens in order, as they arrive", () -> {
            // Gaps long enough that a relay which buffered the answer could not pass by accident.
            String prompt = "Which stack should serve my model?\n#sim ttft=150 itl=120 tokens=6";
            ChatStream s = stream(chat(prompt, true));
            assertEventStream(s, "stream");
            assertEquals(expectedTokens(prompt, 6), s.tokens(), "the upstream's tokens, in order: " + s.body());
            assertTrue(s.done(), "a complete stream ends with data: [DONE]: " + s.body());
            List<Double> at = s.tokenArrivals();
            for (int i = 0; i < at.size(); i++) {
                double sent = 150 + 120.0 * i;
                assertTrue(at.get(i) >= sent - 15, "token " + i + " arrived " + at.get(i) + " ms after the chat was sent, "
                        + "before the upstream sent it (" + sent + " ms): " + at);
            }
            double span = at.getLast() - at.getFirst();
            assertTrue(span >= 0.5 * 120 * (at.size() - 1), "the tokens arrived within " + span + " ms of each other; the "
                    + "upstream spread them over " + 120 * (at.size() - 1) + " ms, so the relay held them back and sent "
                    + "them together: " + at);
        }));
    }

    @TestFactory
    default java.util.stream.Stream<DynamicTest> chatAnswersWholeWithoutStream() {
        String prompt = "What is an event loop?\n#sim ttft=20 itl=5 tokens=7";
        String expected = String.join("", expectedTokens(prompt, 7));
        return java.util.stream.Stream.of(Boolean.FALSE, null).map(stream -> DynamicTest.dynamicTest(
                "POST /chat " + (stream == null ? "without stream" : "stream false") + ": the whole answer", () -> {
                    HttpProbe.Response r = http().postJson(Contract.CHAT, chat(prompt, stream));
                    assertEquals(200, r.status(), r.text());
                    Kit.assertJson(r);
                    JsonNode body = r.json();
                    assertEquals(expected, body.path("content").asText(), r.text());
                    assertEquals(7, body.path("completionTokens").asInt(), r.text());
                    assertEquals("stop", body.path("finishReason").asText(), r.text());
                }));
    }

    @TestFactory
    default java.util.stream.Stream<DynamicTest> chatBadRequestsGetTheirContractErrors() {
        String ok = "{\"role\":\"user\",\"content\":\"hi\"}";
        List<String> many = Collections.nCopies(65, ok);
        Map<String, Object[]> cases = new LinkedHashMap<>();
        cases.put("no messages", new Object[] {"{}", 400, "MISSING_FIELD"});
        cases.put("messages null", new Object[] {"{\"messages\":null}", 400, "MISSING_FIELD"});
        cases.put("messages empty", new Object[] {"{\"messages\":[]}", 400, "EMPTY_BATCH"});
        cases.put("65 messages", new Object[] {"{\"messages\":[" + String.join(",", many) + "]}", 413, "TOO_MANY_MESSAGES"});
        cases.put("messages a string", new Object[] {"{\"messages\":\"hi\"}", 400, "MISTYPED_FIELD"});
        cases.put("a message a string", new Object[] {"{\"messages\":[\"hi\"]}", 400, "MISTYPED_FIELD"});
        cases.put("role missing", new Object[] {"{\"messages\":[{\"content\":\"hi\"}]}", 400, "MISSING_FIELD"});
        cases.put("content missing", new Object[] {"{\"messages\":[{\"role\":\"user\"}]}", 400, "MISSING_FIELD"});
        cases.put("content a number", new Object[] {"{\"messages\":[{\"role\":\"user\",\"content\":3}]}", 400, "MISTYPED_FIELD"});
        cases.put("role robot", new Object[] {"{\"messages\":[{\"role\":\"robot\",\"content\":\"hi\"}]}", 400, "INVALID_ROLE"});
        cases.put("content over 8,000 characters", new Object[] {"{\"messages\":[{\"role\":\"user\",\"content\":\""
                + "a".repeat(8001) + "\"}]}", 413, "TEXT_TOO_LONG"});
        cases.put("stream a string", new Object[] {"{\"messages\":[" + ok + "],\"stream\":\"yes\"}", 400, "MISTYPED_FIELD"});
        cases.put("an unknown field", new Object[] {"{\"messages\":[" + ok + "],\"model\":\"gpt\"}", 400, "UNKNOWN_FIELD"});
        cases.put("an unknown field in a message", new Object[] {"{\"messages\":[{\"role\":\"user\",\"content\":\"hi\","
                + "\"name\":\"x\"}]}", 400, "UNKNOWN_FIELD"});
        cases.put("truncated JSON", new Object[] {"{\"messages\":[" + ok, 400, "MALFORMED_JSON"});
        return cases.entrySet().stream().map(c -> DynamicTest.dynamicTest(c.getKey(), () -> {
            HttpProbe.Response r = http().postJson(Contract.CHAT, (String) c.getValue()[0]);
            Kit.assertError(r, (Integer) c.getValue()[1], (String) c.getValue()[2], "/chat " + c.getKey());
            assertEquals(200, http().get(Contract.READY).status(), "not ready after " + c.getKey());
        }));
    }

    @TestFactory
    default java.util.stream.Stream<DynamicTest> chatWithoutJsonIsUnsupportedMediaType() {
        return java.util.stream.Stream.of(DynamicTest.dynamicTest("/chat text/plain", () -> {
            HttpProbe.Response r = http().send("POST", Contract.CHAT, "text/plain",
                    chat("hi", true).getBytes(java.nio.charset.StandardCharsets.UTF_8), false);
            Kit.assertError(r, 415, "UNSUPPORTED_MEDIA_TYPE", "/chat with text/plain");
        }));
    }

    @TestFactory
    default java.util.stream.Stream<DynamicTest> chatUpstreamErrorStatusIs502() {
        String prompt = "#sim status=500";
        return java.util.stream.Stream.of(
                DynamicTest.dynamicTest("upstream 500, stream", () -> assertUpstreamError(
                        http().postJson(Contract.CHAT, chat(prompt, true)), 502, "UPSTREAM_FAILED", "upstream 500, stream")),
                DynamicTest.dynamicTest("upstream 500, whole", () -> assertUpstreamError(
                        http().postJson(Contract.CHAT, chat(prompt, false)), 502, "UPSTREAM_FAILED", "upstream 500, whole")));
    }

    @TestFactory
    default java.util.stream.Stream<DynamicTest> chatUpstreamCutOffEndsTheStreamWithAnError() {
        String prompt = "tell me a story\n#sim ttft=20 itl=20 tokens=8 cut=3";
        return java.util.stream.Stream.of(
                DynamicTest.dynamicTest("stream cut after 3 tokens: 3 tokens, then event: error", () -> {
                    ChatStream s = stream(chat(prompt, true));
                    assertEventStream(s, "cut stream");
                    assertEquals(expectedTokens(prompt, 8).subList(0, 3), s.tokens(), s.body());
                    Event error = s.error();
                    assertNotNull(error, "a stream the upstream cut off ends with event: error: " + s.body());
                    assertEquals("UPSTREAM_FAILED", error.json().path("code").asText(), s.body());
                    assertFalse(s.done(), "a cut stream must not end with [DONE]: " + s.body());
                }),
                DynamicTest.dynamicTest("whole answer cut off: 502", () -> assertUpstreamError(
                        http().postJson(Contract.CHAT, chat(prompt, false)), 502, "UPSTREAM_FAILED", "cut, whole")));
    }

    @TestFactory
    default java.util.stream.Stream<DynamicTest> chatSlowUpstreamTimesOut() {
        long late = UPSTREAM_TIMEOUT_MILLIS * 3;
        return java.util.stream.Stream.of(
                DynamicTest.dynamicTest("no first token within the timeout, stream: 504, or event: error once streaming", () -> {
                    // The upstream answers its status at once and its first token late: a server that waits for the
                    // first token answers 504, one that began its stream with the status ends it with the error event.
                    ChatStream s = stream(chat("#sim ttft=" + late, true));
                    assertTrue(s.events().isEmpty() || s.events().getLast().arrivedNanos() - s.sentNanos() < late * 1_000_000L,
                            "the timeout did not apply: the answer ended after the upstream's own first token: " + s.body());
                    if (s.status() == 504) {
                        assertTrue(s.contentType() != null && s.contentType().startsWith("application/json"), s.body());
                        assertTrue(s.body().contains("UPSTREAM_TIMEOUT"), s.body());
                    } else {
                        assertEventStream(s, "slow first token");
                        assertTrue(s.tokens().isEmpty(), s.body());
                        Event error = s.error();
                        assertNotNull(error, "a stream whose first token does not come in time ends with event: error: " + s.body());
                        assertEquals("UPSTREAM_TIMEOUT", error.json().path("code").asText(), s.body());
                        assertFalse(s.done(), s.body());
                    }
                }),
                DynamicTest.dynamicTest("no answer within the timeout, whole: 504", () -> assertUpstreamError(
                        http().postJson(Contract.CHAT, chat("#sim ttft=" + late, false)), 504, "UPSTREAM_TIMEOUT",
                        "slow upstream, whole")),
                DynamicTest.dynamicTest("a pause between tokens past the timeout: event: error", () -> {
                    String prompt = "#sim ttft=20 itl=" + late + " tokens=3";
                    ChatStream s = stream(chat(prompt, true));
                    assertEventStream(s, "stalled stream");
                    assertEquals(expectedTokens(prompt, 3).subList(0, 1), s.tokens(), s.body());
                    Event error = s.error();
                    assertNotNull(error, "a stream whose upstream stalls ends with event: error: " + s.body());
                    assertEquals("UPSTREAM_TIMEOUT", error.json().path("code").asText(), s.body());
                    assertFalse(s.done(), s.body());
                }));
    }

    @TestFactory
    default java.util.stream.Stream<DynamicTest> chatRefusedUpstreamIs502AndTheServerRecovers() {
        return java.util.stream.Stream.of(DynamicTest.dynamicTest("upstream refuses connections: 502, then recovery", () -> {
            simulator().pause();
            try {
                assertUpstreamError(http().postJson(Contract.CHAT, chat("hello", true)), 502, "UPSTREAM_FAILED",
                        "upstream refused, stream");
                assertUpstreamError(http().postJson(Contract.CHAT, chat("hello", false)), 502, "UPSTREAM_FAILED",
                        "upstream refused, whole");
            } finally {
                simulator().resume();
            }
            // A pooled connection the upstream closed may fail one request; the server must recover.
            HttpProbe.Response r = null;
            for (int attempt = 0; attempt < 3 && (r == null || r.status() != 200); attempt++) {
                r = http().postJson(Contract.CHAT, chat("hello again\n#sim ttft=5 itl=1 tokens=2", false));
            }
            assertEquals(200, r.status(), "after the upstream came back: " + r.text());
        }));
    }

    @TestFactory
    default java.util.stream.Stream<DynamicTest> chatHoldsManyStreamsAtOnce() {
        // Past the inference limit (4 by default), so /chat's own limit shows; the llm workload measures more.
        int streams = 48;
        return java.util.stream.Stream.of(DynamicTest.dynamicTest(streams + " concurrent streams all complete", () -> {
            try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build()) {
                List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
                for (int i = 0; i < streams; i++) {
                    String prompt = "stream " + i + "\n#sim ttft=300 itl=50 tokens=4";
                    answers.add(client.sendAsync(HttpRequest.newBuilder(baseUri().resolve(Contract.CHAT))
                            .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(chat(prompt, true))).build(),
                            HttpResponse.BodyHandlers.ofString()));
                }
                for (int i = 0; i < streams; i++) {
                    HttpResponse<String> r = answers.get(i).join();
                    assertEquals(200, r.statusCode(), "stream " + i + ": " + Kit.abbreviate(r.body()));
                    String prompt = "stream " + i + "\n#sim ttft=300 itl=50 tokens=4";
                    StringBuilder want = new StringBuilder();
                    for (String token : expectedTokens(prompt, 4)) {
                        want.append("data: ").append(Kit.JSON.createObjectNode().put("token", token)).append("\n\n");
                    }
                    want.append("data: [DONE]\n\n");
                    assertEquals(want.toString(), r.body(), "stream " + i);
                }
            }
        }));
    }

    @TestFactory
    default java.util.stream.Stream<DynamicTest> infoNamesTheVariantAndTheUpstreamClient() {
        return java.util.stream.Stream.of(DynamicTest.dynamicTest("/info: variant and chat", () -> {
            JsonNode info = http().get(Contract.INFO).json();
            JsonNode details = info.path("threading").path("details");
            JsonNode holder = details.path("chat").isObject() ? details : info;
            JsonNode variant = holder.path("variant");
            JsonNode chat = holder.path("chat");
            assertTrue(variant.isTextual() && !variant.asText().isBlank(), "/info (threading.details or top level) variant: " + info);
            assertTrue(chat.path("client").isTextual() && !chat.path("client").asText().isBlank(),
                    "/info (threading.details or top level) chat.client names the upstream client: " + info);
            assertTrue(chat.path("handler").isTextual() && !chat.path("handler").asText().isBlank(),
                    "/info (threading.details or top level) chat.handler says how the handler runs: " + info);
            assertTrue(chat.path("pool").asInt() >= 1024, "/info (threading.details or top level) chat.pool: the upstream client's "
                    + "connections must cover the largest concurrency measured (1,024): " + info);
            String upstream = chat.path("upstream").asText();
            assertTrue(upstream.equals(simulator().baseUrl()) || upstream.equals(simulator().baseUrl() + "/chat/completions"),
                    "/info chat.upstream names the upstream the server was given (" + simulator().baseUrl() + "): " + info);
        }));
    }
}
