package dev.predictbench.javalin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A tiny OpenAI-compatible upstream for the {@code /chat} tests, on a free port. The last message's
 * content picks what it does: {@code ok} (the default: {@link #TOKENS} tokens {@code tok0 tok1 ...}
 * {@link #GAP_MS} apart, then {@code [DONE]}), {@code status500}, {@code cut} (two tokens, then the
 * body ends without {@code [DONE]}), {@code slowstart} (no headers for 3 s), {@code slowgap} (one
 * token, then silence for 3 s), {@code long} (200 tokens, noting when the caller hung up).
 */
public final class FakeUpstream implements AutoCloseable {
    public static final int TOKENS = 4;
    public static final int GAP_MS = 150;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    /** The last request body it received. */
    public final AtomicReference<JsonNode> lastRequest = new AtomicReference<>();
    /** Counted down when a {@code long} stream's write failed: the caller closed the connection. */
    public final CountDownLatch hungUp = new CountDownLatch(1);

    public FakeUpstream() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        server.createContext("/v1/chat/completions", this::handle);
        server.start();
    }

    /** The base URL a stack is configured with. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            lastRequest.set(body);
            JsonNode messages = body.path("messages");
            String mode = messages.path(messages.size() - 1).path("content").asText().strip();
            boolean stream = body.path("stream").asBoolean(false);
            switch (mode) {
                case "status500" -> {
                    byte[] error = "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\",\"code\":null}}"
                            .getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", "application/json");
                    exchange.sendResponseHeaders(500, error.length);
                    exchange.getResponseBody().write(error);
                    return;
                }
                case "slowstart" -> sleep(3000);
                default -> {
                }
            }
            if (!stream) {
                byte[] answer = ("{\"id\":\"c1\",\"object\":\"chat.completion\",\"model\":\"m\",\"choices\":[{\"index\":0,"
                        + "\"message\":{\"role\":\"assistant\",\"content\":\"tok0 tok1 tok2 tok3\"},\"finish_reason\":\"stop\"}],"
                        + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4,\"total_tokens\":7}}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, answer.length);
                exchange.getResponseBody().write(answer);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            int tokens = switch (mode) {
                case "cut" -> 2;
                case "slowgap" -> 1;
                case "long" -> 200;
                default -> TOKENS;
            };
            try {
                sleep(GAP_MS);
                event(out, "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}");
                for (int i = 0; i < tokens; i++) {
                    if (i > 0) {
                        sleep(GAP_MS);
                    }
                    event(out, "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"tok" + i + "\"},\"finish_reason\":null}]}");
                }
                switch (mode) {
                    case "cut" -> {
                        return;
                    }
                    case "slowgap" -> sleep(3000);
                    default -> {
                    }
                }
                event(out, "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}");
                event(out, "[DONE]");
            } catch (IOException e) {
                hungUp.countDown();
            }
        }
    }

    private static void event(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
