package dev.predictbench.helidon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictbench.model.InferenceOptions;
import dev.predictbench.model.InflightLimit;
import dev.predictbench.model.Limits;
import dev.predictbench.model.OnnxPredictor;
import dev.predictbench.model.PredictService;
import dev.predictbench.model.Protection;
import dev.predictbench.model.chat.ChatSettings;
import dev.predictbench.model.genai.GenAiLimits;
import dev.predictbench.model.genai.GenAiService;
import io.helidon.webserver.WebServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * /chat on Helidon SE (its one variant, virtual) against a fake upstream; a second server with one
 * chat permit shows the 503 past the chat limit.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HelidonSeChatTest extends ChatChecks {
    private FakeUpstream upstream;
    private PredictService service;
    private GenAiService genAi;
    private WebServer server;
    private WebServer onePermit;

    @BeforeAll
    void start() throws IOException {
        upstream = new FakeUpstream();
        InflightLimit limit = InflightLimit.forProcess();
        service = new PredictService(OnnxPredictor.fromEnvironment(), Limits.fromEnvironment(), limit);
        genAi = GenAiService.load(InferenceOptions.fromEnvironment(), GenAiLimits.fromEnvironment(), limit);
        server = Main.server(service, genAi, Protection.off(),
                        new ChatSettings(upstream.baseUri(), MODEL, Duration.ofMillis(TIMEOUT_MS), 64, 64))
                .host("127.0.0.1").port(0).build().start();
        onePermit = Main.server(service, genAi, Protection.off(),
                        new ChatSettings(upstream.baseUri(), MODEL, Duration.ofMillis(2000), 8, 1))
                .host("127.0.0.1").port(0).build().start();
    }

    @AfterAll
    void stop() throws IOException {
        onePermit.stop();
        server.stop();
        genAi.close();
        service.close();
        upstream.close();
    }

    @Override
    protected URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    @Override
    protected FakeUpstream upstream() {
        return upstream;
    }

    @Override
    protected String variant() {
        return "virtual";
    }

    @Override
    protected String handlerWord() {
        return "virtual thread";
    }

    @Test
    void pastTheChatLimitIs503() throws Exception {
        URI chat = URI.create("http://127.0.0.1:" + onePermit.port() + "/chat");
        HttpResponse<InputStream> first = CLIENT.send(java.net.http.HttpRequest.newBuilder(chat)
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(conversation("#fake tokens=3 itl=400", "true"))).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = first.body()) {
            assertEquals("data: {\"token\":\"t0\"}", new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8)).readLine());
            HttpResponse<String> second = CLIENT.send(java.net.http.HttpRequest.newBuilder(chat)
                    .header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(conversation("hi", "true"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertError(second, 503, "OVERLOADED");
            assertEquals("1", second.headers().firstValue("Retry-After").orElse(""));
        }
    }

    @Test
    void unknownVariantFailsStartUp() {
        System.setProperty("predictbench.variant", "platform");
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> new ChatRoute(new ChatSettings(upstream.baseUri(), MODEL, Duration.ofMillis(TIMEOUT_MS), 8, 8)));
            assertTrue(e.getMessage().contains("known ones are virtual"), e.getMessage());
        } finally {
            System.clearProperty("predictbench.variant");
        }
    }
}
