package dev.predictbench.springboot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.predictbench.model.chat.ChatSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.test.context.bean.override.convention.TestBean;

/**
 * The {@code virtual} variant (PREDICTBENCH_VARIANT=virtual, as a Spring property here): it starts,
 * streams, reports itself, and its one chat permit turns a second chat away; an unknown variant fails.
 */
@Timeout(30)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"server.address=127.0.0.1", "predictbench.variant=virtual"})
class SpringBootVirtualChatTest {
    static final FakeUpstream UPSTREAM = SpringBootChatTest.start();

    @LocalServerPort
    private int port;

    @TestBean(methodName = "onePermit")
    private ChatSettings settings;

    static ChatSettings onePermit() {
        return new ChatSettings(UPSTREAM.baseUri(), ChatChecks.MODEL, Duration.ofMillis(2000), 8, 1);
    }

    @AfterAll
    static void stopUpstream() throws IOException {
        UPSTREAM.close();
    }

    private HttpRequest chat(String content) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/chat"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(ChatChecks.conversation(content, "true"))).build();
    }

    @Test
    void streamsOnVirtualThreadsAndSaysSo() throws Exception {
        HttpResponse<String> response = ChatChecks.CLIENT.send(chat("#fake tokens=2 itl=10"), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertEquals("data: {\"token\":\"t0\"}\n\ndata: {\"token\":\" t1\"}\n\ndata: [DONE]\n\n", response.body());
        HttpResponse<String> info = ChatChecks.CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/info")).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode threading = ChatChecks.JSON.readTree(info.body()).path("threading");
        assertEquals("virtual-threads", threading.path("model").asText(), info.body());
        assertEquals("virtual", threading.path("details").path("variant").asText(), info.body());
        assertTrue(threading.path("details").path("chat").path("handler").asText().contains("virtual"), info.body());
    }

    @Test
    void pastTheChatLimitIs503() throws Exception {
        HttpResponse<InputStream> first = ChatChecks.CLIENT.send(chat("#fake tokens=3 itl=400"), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = first.body()) {
            assertEquals("data: {\"token\":\"t0\"}", new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8)).readLine());
            HttpResponse<String> second = ChatChecks.CLIENT.send(chat("hi"), HttpResponse.BodyHandlers.ofString());
            ChatChecks.assertError(second, 503, "OVERLOADED");
            assertEquals("1", second.headers().firstValue("Retry-After").orElse(""));
        }
    }

    @Test
    void unknownVariantFailsStartUp() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", Map.of("predictbench.variant", "reactive")));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new ChatVariant().postProcessEnvironment(environment, null));
        assertTrue(e.getMessage().contains("platform, virtual"), e.getMessage());
    }
}
