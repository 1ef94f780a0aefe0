package dev.predictbench.quarkus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny OpenAI-compatible upstream for the /chat tests, on a raw socket so that it can cut a
 * stream abruptly. Tokens are {@code tok0}, {@code " tok1"}, ...; a line {@code #sim key=value ...}
 * in the last message sets {@code ttft}, {@code itl} (ms), {@code tokens}, {@code status} (an error
 * status at once), {@code cut} (close the connection after that many tokens), {@code hdelay}
 * (ms before the response headers) and {@code stall} (ms of silence inside a whole answer's
 * body). Every answer closes its connection.
 */
final class FakeUpstream {
    private static FakeUpstream shared;

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-upstream");
        t.setDaemon(true);
        return t;
    });
    private final int port;
    private volatile ServerSocket server;
    final AtomicInteger activeStreams = new AtomicInteger();
    volatile JsonNode lastRequest;

    /** The one upstream all the chat test classes share (its URL goes into each test profile). */
    static synchronized FakeUpstream shared() {
        if (shared == null) {
            try {
                shared = new FakeUpstream();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return shared;
    }

    private FakeUpstream() throws IOException {
        server = listen(0);
        port = server.getLocalPort();
        accept(server);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port + "/v1";
    }

    /** Stops listening: new connections are refused until {@link #resume}. */
    synchronized void pause() throws IOException {
        server.close();
    }

    synchronized void resume() throws IOException {
        server = listen(port);
        accept(server);
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return socket;
    }

    private void accept(ServerSocket socket) {
        threads.execute(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket connection = socket.accept();
                    threads.execute(() -> serve(connection));
                } catch (IOException closed) {
                    return;
                }
            }
        });
    }

    private void serve(Socket connection) {
        try (connection) {
            InputStream in = connection.getInputStream();
            String head = readHead(in);
            int length = 0;
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            JsonNode request = JSON.readTree(in.readNBytes(length));
            lastRequest = request;
            JsonNode messages = request.path("messages");
            Map<String, Integer> sim = directives(messages.path(messages.size() - 1).path("content").asText(""));
            int tokens = sim.getOrDefault("tokens", 4);
            int ttft = sim.getOrDefault("ttft", 0);
            int itl = sim.getOrDefault("itl", 0);
            int cut = sim.getOrDefault("cut", -1);
            int status = sim.getOrDefault("status", 200);
            sleep(sim.getOrDefault("hdelay", 0));
            OutputStream out = connection.getOutputStream();
            if (status != 200) {
                byte[] body = "{\"error\":{\"message\":\"fake failure\",\"type\":\"server_error\",\"code\":null}}"
                        .getBytes(StandardCharsets.UTF_8);
                out.write(("HTTP/1.1 " + status + " Failure\r\nContent-Type: application/json\r\nContent-Length: "
                        + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                return;
            }
            if (!request.path("stream").asBoolean(false)) {
                sleep(ttft + Math.max(0, tokens - 1) * itl);
                if (cut >= 0) {
                    abort(connection);
                    return;
                }
                StringBuilder content = new StringBuilder();
                for (int i = 0; i < tokens; i++) {
                    content.append(token(i));
                }
                ObjectNode completion = JSON.createObjectNode().put("object", "chat.completion");
                completion.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop")
                        .putObject("message").put("role", "assistant").put("content", content.toString());
                completion.putObject("usage").put("prompt_tokens", 1).put("completion_tokens", tokens)
                        .put("total_tokens", tokens + 1);
                byte[] body = completion.toString().getBytes(StandardCharsets.UTF_8);
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                // stall=<ms>: the headers and a part of the body, then a pause
                int stall = sim.getOrDefault("stall", 0);
                out.write(body, 0, stall > 0 ? 10 : 0);
                out.flush();
                sleep(stall);
                out.write(body, stall > 0 ? 10 : 0, body.length - (stall > 0 ? 10 : 0));
                out.flush();
                return;
            }
            activeStreams.incrementAndGet();
            try {
                out.write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                sleep(ttft);
                for (int i = 0; i < tokens; i++) {
                    if (i == cut) {
                        abort(connection);
                        return;
                    }
                    if (i > 0) {
                        sleep(itl);
                    }
                    String delta = JSON.createObjectNode().put("content", token(i)).toString();
                    chunk(out, "data: {\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":" + delta
                            + ",\"finish_reason\":null}]}\n\n");
                }
                chunk(out, "data: {\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n");
                chunk(out, "data: [DONE]\n\n");
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } finally {
                activeStreams.decrementAndGet();
            }
        } catch (IOException | RuntimeException gone) {
            // the client went away (or reset the call): nothing more to send
        }
    }

    static String token(int i) {
        return (i == 0 ? "" : " ") + "tok" + i;
    }

    private static void chunk(OutputStream out, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /**
     * Closes with a reset: no last chunk, no [DONE]. A reset drops what the peer has not read yet,
     * so the tokens already sent get a moment to be read first.
     */
    private static void abort(Socket connection) throws IOException {
        sleep(150);
        connection.setSoLinger(true, 0);
        connection.close();
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before the request's head ended");
            }
            head.append((char) b);
        }
        return head.toString();
    }

    private static Map<String, Integer> directives(String content) {
        Map<String, Integer> sim = new HashMap<>();
        for (String line : content.split("\n")) {
            if (line.startsWith("#sim")) {
                for (String pair : line.substring(4).trim().split("\\s+")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0) {
                        sim.put(pair.substring(0, eq), Integer.parseInt(pair.substring(eq + 1)));
                    }
                }
            }
        }
        return sim;
    }

    private static void sleep(int millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
