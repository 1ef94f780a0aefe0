package dev.predictbench.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Tokens leave at ttft, then one every itl: lower bounds that prove the scheduling. */
class TimingTest {

    @Test
    void firstTokenAfterTtftThenOneEveryItl() throws Exception {
        try (LlmSimulator sim = LlmSimulator.start(SimulatorConfig.defaults().withTtftMs(200).withItlMs(50).withTokens(5));
             HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            String content = "time me";
            long sent = System.nanoTime();
            HttpResponse<Stream<String>> response = client.send(Sim.post(sim, Sim.body(content, true)),
                    HttpResponse.BodyHandlers.ofLines());
            assertEquals(200, response.statusCode());
            assertEquals("text/event-stream", response.headers().firstValue("content-type").orElse(""));
            List<Long> times = new ArrayList<>();
            List<String> tokens = new ArrayList<>();
            boolean doneSeen = false;
            Iterator<String> lines = response.body().iterator();
            while (lines.hasNext()) {
                String line = lines.next();
                String token = Sim.content(line);
                if (token != null) {
                    times.add(System.nanoTime());
                    tokens.add(token);
                }
                doneSeen |= line.equals("data: [DONE]");
            }
            assertEquals(Script.tokens(content, 5), tokens);
            assertTrue(doneSeen);
            double ttftMs = (times.get(0) - sent) / 1e6;
            System.out.printf("TimingTest: first token after %.1f ms%n", ttftMs);
            assertTrue(ttftMs >= 190, "first token after " + ttftMs + " ms");
            assertTrue(ttftMs < 5_000, "first token after " + ttftMs + " ms");
            for (int i = 1; i < times.size(); i++) {
                double gapMs = (times.get(i) - times.get(i - 1)) / 1e6;
                System.out.printf("TimingTest: gap %d %.1f ms%n", i, gapMs);
                assertTrue(gapMs >= 40, "gap " + i + " was " + gapMs + " ms");
                assertTrue(gapMs < 5_000, "gap " + i + " was " + gapMs + " ms");
            }
            SimStats stats = sim.stats();
            System.out.println("TimingTest: " + stats.toJson());
            assertEquals(5, stats.events());
        }
    }
}
