package dev.predictbench.helidon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * POST /chat against {@link FakeUpstream}, through a server whose upstream timeout is
 * {@link #TIMEOUT_MS}: relaying, whole answers, upstream failures before and after the stream began,
 * the caller going away, bad input, and /info's chat entries.
 */
@Timeout(30)
abstract class ChatChecks {
    static final int TIMEOUT_MS = 500;
    static final String MODEL = "test-model";
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    protected abstract URI baseUri();

    protected abstract FakeUpstream upstream();

    /** The variant the server runs and a word its /info handler description holds. */
    protected abstract String variant();

    protected abstract String handlerWord();

    static String conversation(String content, String stream) {
        return "{\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},{\"role\":\"user\",\"content\":\""
                + content + "\"}]" + (stream == null ? "" : ",\"stream\":" + stream) + "}";
    }

    HttpRequest chat(String body) {
        return HttpRequest.newBuilder(baseUri().resolve("/chat")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    HttpResponse<String> post(String body) throws IOException, InterruptedException {
        return CLIENT.send(chat(body), HttpResponse.BodyHandlers.ofString());
    }

    static void assertError(HttpResponse<String> response, int status, String code) throws IOException {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                response.headers().toString());
        JsonNode body = JSON.readTree(response.body());
        assertEquals(code, body.path("code").asText(), response.body());
        assertFalse(body.path("error").asText().isEmpty(), response.body());
    }

    @Test
    void streamRelaysEachTokenAsItArrives() throws Exception {
        long start = System.nanoTime();
        HttpResponse<java.util.stream.Stream<String>> response = CLIENT.send(
                chat(conversation("hello\\n#fake tokens=4 itl=150", "true")), HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, response.statusCode());
        assertEquals("text/event-stream", response.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        assertEquals("no-cache", response.headers().firstValue("Cache-Control").orElse(""));
        assertTrue(response.headers().firstValue("Content-Encoding").isEmpty(), response.headers().toString());
        List<String> lines = new ArrayList<>();
        List<Long> arrivals = new ArrayList<>();
        for (Iterator<String> it = response.body().iterator(); it.hasNext(); ) {
            String line = it.next();
            lines.add(line);
            if (line.startsWith("data: {")) {
                arrivals.add(System.nanoTime() - start);
            }
        }
        assertEquals(List.of("data: {\"token\":\"t0\"}", "", "data: {\"token\":\" t1\"}", "",
                "data: {\"token\":\" t2\"}", "", "data: {\"token\":\" t3\"}", "", "data: [DONE]", ""), lines);
        // Relayed one by one with the upstream's spacing (150 ms; a lower bound only, never a speed check).
        for (int i = 1; i < arrivals.size(); i++) {
            long gapMs = (arrivals.get(i) - arrivals.get(i - 1)) / 1_000_000;
            assertTrue(gapMs >= 100, "token " + i + " came " + gapMs + " ms after the one before: buffered");
        }
        String sent = upstream().bodies.getLast();
        JsonNode forwarded = JSON.readTree(sent);
        assertEquals(MODEL, forwarded.path("model").asText(), sent);
        assertTrue(forwarded.path("stream").asBoolean(), sent);
        assertEquals("system", forwarded.path("messages").path(0).path("role").asText(), sent);
        assertEquals("hello\n#fake tokens=4 itl=150", forwarded.path("messages").path(1).path("content").asText(), sent);
    }

    @Test
    void wholeAnswer() throws Exception {
        HttpResponse<String> response = post(conversation("hi\\n#fake tokens=3", null));
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("{\"content\":\"t0 t1 t2\",\"completionTokens\":3,\"finishReason\":\"stop\"}", response.body());
        assertFalse(JSON.readTree(upstream().bodies.getLast()).path("stream").asBoolean(true));
        assertEquals(200, post(conversation("hi\\n#fake tokens=2", "false")).statusCode());
    }

    @Test
    void metricsCountChats() throws Exception {
        assertEquals(200, post(conversation("hi", null)).statusCode());
        HttpResponse<String> metrics = CLIENT.send(HttpRequest.newBuilder(baseUri().resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("predictbench_chats_total"), metrics.body());
    }

    @Test
    void upstreamErrorStatusIs502() throws Exception {
        assertError(post(conversation("#fake status=500", "true")), 502, "UPSTREAM_FAILED");
        assertError(post(conversation("#fake status=500", "false")), 502, "UPSTREAM_FAILED");
        assertError(post(conversation("#fake status=429", "true")), 502, "UPSTREAM_FAILED");
    }

    @Test
    void notAnEventStreamIs502() throws Exception {
        assertError(post(conversation("#fake type=application/json", "true")), 502, "UPSTREAM_FAILED");
    }

    @Test
    void wholeAnswerCutIs502() throws Exception {
        assertError(post(conversation("#fake cut=0", "false")), 502, "UPSTREAM_FAILED");
    }

    @Test
    void refusedUpstreamIs502() throws Exception {
        upstream().pause();
        try {
            assertError(post(conversation("hi", "true")), 502, "UPSTREAM_FAILED");
            assertError(post(conversation("hi", null)), 502, "UPSTREAM_FAILED");
        } finally {
            upstream().resume();
        }
    }

    @Test
    void slowUpstreamIs504() throws Exception {
        assertError(post(conversation("#fake delay=" + (3 * TIMEOUT_MS), "true")), 504, "UPSTREAM_TIMEOUT");
        assertError(post(conversation("#fake delay=" + (3 * TIMEOUT_MS), null)), 504, "UPSTREAM_TIMEOUT");
    }

    @Test
    void cutStreamEndsWithAnErrorEvent() throws Exception {
        HttpResponse<String> response = post(conversation("#fake tokens=5 itl=20 cut=2", "true"));
        assertEquals(200, response.statusCode());
        String body = response.body();
        assertTrue(body.startsWith("data: {\"token\":\"t0\"}\n\ndata: {\"token\":\" t1\"}\n\nevent: error\ndata: {"), body);
        assertTrue(body.endsWith("\"code\":\"UPSTREAM_FAILED\"}\n\n"), body);
        assertFalse(body.contains("[DONE]"), body);
    }

    @Test
    void stalledStreamEndsWithATimeoutEvent() throws Exception {
        HttpResponse<String> response = post(conversation("#fake tokens=3 stall=" + (4 * TIMEOUT_MS), "true"));
        assertEquals(200, response.statusCode());
        String body = response.body();
        assertTrue(body.startsWith("data: {\"token\":\"t0\"}\n\nevent: error\ndata: {"), body);
        assertTrue(body.endsWith("\"code\":\"UPSTREAM_TIMEOUT\"}\n\n"), body);
    }

    @Test
    void callerGoingAwayClosesTheUpstreamStream() throws Exception {
        int before = upstream().abandoned.get();
        HttpResponse<InputStream> response = CLIENT.send(chat(conversation("#fake tokens=40 itl=50", "true")),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        try (InputStream body = response.body()) {
            BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
            assertEquals("data: {\"token\":\"t0\"}", reader.readLine());
        }
        // 40 tokens take 2 s: the upstream sees its stream abandoned well before its end.
        long deadline = System.nanoTime() + Duration.ofMillis(1500).toNanos();
        while (upstream().abandoned.get() == before && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(upstream().abandoned.get() > before, "the upstream stream went on after the caller left");
    }

    @Test
    void badInput() throws Exception {
        assertError(post("{\"messages\":[]}"), 400, "EMPTY_BATCH");
        assertError(post("{\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}]}"), 400, "INVALID_ROLE");
        assertError(post("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"temperature\":1}"), 400, "UNKNOWN_FIELD");
        assertError(post("{\"messages\":[{\"role\":\"user\",\"content\":\"x\",\"name\":\"n\"}]}"), 400, "UNKNOWN_FIELD");
        assertError(post("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"stream\":\"yes\"}"), 400, "MISTYPED_FIELD");
        assertError(post("{\"messages\":\"x\"}"), 400, "MISTYPED_FIELD");
        assertError(post("{}"), 400, "MISSING_FIELD");
        assertError(post("{\"messages\":[{\"role\":\"user\"}]}"), 400, "MISSING_FIELD");
        assertError(post("{\"messages\":"), 400, "MALFORMED_JSON");
        StringBuilder many = new StringBuilder("{\"messages\":[");
        for (int i = 0; i < 65; i++) {
            many.append(i == 0 ? "" : ",").append("{\"role\":\"user\",\"content\":\"x\"}");
        }
        assertError(post(many + "]}"), 413, "TOO_MANY_MESSAGES");
        assertError(post(conversation("x".repeat(8001), null)), 413, "TEXT_TOO_LONG");
        HttpResponse<String> text = CLIENT.send(HttpRequest.newBuilder(baseUri().resolve("/chat"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(conversation("x", null))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertError(text, 415, "UNSUPPORTED_MEDIA_TYPE");
    }

    @Test
    void infoNamesTheVariantAndTheChatClient() throws Exception {
        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(baseUri().resolve("/info")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        JsonNode details = JSON.readTree(response.body()).path("threading").path("details");
        assertEquals(variant(), details.path("variant").asText(), response.body());
        JsonNode chat = details.path("chat");
        assertFalse(chat.path("client").asText().isEmpty(), response.body());
        assertTrue(chat.path("pool").asInt() >= 64, response.body());
        assertTrue(chat.path("handler").asText().contains(handlerWord()), response.body());
        assertEquals(upstream().baseUri() + "/chat/completions", chat.path("upstream").asText(), response.body());
    }
}
