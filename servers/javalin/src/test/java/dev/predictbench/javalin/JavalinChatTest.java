package dev.predictbench.javalin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.predictbench.model.PredictService;
import dev.predictbench.model.Protection;
import dev.predictbench.model.chat.ChatSettings;
import dev.predictbench.model.genai.GenAiService;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code POST /chat} on a stack on the Javalin glue ({@link #stack}: Javalin's own, over the JDK
 * HttpClient), against {@link FakeUpstream}: tokens relayed in order with the upstream's spacing,
 * the whole answer, the upstream's failures before and after the stream began, bad input, the caller
 * hanging up, {@code /info}, and both variants.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public class JavalinChatTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Well under the fake's 3 s silences, well over a loaded machine's first call. */
    private static final Duration TIMEOUT = Duration.ofMillis(1000);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private FakeUpstream upstream;
    private PredictService service;
    private GenAiService genAi;
    private final List<Javalin> apps = new ArrayList<>();
    private URI platform;
    private URI virtual;
    private URI refused;

    /** The stack under test, its {@code /chat} going where {@code chat} says. */
    protected JavalinServer.Stack stack(PredictService service, GenAiService genAi, ChatSettings chat) {
        return JavalinServer.stack(service, genAi, chat);
    }

    /** How {@code /info}'s chat client starts. */
    protected String expectedClient() {
        return "JDK java.net.http.HttpClient";
    }

    @BeforeAll
    void start() throws IOException {
        upstream = new FakeUpstream();
        service = PredictService.fromEnvironment();
        genAi = GenAiService.fromEnvironment();
        platform = serve(upstream.baseUrl(), Variant.PLATFORM);
        virtual = serve(upstream.baseUrl(), Variant.VIRTUAL);
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        refused = serve("http://127.0.0.1:" + closedPort + "/v1", Variant.PLATFORM);
        // The first call through a client loads its classes; no test should time out on that.
        for (URI base : List.of(platform, virtual)) {
            try {
                post(base, body("ok", true));
                post(base, body("ok", false));
            } catch (Exception e) {
                throw new IllegalStateException("warm-up failed", e);
            }
        }
    }

    private URI serve(String upstreamUrl, Variant variant) {
        return serve(upstreamUrl, variant, 16);
    }

    private URI serve(String upstreamUrl, Variant variant, int maxInflight) {
        ChatSettings settings = new ChatSettings(URI.create(upstreamUrl), "test-model", TIMEOUT, 64, maxInflight);
        Javalin app = JavalinServer.create(service, stack(service, genAi, settings), Protection.off(), variant)
                .start("127.0.0.1", 0);
        apps.add(app);
        return URI.create("http://127.0.0.1:" + app.port());
    }

    @AfterAll
    void stop() {
        apps.forEach(Javalin::stop);
        upstream.close();
        genAi.close();
        service.close();
    }

    private static String body(String content, Boolean stream) {
        var root = JSON.createObjectNode();
        root.putArray("messages").addObject().put("role", "user").put("content", content);
        if (stream != null) {
            root.put("stream", stream);
        }
        return root.toString();
    }

    private HttpResponse<String> post(URI base, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve("/chat")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A line of the event stream and when it arrived. */
    private record Line(String text, long nanos) {
    }

    private List<Line> streamLines(URI base, String content, HttpResponse<?>[] head) throws Exception {
        HttpResponse<Stream<String>> response = http.send(HttpRequest.newBuilder(base.resolve("/chat"))
                .header("Content-Type", "application/json").header("Accept-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofString(body(content, true))).build(), HttpResponse.BodyHandlers.ofLines());
        head[0] = response;
        List<Line> lines = new ArrayList<>();
        try (Stream<String> body = response.body()) {
            Iterator<String> it = body.iterator();
            while (it.hasNext()) {
                lines.add(new Line(it.next(), System.nanoTime()));
            }
        }
        return lines;
    }

    private void assertStreams(URI base) throws Exception {
        HttpResponse<?>[] head = new HttpResponse<?>[1];
        List<Line> lines = streamLines(base, "ok", head);
        assertEquals(200, head[0].statusCode());
        assertEquals("text/event-stream", head[0].headers().firstValue("Content-Type").orElse("").split(";")[0]);
        assertEquals("no-cache", head[0].headers().firstValue("Cache-Control").orElse(""));
        assertTrue(head[0].headers().firstValue("Content-Encoding").isEmpty(), "no compression");
        List<Line> data = lines.stream().filter(l -> !l.text().isEmpty()).toList();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < FakeUpstream.TOKENS; i++) {
            expected.add("data: {\"token\":\"tok" + i + "\"}");
        }
        expected.add("data: [DONE]");
        assertEquals(expected, data.stream().map(Line::text).toList());
        // Every event ends with a blank line.
        assertEquals(2 * expected.size(), lines.size());
        // Relayed as they came, not gathered: the tokens span the upstream's gaps, and no two arrive
        // together (lower bounds only, with room for a loaded machine delaying one token).
        long spanMs = TimeUnit.NANOSECONDS.toMillis(data.get(FakeUpstream.TOKENS - 1).nanos() - data.get(0).nanos());
        assertTrue(spanMs >= (FakeUpstream.TOKENS - 1) * FakeUpstream.GAP_MS - 60, "the tokens spanned only " + spanMs + " ms");
        for (int i = 1; i < FakeUpstream.TOKENS; i++) {
            long gapMs = TimeUnit.NANOSECONDS.toMillis(data.get(i).nanos() - data.get(i - 1).nanos());
            assertTrue(gapMs >= 20, "token " + i + " came " + gapMs + " ms after the one before");
        }
    }

    @Test
    void streamsTokensInOrderWithTheUpstreamsSpacing() throws Exception {
        assertStreams(platform);
        JsonNode sent = upstream.lastRequest.get();
        assertEquals("test-model", sent.path("model").asText());
        assertTrue(sent.path("stream").asBoolean());
        assertEquals("ok", sent.path("messages").path(0).path("content").asText());
    }

    @Test
    void virtualVariantStreams() throws Exception {
        assertStreams(virtual);
    }

    @Test
    void wholeAnswer() throws Exception {
        for (Boolean stream : new Boolean[] {null, false}) {
            HttpResponse<String> response = post(platform, body("ok", stream));
            assertEquals(200, response.statusCode(), response.body());
            JsonNode answer = JSON.readTree(response.body());
            assertEquals("tok0 tok1 tok2 tok3", answer.path("content").asText());
            assertEquals(4, answer.path("completionTokens").asInt());
            assertEquals("stop", answer.path("finishReason").asText());
            assertFalse(upstream.lastRequest.get().path("stream").asBoolean(true));
        }
    }

    private static void assertError(HttpResponse<String> response, int status, String code) throws IOException {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(code, JSON.readTree(response.body()).path("code").asText(), response.body());
    }

    @Test
    void refusedUpstreamIs502() throws Exception {
        assertError(post(refused, body("ok", true)), 502, "UPSTREAM_FAILED");
        assertError(post(refused, body("ok", false)), 502, "UPSTREAM_FAILED");
    }

    @Test
    void upstreamErrorStatusIs502() throws Exception {
        assertError(post(platform, body("status500", true)), 502, "UPSTREAM_FAILED");
        assertError(post(platform, body("status500", false)), 502, "UPSTREAM_FAILED");
    }

    @Test
    void slowUpstreamIs504() throws Exception {
        assertError(post(platform, body("slowstart", true)), 504, "UPSTREAM_TIMEOUT");
        assertError(post(platform, body("slowstart", false)), 504, "UPSTREAM_TIMEOUT");
    }

    private List<String> events(String content) throws Exception {
        HttpResponse<?>[] head = new HttpResponse<?>[1];
        List<String> lines = streamLines(platform, content, head).stream().map(Line::text).toList();
        assertEquals(200, head[0].statusCode());
        return lines;
    }

    @Test
    void cutStreamEndsWithAnErrorEvent() throws Exception {
        List<String> lines = events("cut");
        assertEquals(List.of("data: {\"token\":\"tok0\"}", "", "data: {\"token\":\"tok1\"}", "", "event: error"),
                lines.subList(0, 5));
        assertTrue(lines.get(5).startsWith("data: {") && lines.get(5).contains("\"code\":\"UPSTREAM_FAILED\""), lines.get(5));
        assertEquals(7, lines.size(), lines.toString());
    }

    @Test
    void silentUpstreamEndsWithATimeoutEvent() throws Exception {
        List<String> lines = events("slowgap");
        assertEquals(List.of("data: {\"token\":\"tok0\"}", "", "event: error"), lines.subList(0, 3));
        assertTrue(lines.get(3).contains("\"code\":\"UPSTREAM_TIMEOUT\""), lines.get(3));
        assertFalse(lines.contains("data: [DONE]"));
    }

    /** A raw connection that asked {@code base} for the fake's long stream and read up to its second token. */
    private static Socket longStream(URI base) throws IOException {
        byte[] json = body("long", true).getBytes(StandardCharsets.UTF_8);
        Socket socket = new Socket("127.0.0.1", base.getPort());
        OutputStream out = socket.getOutputStream();
        out.write(("POST /chat HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
                + json.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(json);
        out.flush();
        InputStream in = socket.getInputStream();
        String seen = "";
        byte[] buffer = new byte[4096];
        while (!seen.contains("tok1")) {
            int n = in.read(buffer);
            assertTrue(n > 0, "the stream ended early: " + seen);
            seen += new String(buffer, 0, n, StandardCharsets.UTF_8);
        }
        return socket;
    }

    @Test
    void callerHangingUpClosesTheUpstreamStream() throws Exception {
        longStream(platform).close();
        assertTrue(upstream.hungUp.await(10, TimeUnit.SECONDS), "the upstream stream was not closed");
    }

    @Test
    void chatsPastTheLimitAre503() throws Exception {
        URI limited = serve(upstream.baseUrl(), Variant.PLATFORM, 1);
        try (Socket holding = longStream(limited)) {
            HttpResponse<String> response = post(limited, body("ok", false));
            assertError(response, 503, "OVERLOADED");
            assertEquals("1", response.headers().firstValue("Retry-After").orElse(""));
        }
    }

    @Test
    void completedChatsAreCounted() throws Exception {
        post(platform, body("ok", false));
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(platform.resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(metrics.body().lines().anyMatch(l -> l.startsWith("predictbench_chats_total ")), metrics.body());
    }

    @Test
    void badInput() throws Exception {
        assertError(post(platform, "{\"messages\":[]}"), 400, "EMPTY_BATCH");
        assertError(post(platform, "{\"messages\":[{\"role\":\"robot\",\"content\":\"hi\"}]}"), 400, "INVALID_ROLE");
        assertError(post(platform, "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":1}"), 400, "UNKNOWN_FIELD");
        assertError(post(platform, "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\",\"name\":\"x\"}]}"), 400, "UNKNOWN_FIELD");
        assertError(post(platform, "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":\"yes\"}"), 400, "MISTYPED_FIELD");
        assertError(post(platform, "{\"messages\":"), 400, "MALFORMED_JSON");
        assertError(post(platform, "{}"), 400, "MISSING_FIELD");
    }

    private JsonNode info(URI base) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve("/info")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        return JSON.readTree(response.body()).path("threading");
    }

    @Test
    void infoNamesTheVariantAndTheChatClient() throws Exception {
        JsonNode threading = info(platform);
        assertEquals("platform-thread-pool", threading.path("model").asText());
        JsonNode details = threading.path("details");
        assertEquals("platform", details.path("variant").asText());
        JsonNode chat = details.path("chat");
        assertTrue(chat.path("client").asText().startsWith(expectedClient()), chat.toString());
        assertEquals(64, chat.path("pool").asInt());
        assertTrue(chat.path("handler").asText().contains("platform"), chat.toString());
        assertEquals(upstream.baseUrl(), chat.path("upstream").asText());

        JsonNode virtualThreading = info(virtual);
        assertEquals("virtual-threads", virtualThreading.path("model").asText());
        assertEquals("virtual", virtualThreading.path("details").path("variant").asText());
        assertTrue(virtualThreading.path("details").path("chat").path("handler").asText().contains("virtual"));
        assertTrue(virtualThreading.path("predictThread").asText().contains("(virtual)"), virtualThreading.toString());
    }

    @Test
    void unknownVariantFailsWithTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Variant.of("green"));
        assertTrue(e.getMessage().contains("platform, virtual"), e.getMessage());
    }
}
