package dev.predictbench.springboot;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny OpenAI-compatible upstream for /chat's tests, on a plain socket so it can break a stream
 * the way a real upstream does (close mid-body, no last chunk). One request per connection.
 * Directives in the conversation, {@code #fake key=value ...}: {@code tokens} (default 3), {@code itl}
 * (ms between tokens, default 0), {@code delay} (ms before the response headers), {@code status}
 * (answer that status), {@code cut} (close after that many tokens), {@code stall} (ms of silence
 * after the first token), {@code type} (the Content-Type of a stream).
 */
final class FakeUpstream implements AutoCloseable {
    private volatile ServerSocket server;
    private final int port;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    /** The request bodies received, in order. */
    final List<String> bodies = new CopyOnWriteArrayList<>();
    /** Streams whose writes failed because the caller (the stack) went away. */
    final AtomicInteger abandoned = new AtomicInteger();

    FakeUpstream() throws IOException {
        listen(new ServerSocket(0, 200, InetAddress.getLoopbackAddress()));
        port = server.getLocalPort();
    }

    private void listen(ServerSocket socket) {
        server = socket;
        threads.submit(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket connection = socket.accept();
                    threads.submit(() -> handle(connection));
                } catch (IOException closed) {
                    return;
                }
            }
        });
    }

    /** Stops listening: connections are refused until {@link #resume}. */
    void pause() throws IOException {
        server.close();
    }

    /** Listens again on the same port. */
    void resume() throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        listen(socket);
    }

    /** The base URL, as PREDICTBENCH_UPSTREAM_URL takes it. */
    URI baseUri() {
        return URI.create("http://127.0.0.1:" + port + "/v1");
    }

    /** The token i of an answer: "t0", " t1", " t2"... */
    static String token(int i) {
        return i == 0 ? "t0" : " t" + i;
    }

    private void handle(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            int length = 0;
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
            bodies.add(body);
            Map<String, String> d = directives(body);
            int tokens = Integer.parseInt(d.getOrDefault("tokens", "3"));
            long itl = Long.parseLong(d.getOrDefault("itl", "0"));
            int cut = Integer.parseInt(d.getOrDefault("cut", "-1"));
            long stall = Long.parseLong(d.getOrDefault("stall", "0"));
            Thread.sleep(Long.parseLong(d.getOrDefault("delay", "0")));
            OutputStream out = socket.getOutputStream();
            int status = Integer.parseInt(d.getOrDefault("status", "200"));
            if (status != 200) {
                byte[] error = "{\"error\":{\"message\":\"fake failure\",\"type\":\"server_error\",\"code\":null}}"
                        .getBytes(StandardCharsets.UTF_8);
                out.write(("HTTP/1.1 " + status + " Failure\r\nContent-Type: application/json\r\nContent-Length: "
                        + error.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(error);
                out.flush();
                return;
            }
            if (!body.contains("\"stream\":true")) {
                if (cut >= 0) {
                    return; // closes before answering
                }
                StringBuilder content = new StringBuilder();
                for (int i = 0; i < tokens; i++) {
                    content.append(token(i));
                }
                byte[] json = ("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,"
                        + "\"message\":{\"role\":\"assistant\",\"content\":\"" + content + "\"},\"finish_reason\":\"stop\"}],"
                        + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":" + tokens + ",\"total_tokens\":" + (5 + tokens)
                        + "}}").getBytes(StandardCharsets.UTF_8);
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + json.length
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(json);
                out.flush();
                return;
            }
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: " + d.getOrDefault("type", "text/event-stream")
                    + "\r\nCache-Control: no-cache\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            try {
                for (int i = 0; i < tokens; i++) {
                    if (i == cut) {
                        return; // abrupt: no finish chunk, no [DONE], no last chunk
                    }
                    if (i > 0) {
                        Thread.sleep(i == 1 && stall > 0 ? stall : itl);
                    }
                    String delta = i == 0 ? "{\"role\":\"assistant\",\"content\":\"" + token(i) + "\"}"
                            : "{\"content\":\"" + token(i) + "\"}";
                    chunk(out, "data: {\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":" + delta
                            + ",\"finish_reason\":null}]}\n\n");
                }
                chunk(out, "data: {\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{},"
                        + "\"finish_reason\":\"stop\"}]}\n\n");
                chunk(out, "data: [DONE]\n\n");
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException callerGone) {
                abandoned.incrementAndGet();
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            // A test's connection went away: nothing to do.
        }
    }

    private static void chunk(OutputStream out, String event) throws IOException {
        byte[] bytes = event.getBytes(StandardCharsets.UTF_8);
        out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        for (int b; matched < 4 && (b = in.read()) >= 0; ) {
            head.write(b);
            matched = (b == '\r' && matched % 2 == 0) || (b == '\n' && matched % 2 == 1) ? matched + 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static Map<String, String> directives(String body) {
        Map<String, String> d = new HashMap<>();
        int at = body.lastIndexOf("#fake");
        if (at >= 0) {
            int end = body.indexOf('"', at);
            for (String pair : body.substring(at + 5, end < 0 ? body.length() : end).trim().split("\\s+")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    d.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
        }
        return d;
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
