package dev.predictbench.quarkus;

import dev.predictbench.model.ApiException;
import dev.predictbench.model.chat.ChatMessage;
import dev.predictbench.model.chat.ChatRequest;
import dev.predictbench.model.chat.ChatSettings;
import dev.predictbench.model.chat.ChatValidator;
import dev.predictbench.model.chat.ChatWire;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * /chat for the blocking and virtual variants: the JDK HttpClient, blocking on the thread that runs
 * the JAX-RS method (a worker, or a virtual thread). The upstream stream is read line by line and
 * each token event written and flushed as it arrives. The JDK client keeps no cap on HTTP/1.1
 * connections (one per concurrent request), so its pool is never below PREDICTBENCH_UPSTREAM_POOL.
 * It has connect and response-header timeouts but none between chunks: a watchdog closes the
 * upstream stream when no line came within the timeout.
 */
public final class BlockingChat {
    static final String CLIENT = "JDK java.net.http.HttpClient " + Runtime.version().feature()
            + " (HTTP/1.1, no connection cap)";

    private final Chats chats;
    private final ChatSettings settings;
    private final HttpClient client;
    private final ScheduledExecutorService watchdogs;

    BlockingChat(Chats chats) {
        this.chats = chats;
        this.settings = chats.settings();
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.timeout()).build();
        this.watchdogs = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "chat-upstream-watchdog");
            t.setDaemon(true);
            return t;
        });
    }

    void close() {
        watchdogs.shutdownNow();
        client.close();
    }

    /** The answer to one /chat: a whole answer, a stream, or the contract's error (thrown, as ApiException). */
    public Response chat(ChatRequest request) {
        List<ChatMessage> messages = ChatValidator.validate(request);
        chats.acquire();
        boolean handedOver = false;
        try {
            boolean stream = request.streaming();
            HttpResponse<InputStream> upstream = send(messages, stream);
            if (!stream) {
                return Response.ok(whole(upstream), "application/json").build();
            }
            handedOver = true;
            StreamingOutput body = out -> relay(upstream, out);
            return Response.ok(body, ChatWire.EVENT_STREAM).header("Cache-Control", "no-cache").build();
        } finally {
            if (!handedOver) {
                chats.release();
            }
        }
    }

    /** POSTs the chat and waits for the status: 2xx (and an event stream when streaming) or the contract's error. */
    private HttpResponse<InputStream> send(List<ChatMessage> messages, boolean stream) {
        HttpRequest post = HttpRequest.newBuilder(settings.completions()).timeout(settings.timeout())
                .header("Content-Type", "application/json")
                .header("Accept", stream ? ChatWire.EVENT_STREAM : "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(ChatWire.upstreamBody(settings.model(), messages, stream)))
                .build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(post, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException timedOut) {
            throw ChatWire.upstreamTimeout(settings.timeout().toMillis());
        } catch (IOException e) {
            throw ChatWire.upstreamFailed(e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ChatWire.upstreamFailed("interrupted");
        }
        int status = response.statusCode();
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (status / 100 != 2 || stream && !type.toLowerCase().startsWith(ChatWire.EVENT_STREAM)) {
            closeQuietly(response.body());
            throw ChatWire.upstreamFailed(status / 100 != 2 ? "status " + status : "not an event stream: '" + type + "'");
        }
        return response;
    }

    /** The whole answer, read under the watchdog, as the contract's JSON. */
    private String whole(HttpResponse<InputStream> upstream) {
        InputStream in = upstream.body();
        try (in; Watchdog watchdog = new Watchdog(in)) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    watchdog.touch();
                    body.write(buffer, 0, n);
                }
            } catch (IOException e) {
                throw readFailure(e, watchdog);
            }
            String answer = ChatWire.answerOf(body.toString(StandardCharsets.UTF_8)).json();
            chats.completed();
            return answer;
        } catch (IOException closing) {
            throw ChatWire.upstreamFailed("the answer could not be read: " + closing.getClass().getSimpleName());
        }
    }

    /**
     * Relays the upstream's stream: a token event per content chunk, flushed, then [DONE]; an
     * {@code event: error} if the upstream fails or stalls first. When the caller goes away the
     * write fails and the upstream stream is closed.
     */
    private void relay(HttpResponse<InputStream> upstream, OutputStream out) throws IOException {
        try (InputStream in = upstream.body(); Watchdog watchdog = new Watchdog(in)) {
            out.flush(); // the 200 and its headers go now, before the first token
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            ApiException failure = null;
            try {
                boolean done = false;
                for (String line; !done && (line = readLine(lines)) != null; ) {
                    watchdog.touch();
                    String data = ChatWire.dataOf(line);
                    if (data == null) {
                        continue;
                    }
                    if (ChatWire.DONE.equals(data.strip())) {
                        out.write(ChatWire.doneEventBytes());
                        out.flush();
                        done = true;
                        chats.completed();
                    } else {
                        String token = ChatWire.tokenOf(data);
                        if (token != null) {
                            out.write(ChatWire.tokenEventBytes(token));
                            out.flush();
                        }
                    }
                }
                if (!done) {
                    failure = ChatWire.upstreamFailed("the stream ended before [DONE]");
                }
            } catch (ApiException notAChunk) {
                failure = notAChunk;
            } catch (UpstreamReadException e) {
                failure = readFailure(e.getCause(), watchdog);
            }
            if (failure != null) {
                out.write(ChatWire.errorEvent(failure).getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException callerGone) {
            // Only writes throw IOException here: the caller went away, and leaving the try closed
            // the upstream stream, which cancels the upstream call.
        } finally {
            chats.release();
        }
    }

    /** One line from the upstream; a failure to read it is the upstream's, not the caller's. */
    private static String readLine(BufferedReader lines) {
        try {
            return lines.readLine();
        } catch (IOException e) {
            throw new UpstreamReadException(e);
        }
    }

    private ApiException readFailure(IOException e, Watchdog watchdog) {
        if (e instanceof HttpTimeoutException || watchdog != null && watchdog.fired) {
            return ChatWire.upstreamTimeout(settings.timeout().toMillis());
        }
        return ChatWire.upstreamFailed("the stream broke: " + e.getClass().getSimpleName());
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // closing a failed upstream answer: nothing more to do
        }
    }

    /** An upstream read failure, told apart from a failure to write to the caller. */
    private static final class UpstreamReadException extends RuntimeException {
        UpstreamReadException(IOException cause) {
            super(cause);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }

    /**
     * Closes the upstream stream when no data came for the timeout: the blocked read then fails, and
     * {@link #fired} says it was a timeout.
     */
    private final class Watchdog implements AutoCloseable {
        private final InputStream stream;
        private ScheduledFuture<?> alarm;
        volatile boolean fired;

        Watchdog(InputStream stream) {
            this.stream = stream;
            touch();
        }

        synchronized void touch() {
            if (alarm != null) {
                alarm.cancel(false);
            }
            alarm = watchdogs.schedule(() -> {
                fired = true;
                closeQuietly(stream);
            }, settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public synchronized void close() {
            if (alarm != null) {
                alarm.cancel(false);
            }
        }
    }
}
