package dev.predictbench.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpApiTest {

    private static LlmSimulator sim;
    private static HttpClient client;
    private static String root;

    @BeforeAll
    static void start() {
        sim = LlmSimulator.start(SimulatorConfig.defaults().withTtftMs(0).withItlMs(0).withTokens(3));
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        root = "http://127.0.0.1:" + sim.port();
    }

    @AfterAll
    static void stop() {
        client.close();
        sim.close();
    }

    @BeforeEach
    void reset() {
        sim.resetStats();
    }

    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.BodyPublisher publisher = body == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body);
        return client.send(HttpRequest.newBuilder(URI.create(root + path)).method(method, publisher)
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void baseUrl() {
        assertEquals("http://127.0.0.1:" + sim.port() + "/v1", sim.baseUrl());
    }

    @Test
    void statsCountAndReset() throws Exception {
        assertEquals(200, send("POST", "/v1/chat/completions", Sim.body("one", true)).statusCode());
        assertEquals(200, send("POST", "/v1/chat/completions", Sim.body("two", false)).statusCode());
        assertEquals(400, send("POST", "/v1/chat/completions", "{").statusCode());
        HttpResponse<String> response = send("GET", "/stats", null);
        assertEquals(200, response.statusCode());
        assertEquals("application/json", response.headers().firstValue("content-type").orElse(""));
        JsonNode stats = Sim.json(response.body());
        List<String> fields = List.of("activeStreams", "maxActiveStreams", "streams", "requests", "events",
                "lateEvents", "latenessP50Micros", "latenessP99Micros", "latenessMaxMicros", "threads");
        List<String> names = new java.util.ArrayList<>();
        stats.fieldNames().forEachRemaining(names::add);
        assertEquals(fields, names);
        assertEquals(0, stats.get("activeStreams").asLong());
        assertEquals(1, stats.get("maxActiveStreams").asLong());
        assertEquals(2, stats.get("streams").asLong());
        assertEquals(3, stats.get("requests").asLong());
        assertEquals(4, stats.get("events").asLong(), "three streamed tokens and one answer");
        assertEquals(1, stats.get("threads").asInt());
        assertTrue(stats.get("latenessMaxMicros").asLong() >= stats.get("latenessP50Micros").asLong());
        assertEquals(sim.stats().toJson(), response.body());

        HttpResponse<String> reset = send("POST", "/stats/reset", null);
        assertEquals(200, reset.statusCode());
        JsonNode zero = Sim.json(reset.body());
        for (String field : fields) {
            if (!field.equals("threads")) {
                assertEquals(0, zero.get(field).asLong(), field);
            }
        }
        assertEquals(0, sim.stats().requests());
    }

    @Test
    void badRequestsAre400WithOpenAiErrorBody() throws Exception {
        for (String body : List.of("{not json", "[]", "{\"model\":\"m\"}", "{\"model\":\"m\",\"messages\":[]}",
                "{\"model\":\"m\",\"messages\":\"hi\"}", "{\"messages\":[{\"role\":\"user\",\"content\":42}]}", "")) {
            HttpResponse<String> response = send("POST", "/v1/chat/completions", body);
            assertEquals(400, response.statusCode(), body);
            JsonNode error = Sim.json(response.body()).get("error");
            assertEquals("invalid_request_error", error.get("type").asText(), body);
            assertTrue(error.get("message").asText().length() > 5, body);
        }
    }

    @Test
    void unknownPathIs404AndWrongMethodIs405() throws Exception {
        HttpResponse<String> response = send("POST", "/v1/completions", Sim.body("x", false));
        assertEquals(404, response.statusCode());
        assertEquals("invalid_request_error", Sim.json(response.body()).get("error").get("type").asText());
        assertEquals(404, send("GET", "/", null).statusCode());
        assertEquals(405, send("GET", "/v1/chat/completions", null).statusCode());
    }

    @Test
    void bodyOverOneMebibyteIs413() throws Exception {
        String big = Sim.body("x".repeat(LlmSimulator.MAX_BODY_BYTES), false);
        assertEquals(413, send("POST", "/v1/chat/completions", big).statusCode());
        String justUnder = Sim.body("x".repeat(LlmSimulator.MAX_BODY_BYTES - 200), false);
        assertEquals(200, send("POST", "/v1/chat/completions", justUnder).statusCode());
    }

    @Test
    void keepAliveServesSequentialRequestsOnOneConnection() throws Exception {
        try (RawHttp raw = new RawHttp(sim.port())) {
            for (int i = 0; i < 3; i++) {
                raw.send("POST", "/v1/chat/completions", Sim.body("again " + i, true));
                String response = raw.readUntil("0\r\n\r\n");
                assertTrue(response.startsWith("HTTP/1.1 200"), response);
                assertTrue(response.toLowerCase().contains("transfer-encoding: chunked"), response);
                String body = response.substring(response.indexOf("\r\n\r\n") + 4).replace("\r\n", "\n");
                assertEquals(Script.tokens("again " + i, 3), Sim.contents(body));
                raw.send("POST", "/v1/chat/completions", Sim.body("plain " + i, false));
                String plain = raw.readUntil("}}");
                assertTrue(plain.contains(Json.quote(Script.completion("plain " + i, 3))), plain);
            }
            // Two pipelined requests are answered in order.
            raw.send("POST", "/v1/chat/completions", Sim.body("first", true));
            raw.send("GET", "/stats", "");
            String both = raw.readUntil("\"threads\":1}");
            assertTrue(both.indexOf("[DONE]") < both.indexOf("\"activeStreams\""), both);
        }
    }

    @Test
    void includeUsageAddsAUsageChunk() throws Exception {
        String body = "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                + "\"temperature\":0.2,\"max_tokens\":9,\"n\":1,\"messages\":[{\"role\":\"user\",\"content\":\"a b c\"}]}";
        HttpResponse<String> response = send("POST", "/v1/chat/completions", body);
        String[] events = response.body().split("\n\n");
        assertEquals("data: [DONE]", events[events.length - 1]);
        JsonNode usage = Sim.json(events[events.length - 2].substring(6));
        assertEquals(0, usage.get("choices").size());
        assertEquals(3, usage.get("usage").get("prompt_tokens").asInt());
        assertEquals(3, usage.get("usage").get("completion_tokens").asInt());
        assertEquals(6, usage.get("usage").get("total_tokens").asInt());
        JsonNode finish = Sim.json(events[events.length - 3].substring(6));
        assertEquals("stop", finish.get("choices").get(0).get("finish_reason").asText());
        assertEquals(0, finish.get("choices").get(0).get("delta").size());
        JsonNode first = Sim.json(events[0].substring(6));
        assertEquals("assistant", first.get("choices").get(0).get("delta").get("role").asText());
        assertEquals("chat.completion.chunk", first.get("object").asText());
        assertTrue(first.get("id").asText().startsWith("chatcmpl-"));
        assertTrue(first.get("choices").get(0).get("finish_reason").isNull());
    }
}
