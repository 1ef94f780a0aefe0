package dev.predictbench.quarkus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * POST /chat against the built jar and {@link FakeUpstream}, for one variant (a subclass per
 * variant, its test profile passing the settings as system properties): tokens relayed in order
 * with the upstream's spacing, the whole answer, 502 and 504 before the stream, error events after
 * it began, the caller leaving, the in-flight limit, bad input, /info, and the thread the handler ran on.
 */
abstract class ChatChecks {
    static final long TIMEOUT_MS = 500;
    static final int MAX_INFLIGHT = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL base;

    /** When the last {@link #stream} request was sent. */
    private long sent;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The settings of one variant's run: the fake upstream, a short timeout, a small /chat limit. */
    static Map<String, String> settings(String variant) {
        return Map.of("predictbench.upstream.url", FakeUpstream.shared().baseUrl(),
                "predictbench.upstream.timeout.ms", String.valueOf(TIMEOUT_MS),
                "predictbench.chat.max.inflight", String.valueOf(MAX_INFLIGHT),
                "predictbench.variant", variant);
    }

    abstract static class VariantProfile implements QuarkusTestProfile {
        abstract String variant();

        @Override
        public Map<String, String> getConfigOverrides() {
            return settings(variant());
        }
    }

    abstract String variant();

    abstract String threadingModel();

    /** Whether the name of the thread the /chat handler ran on is this variant's. */
    abstract boolean handlerThreadIsRight(String thread);

    private static String chat(String content, boolean stream) {
        return JSON.createObjectNode().put("stream", stream).set("messages", JSON.createArrayNode()
                .add(JSON.createObjectNode().put("role", "user").put("content", content))).toString();
    }

    private HttpRequest.Builder post(String body) {
        return HttpRequest.newBuilder(URI.create(base + "chat")).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private HttpResponse<String> send(String body) throws Exception {
        return http.send(post(body).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    private void assertError(HttpResponse<String> response, int status, String code) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                response.headers().toString());
        assertEquals(code, json(response).path("code").asText(), response.body());
    }

    /** One event of a streamed answer and when it arrived. */
    record Event(String text, long nanos) {
    }

    private record Stream(HttpResponse<InputStream> response, List<Event> events) {
    }

    /** Reads a whole event stream (until it ends), recording when each event came. */
    private Stream stream(String content) throws Exception {
        sent = System.nanoTime();
        HttpResponse<InputStream> response = http.send(post(chat(content, true)).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        List<Event> events = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            StringBuilder event = new StringBuilder();
            for (String line; (line = lines.readLine()) != null; ) {
                if (line.isEmpty()) {
                    events.add(new Event(event.toString(), System.nanoTime()));
                    event.setLength(0);
                } else {
                    event.append(event.isEmpty() ? "" : "\n").append(line);
                }
            }
        }
        return new Stream(response, events);
    }

    private static String tokenEvent(String token) {
        return "data: " + JSON.createObjectNode().put("token", token);
    }

    @Test
    void streamsTokensInOrderWithTheUpstreamsSpacing() throws Exception {
        Stream s = stream("hello\n#sim tokens=5 ttft=50 itl=200");
        assertEquals(200, s.response.statusCode());
        assertTrue(s.response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        assertEquals("no-cache", s.response.headers().firstValue("Cache-Control").orElse(""));
        assertTrue(s.response.headers().firstValue("Content-Encoding").isEmpty(), "no compression");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            expected.add(tokenEvent(FakeUpstream.token(i)));
        }
        expected.add("data: [DONE]");
        assertEquals(expected, s.events.stream().map(Event::text).toList());
        // Lower bounds only, robust to a loaded machine delaying an event: no token before the
        // upstream sent it (50 ms + 200 ms per token after the request), the tokens spread over most of
        // the upstream's 800 ms rather than bunched (as a buffered relay would send them), no two together.
        for (int i = 0; i < 5; i++) {
            long afterRequestMs = (s.events.get(i).nanos - sent) / 1_000_000;
            assertTrue(afterRequestMs >= 50 + 200L * i - 5, "token " + i + " came " + afterRequestMs + " ms after the request");
        }
        for (int i = 1; i < 5; i++) {
            long gapMs = (s.events.get(i).nanos - s.events.get(i - 1).nanos) / 1_000_000;
            assertTrue(gapMs >= 50, "token " + i + " came " + gapMs + " ms after the one before; the upstream waited 200");
        }
        long spanMs = (s.events.get(4).nanos - s.events.get(0).nanos) / 1_000_000;
        assertTrue(spanMs >= 500, "the five tokens came within " + spanMs + " ms; the upstream spread them over 800");
        JsonNode forwarded = FakeUpstream.shared().lastRequest;
        assertEquals("predictbench-sim", forwarded.path("model").asText());
        assertTrue(forwarded.path("stream").asBoolean());
        assertEquals("user", forwarded.path("messages").path(0).path("role").asText());
    }

    @Test
    void answersWhole() throws Exception {
        HttpResponse<String> r = send(chat("hi\n#sim tokens=4", false));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode answer = json(r);
        assertEquals("tok0 tok1 tok2 tok3", answer.path("content").asText());
        assertEquals(4, answer.path("completionTokens").asInt());
        assertEquals("stop", answer.path("finishReason").asText());
        assertFalse(FakeUpstream.shared().lastRequest.path("stream").asBoolean(true));
        // stream absent means a whole answer too
        r = send("{\"messages\":[{\"role\":\"user\",\"content\":\"x\\n#sim tokens=2\"}]}");
        assertEquals("tok0 tok1", json(r).path("content").asText(), r.body());
    }

    @Test
    void upstreamErrorStatusIs502() throws Exception {
        assertError(send(chat("#sim status=500", true)), 502, "UPSTREAM_FAILED");
        assertError(send(chat("#sim status=500", false)), 502, "UPSTREAM_FAILED");
    }

    @Test
    void refusedUpstreamIs502() throws Exception {
        FakeUpstream upstream = FakeUpstream.shared();
        upstream.pause();
        try {
            assertError(send(chat("hello", true)), 502, "UPSTREAM_FAILED");
            assertError(send(chat("hello", false)), 502, "UPSTREAM_FAILED");
        } finally {
            upstream.resume();
        }
    }

    @Test
    void noHeadersWithinTheTimeoutIs504() throws Exception {
        assertError(send(chat("#sim hdelay=1500", true)), 504, "UPSTREAM_TIMEOUT");
        assertError(send(chat("#sim ttft=1500", false)), 504, "UPSTREAM_TIMEOUT");
    }

    @Test
    void aWholeAnswerStalledOverTheTimeoutIs504() throws Exception {
        assertError(send(chat("#sim stall=1500", false)), 504, "UPSTREAM_TIMEOUT");
    }

    @Test
    void aGapOverTheTimeoutEndsTheStreamWithATimeoutEvent() throws Exception {
        Stream s = stream("#sim tokens=3 itl=1500");
        assertEquals(200, s.response.statusCode());
        assertEquals(tokenEvent("tok0"), s.events.get(0).text());
        assertEquals(2, s.events.size(), s.events.toString());
        assertTrue(s.events.get(1).text().startsWith("event: error\ndata: "), s.events.toString());
        assertTrue(s.events.get(1).text().contains("\"UPSTREAM_TIMEOUT\""), s.events.toString());
    }

    @Test
    void aCutStreamEndsWithAnErrorEvent() throws Exception {
        Stream s = stream("#sim tokens=5 cut=2 itl=20");
        assertEquals(200, s.response.statusCode());
        List<String> texts = s.events.stream().map(Event::text).toList();
        assertEquals(List.of(tokenEvent("tok0"), tokenEvent(" tok1")), texts.subList(0, 2), texts.toString());
        assertEquals(3, texts.size(), texts.toString());
        assertTrue(texts.get(2).startsWith("event: error\ndata: ") && texts.get(2).contains("\"UPSTREAM_FAILED\""), texts.toString());
        assertError(send(chat("#sim cut=0", false)), 502, "UPSTREAM_FAILED");
    }

    @Test
    void theCallerLeavingClosesTheUpstreamStream() throws Exception {
        FakeUpstream upstream = FakeUpstream.shared();
        HttpResponse<InputStream> response = http.send(post(chat("#sim tokens=100 itl=50", true)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        try (InputStream in = response.body()) {
            in.readNBytes(10);
        }
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (upstream.activeStreams.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, upstream.activeStreams.get(), "the upstream stream is still open after the caller left");
    }

    @Test
    void pastTheChatLimitIs503WithRetryAfter() throws Exception {
        List<HttpResponse<InputStream>> open = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_INFLIGHT; i++) {
                HttpResponse<InputStream> r = http.send(post(chat("#sim tokens=4 itl=400", true)).build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                assertEquals(200, r.statusCode());
                open.add(r);
            }
            HttpResponse<String> refused = send(chat("one too many", true));
            assertError(refused, 503, "OVERLOADED");
            assertEquals("1", refused.headers().firstValue("Retry-After").orElse(""));
        } finally {
            for (HttpResponse<InputStream> r : open) {
                r.body().readAllBytes();
                r.body().close();
            }
        }
        // the places are given back
        assertEquals(200, send(chat("#sim tokens=1", false)).statusCode());
    }

    @Test
    void badInputGetsTheContractsCodes() throws Exception {
        assertError(send("{\"messages\":[],\"stream\":true}"), 400, "EMPTY_BATCH");
        assertError(send("{\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}]}"), 400, "INVALID_ROLE");
        assertEquals("UNKNOWN_FIELD", json(send("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"temperature\":1}")).path("code").asText());
        assertEquals("UNKNOWN_FIELD", json(send("{\"messages\":[{\"role\":\"user\",\"content\":\"x\",\"name\":\"n\"}]}")).path("code").asText());
        assertEquals("MISTYPED_FIELD", json(send("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"stream\":\"yes\"}")).path("code").asText());
        assertEquals("MISSING_FIELD", json(send("{\"stream\":true}")).path("code").asText());
        assertEquals("MALFORMED_JSON", json(send("{\"messages\":")).path("code").asText());
        assertEquals("MALFORMED_JSON", json(send("")).path("code").asText());
        StringBuilder many = new StringBuilder("{\"messages\":[");
        for (int i = 0; i < 65; i++) {
            many.append(i == 0 ? "" : ",").append("{\"role\":\"user\",\"content\":\"x\"}");
        }
        assertError(send(many.append("]}").toString()), 413, "TOO_MANY_MESSAGES");
        HttpResponse<String> text = http.send(HttpRequest.newBuilder(URI.create(base + "chat"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(chat("x", false))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertError(text, 415, "UNSUPPORTED_MEDIA_TYPE");
    }

    @Test
    void infoNamesTheVariantTheClientAndTheHandlersThread() throws Exception {
        assertEquals(200, send(chat("#sim tokens=1", false)).statusCode());
        JsonNode info = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "info")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        JsonNode threading = info.path("threading");
        assertEquals(threadingModel(), threading.path("model").asText(), info.toString());
        JsonNode details = threading.path("details");
        assertEquals(variant(), details.path("variant").asText());
        JsonNode chat = details.path("chat");
        assertEquals(2048, chat.path("pool").asInt(), chat.toString());
        assertEquals(FakeUpstream.shared().baseUrl(), chat.path("upstream").asText());
        assertFalse(chat.path("client").asText().isBlank());
        assertFalse(chat.path("handler").asText().isBlank());
        String thread = chat.path("handlerThread").asText();
        assertTrue(handlerThreadIsRight(thread), variant() + "'s /chat ran on " + thread);
    }

    @Test
    void metricsCountCompletedChats() throws Exception {
        assertEquals(200, send(chat("#sim tokens=1", false)).statusCode());
        String metrics = http.send(HttpRequest.newBuilder(URI.create(base + "metrics")).header("Accept", "text/plain").build(),
                HttpResponse.BodyHandlers.ofString()).body();
        String line = metrics.lines().filter(l -> l.startsWith("predictbench_chats_total")).findFirst().orElse("");
        assertTrue(!line.isEmpty() && Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)) >= 1, line);
    }

    @Test
    void predictStillAnswers() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "model")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
    }
}
