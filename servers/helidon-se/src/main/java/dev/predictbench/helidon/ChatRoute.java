package dev.predictbench.helidon;

import dev.predictbench.model.ApiException;
import dev.predictbench.model.ErrorCode;
import dev.predictbench.model.InflightLimit;
import dev.predictbench.model.chat.ChatMessage;
import dev.predictbench.model.chat.ChatSettings;
import dev.predictbench.model.chat.ChatWire;
import io.helidon.common.Version;
import io.helidon.common.media.type.MediaType;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.HttpMediaType;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import io.helidon.webserver.http.ServerResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code POST /chat} on Helidon SE: the conversation goes to the OpenAI-compatible upstream through
 * Helidon's {@link WebClient}, blocking the request's virtual thread; a stream is relayed line by line
 * from the upstream entity's InputStream to the response's output stream, flushed per event.
 *
 * <p>Helidon's WebClient has no cap on connections: its HTTP/1.1 client opens one when none is idle,
 * and {@code connectionCacheSize} is how many idle keep-alive connections it keeps per host (default
 * 256), set here to {@link ChatSettings#pool()}. Its {@code readTimeout} is the socket timeout of every
 * read, so it bounds both the wait for the response headers and each gap between chunks.
 */
final class ChatRoute {
    /** The stack's only variant: Helidon 4 SE runs every request on a virtual thread of its own. */
    static final String VARIANT = "virtual";
    /** Completed chats; Prometheus shows it as predictbench_chats_total. */
    static final String CHATS_METER = "predictbench.chats";
    private static final MediaType EVENT_STREAM = MediaTypes.create(ChatWire.EVENT_STREAM);

    private final ChatSettings settings;
    private final Semaphore inflight;
    private final WebClient client;
    private final AtomicLong completed = new AtomicLong();

    ChatRoute(ChatSettings settings) {
        String variant = ChatSettings.variant(VARIANT);
        if (!VARIANT.equals(variant)) {
            throw new IllegalStateException("PREDICTBENCH_VARIANT '" + variant
                    + "' is not a variant of the helidon-se stack; the known ones are " + VARIANT);
        }
        this.settings = settings;
        this.inflight = new Semaphore(settings.maxInflight());
        // Its own connection cache (not the JVM-wide shared one), sized by the settings; no redirects.
        this.client = WebClient.builder()
                .connectTimeout(settings.timeout())
                .readTimeout(settings.timeout())
                .connectionCacheSize(settings.pool())
                .shareConnectionCache(false)
                .followRedirects(false)
                .build();
    }

    /** Answers a validated conversation, whole or streamed. */
    void handle(List<ChatMessage> messages, boolean stream, ServerResponse res) {
        if (!inflight.tryAcquire()) {
            throw new ApiException(ErrorCode.OVERLOADED, "the server is at its limit of " + settings.maxInflight()
                    + " chats in flight; retry after " + InflightLimit.RETRY_AFTER_SECONDS + " s",
                    InflightLimit.RETRY_AFTER_SECONDS);
        }
        try {
            if (stream) {
                stream(messages, res);
            } else {
                whole(messages, res);
            }
        } finally {
            inflight.release();
        }
    }

    /** Chats answered completely (whole, or streamed to [DONE]). */
    long completed() {
        return completed.get();
    }

    private HttpClientResponse call(List<ChatMessage> messages, boolean stream) {
        try {
            return client.post(settings.completions().toString())
                    .header(HeaderValues.CONTENT_TYPE_JSON)
                    .accept(stream ? EVENT_STREAM : MediaTypes.APPLICATION_JSON)
                    .submit(ChatWire.upstreamBody(settings.model(), messages, stream).getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw upstreamError(e);
        }
    }

    private void whole(List<ChatMessage> messages, ServerResponse res) {
        ChatWire.ChatAnswer answer;
        try (HttpClientResponse upstream = call(messages, false)) {
            requireSuccess(upstream);
            answer = ChatWire.answerOf(new String(upstream.inputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            throw upstreamError(e);
        }
        completed.incrementAndGet();
        res.header(HeaderValues.CONTENT_TYPE_JSON).send(answer.json().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Waits for the upstream's status; a failure up to there is the contract's JSON error (thrown to
     * the routing's error handler). From the 200 on, every failure ends the stream with one error event.
     */
    private void stream(List<ChatMessage> messages, ServerResponse res) {
        HttpClientResponse upstream = call(messages, true);
        try {
            requireSuccess(upstream);
            boolean eventStream = upstream.headers().contentType()
                    .map(type -> type.test(EVENT_STREAM)).orElse(false);
            if (!eventStream) {
                throw ChatWire.upstreamFailed("it answered " + upstream.headers().contentType().map(HttpMediaType::text)
                        .orElse("no Content-Type") + ", not an event stream");
            }
        } catch (RuntimeException e) {
            upstream.close();
            throw e;
        }
        res.header(HeaderNames.CONTENT_TYPE, ChatWire.EVENT_STREAM);
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        OutputStream out = res.outputStream();
        try (upstream) {
            relay(upstream, out);
        }
    }

    private void relay(HttpClientResponse upstream, OutputStream out) {
        if (!send(out, null)) {
            return;
        }
        ApiException failure;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(upstream.inputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                String data = ChatWire.dataOf(line);
                if (data == null) {
                    continue;
                }
                if (ChatWire.DONE.equals(data.strip())) {
                    if (send(out, ChatWire.doneEventBytes())) {
                        completed.incrementAndGet();
                        close(out);
                    }
                    return;
                }
                String token = ChatWire.tokenOf(data);
                if (token != null && !send(out, ChatWire.tokenEventBytes(token))) {
                    return;
                }
            }
            failure = ChatWire.upstreamFailed("its stream ended before " + ChatWire.DONE);
        } catch (IOException | RuntimeException e) {
            failure = e instanceof ApiException api ? api : isTimeout(e)
                    ? ChatWire.upstreamTimeout(settings.timeout().toMillis())
                    : ChatWire.upstreamFailed("its stream broke: " + e);
        }
        if (send(out, ChatWire.errorEvent(failure).getBytes(StandardCharsets.UTF_8))) {
            close(out);
        }
    }

    /** Writes and flushes one event (just the headers for null); false when the caller is gone. */
    private static boolean send(OutputStream out, byte[] event) {
        try {
            if (event != null) {
                out.write(event);
            }
            out.flush();
            return true;
        } catch (IOException | UncheckedIOException callerGone) {
            return false;
        }
    }

    private static void close(OutputStream out) {
        try {
            out.close();
        } catch (IOException | UncheckedIOException callerGone) {
            // Nothing left to tell it.
        }
    }

    private static void requireSuccess(HttpClientResponse upstream) {
        if (upstream.status().family() != io.helidon.http.Status.Family.SUCCESSFUL) {
            throw ChatWire.upstreamFailed("it answered HTTP " + upstream.status().code());
        }
    }

    private static boolean isTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** What a failed call before the stream began is, as the contract's error: 504 for a timeout, else 502. */
    private ApiException upstreamError(Exception e) {
        if (e instanceof ApiException api) {
            return api;
        }
        if (isTimeout(e)) {
            return ChatWire.upstreamTimeout(settings.timeout().toMillis());
        }
        Throwable cause = e instanceof UncheckedIOException && e.getCause() != null ? e.getCause() : e;
        return ChatWire.upstreamFailed(cause.getClass().getSimpleName() + ": " + cause.getMessage());
    }

    /** /info's "chat" entry. */
    Map<String, Object> info() {
        Map<String, Object> chat = new LinkedHashMap<>();
        chat.put("client", "Helidon WebClient " + Version.VERSION + " (HTTP/1.1; no connection cap: a connection is opened"
                + " when none is idle; connectionCacheSize = pool idle keep-alive connections kept per host, own cache;"
                + " readTimeout bounds every blocking read)");
        chat.put("pool", settings.pool());
        chat.put("handler", "blocking client on a virtual thread (Helidon's thread per request), relaying and"
                + " flushing each event on that thread");
        chat.put("upstream", settings.completions().toString());
        chat.put("timeoutMs", settings.timeout().toMillis());
        chat.put("maxInflight", settings.maxInflight());
        return chat;
    }
}
