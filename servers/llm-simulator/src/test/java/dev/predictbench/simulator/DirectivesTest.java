package dev.predictbench.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DirectivesTest {

    private static LlmSimulator sim;
    private static HttpClient client;

    @BeforeAll
    static void start() {
        sim = LlmSimulator.start(SimulatorConfig.defaults().withTtftMs(10).withItlMs(5).withTokens(6));
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    static void stop() {
        client.close();
        sim.close();
    }

    @Test
    void statusAnswersAtOnceWithOpenAiErrorBody() throws Exception {
        for (boolean stream : new boolean[] {true, false}) {
            HttpResponse<String> response = client.send(Sim.post(sim, Sim.body("hi\n#sim status=500", stream)),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(500, response.statusCode());
            JsonNode error = Sim.json(response.body()).get("error");
            assertEquals("server_error", error.get("type").asText());
            assertTrue(error.get("message").isTextual());
            assertTrue(error.has("code") && error.get("code").isNull());
        }
        HttpResponse<String> response = client.send(Sim.post(sim, Sim.body("#sim status=429", false)),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(429, response.statusCode());
    }

    @Test
    void tokensSetsTheLength() throws Exception {
        String content = "short one\n#sim tokens=2 ttft=0 itl=0";
        HttpResponse<String> response = client.send(Sim.post(sim, Sim.body(content, true)),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertEquals(Script.tokens(content, 2), Sim.contents(response.body()));
        assertTrue(response.body().endsWith("data: [DONE]\n\n"));
        assertTrue(response.body().contains("\"finish_reason\":\"stop\""));
    }

    @Test
    void cutEndsTheStreamAbruptlyAfterKTokens() throws Exception {
        String content = "cut me\n#sim cut=3 tokens=10";
        // A real client sees the stream fail: a premature end of the chunked body.
        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> client.sendAsync(Sim.post(sim, Sim.body(content, true)), HttpResponse.BodyHandlers.ofString())
                        .get(10, TimeUnit.SECONDS));
        assertTrue(failure.getCause() instanceof IOException, failure.getCause().toString());
        // The bytes: three content tokens, then the end of the connection without a finish chunk, [DONE]
        // or the chunked encoding's last chunk.
        try (RawHttp raw = new RawHttp(sim.port())) {
            raw.send("POST", "/v1/chat/completions", Sim.body(content, true));
            String all = raw.readToEof();
            assertTrue(all.startsWith("HTTP/1.1 200"), all);
            String body = all.substring(all.indexOf("\r\n\r\n") + 4);
            List<String> tokens = Sim.contents(body.replace("\r\n", "\n"));
            assertEquals(Script.tokens(content, 3), tokens);
            assertFalse(body.contains("[DONE]"));
            assertFalse(body.contains("finish_reason\":\"stop"));
            assertFalse(body.endsWith("0\r\n\r\n"), "no last chunk");
        }
    }

    @Test
    void cutOnANonStreamingRequestClosesBeforeAnswering() {
        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> client.sendAsync(Sim.post(sim, Sim.body("#sim cut=0", false)), HttpResponse.BodyHandlers.ofString())
                        .get(10, TimeUnit.SECONDS));
        assertTrue(failure.getCause() instanceof IOException, failure.getCause().toString());
    }

    @Test
    void badDirectiveIs400() throws Exception {
        for (String directive : List.of("#sim tokens=abc", "#sim tokens=0", "#sim color=red", "#sim status=200", "#sim ttft")) {
            HttpResponse<String> response = client.send(Sim.post(sim, Sim.body("x\n" + directive, true)),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(400, response.statusCode(), directive);
            assertEquals("invalid_request_error", Sim.json(response.body()).get("error").get("type").asText());
        }
    }

    @Test
    void directiveInAnEarlierMessageIsIgnored() throws Exception {
        String body = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"#sim tokens=2\"},"
                + "{\"role\":\"user\",\"content\":\"again\"}]}";
        HttpResponse<String> response = client.send(Sim.post(sim, body), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        JsonNode answer = Sim.json(response.body());
        assertEquals(Script.completion("#sim tokens=2\nagain", 6),
                answer.get("choices").get(0).get("message").get("content").asText());
        assertEquals("m", answer.get("model").asText());
        assertEquals("chat.completion", answer.get("object").asText());
        assertEquals(6, answer.get("usage").get("completion_tokens").asInt());
    }
}
