package dev.predictbench.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class PauseResumeTest {

    private static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @Test
    void pauseRefusesConnectionsAndResumeListensOnTheSamePort() throws Exception {
        try (LlmSimulator sim = LlmSimulator.start(SimulatorConfig.defaults().withTtftMs(5).withItlMs(1).withTokens(3))) {
            int port = sim.port();
            try (HttpClient client = client()) {
                assertEquals(200, client.send(Sim.post(sim, Sim.body("before", false)),
                        HttpResponse.BodyHandlers.ofString()).statusCode());
            }
            // An open connection, idle between requests: pause closes it too.
            try (RawHttp idle = new RawHttp(port)) {
                idle.send("GET", "/stats", "");
                idle.readUntil("}");
                sim.pause();
                assertTrue(sim.paused());
                assertEquals("", idle.readToEof(), "pause closed the open connection");
            }
            try (HttpClient client = client()) {
                assertThrows(ConnectException.class, () -> client.send(Sim.post(sim, Sim.body("during", false)),
                        HttpResponse.BodyHandlers.ofString()));
            }
            assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
            sim.resume();
            assertEquals(port, sim.port());
            try (HttpClient client = client()) {
                HttpResponse<String> response = client.send(Sim.post(sim, Sim.body("after", false)),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, response.statusCode());
                assertEquals(Script.completion("after", 3),
                        Sim.json(response.body()).get("choices").get(0).get("message").get("content").asText());
            }
        }
    }

    @Test
    void pauseEndsStreamsInFlight() throws Exception {
        try (LlmSimulator sim = LlmSimulator.start(SimulatorConfig.defaults().withTtftMs(5_000).withItlMs(100).withTokens(3));
             RawHttp raw = new RawHttp(sim.port())) {
            raw.send("POST", "/v1/chat/completions", Sim.body("long wait", true));
            raw.readUntil("\r\n\r\n");
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (sim.stats().activeStreams() != 1 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(1, sim.stats().activeStreams());
            sim.pause();
            try {
                raw.readToEof();
            } catch (IOException reset) {
                // a reset is as good as an end here
            }
            deadline = System.nanoTime() + 5_000_000_000L;
            while (sim.stats().activeStreams() != 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(0, sim.stats().activeStreams());
            assertEquals(0, sim.stats().streams());
        }
    }
}
