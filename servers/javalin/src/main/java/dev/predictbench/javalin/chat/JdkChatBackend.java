package dev.predictbench.javalin.chat;

import dev.predictbench.model.ApiException;
import dev.predictbench.model.chat.ChatMessage;
import dev.predictbench.model.chat.ChatSettings;
import dev.predictbench.model.chat.ChatWire;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;

/**
 * {@code /chat} over the JDK's {@link HttpClient}, one per server. Its connection pool has no cap per
 * host (a new connection whenever none is idle), so {@link ChatSettings#pool()} is never lower than
 * what it opens; the connect timeout and each request's timeout (the wait for the response headers)
 * are {@link ChatSettings#timeout()}.
 *
 * <p>A whole answer is {@code client.send} on the request thread. A stream is {@code sendAsync} with
 * a line subscriber that hands status, tokens and the end to a {@link ChatStream}, which the request
 * thread reads with the timeout: the JDK client has no timeout between two chunks of a body, so the
 * request thread's wait on that queue is that timeout.
 */
public final class JdkChatBackend implements ChatBackend {
    /** The client's name and the JDK it comes with. */
    public static final String CLIENT = "JDK java.net.http.HttpClient " + Runtime.version().feature()
            + " (HTTP/1.1, connection pool unbounded per host by default)";

    private final ChatSettings settings;
    private final HttpClient client;

    public JdkChatBackend(ChatSettings settings) {
        this.settings = settings;
        this.client = HttpClient.newBuilder()
                // The simulator and OpenAI-compatible servers speak HTTP/1.1 over cleartext; no h2c upgrade.
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.timeout())
                .build();
    }

    @Override
    public ChatSettings settings() {
        return settings;
    }

    @Override
    public String client() {
        return CLIENT;
    }

    /** Stops the client at once, aborting what is still in flight (the server has stopped). */
    @Override
    public void close() {
        client.shutdownNow();
    }

    private HttpRequest request(List<ChatMessage> messages, boolean stream) {
        return HttpRequest.newBuilder(settings.completions())
                .timeout(settings.timeout())
                .header("Content-Type", "application/json")
                .header("Accept", stream ? ChatWire.EVENT_STREAM : "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(ChatWire.upstreamBody(settings.model(), messages, stream)))
                .build();
    }

    @Override
    public ChatWire.ChatAnswer answer(List<ChatMessage> messages) {
        HttpResponse<String> response;
        try {
            response = client.send(request(messages, false), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw failure(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ChatWire.upstreamFailed("interrupted while waiting for the upstream");
        }
        if (response.statusCode() / 100 != 2) {
            throw ChatWire.upstreamFailed("it answered HTTP " + response.statusCode());
        }
        return ChatWire.answerOf(response.body());
    }

    @Override
    public ChatStream stream(List<ChatMessage> messages) {
        ChatStream stream = new ChatStream(settings.timeout().toMillis());
        Lines lines = new Lines(stream);
        CompletableFuture<HttpResponse<Void>> call = client.sendAsync(request(messages, true), info -> {
            if (info.statusCode() / 100 != 2) {
                stream.failed(ChatWire.upstreamFailed("it answered HTTP " + info.statusCode()));
                return HttpResponse.BodySubscribers.discarding();
            }
            String type = info.headers().firstValue("Content-Type").orElse("");
            if (!type.toLowerCase(java.util.Locale.ROOT).startsWith(ChatWire.EVENT_STREAM)) {
                stream.failed(ChatWire.upstreamFailed("it answered '" + type + "', not an event stream"));
                return HttpResponse.BodySubscribers.discarding();
            }
            stream.started();
            return HttpResponse.BodySubscribers.fromLineSubscriber(lines);
        });
        // Refused, reset, or no headers within the request's timeout: the exchange fails as a whole.
        call.whenComplete((response, error) -> {
            if (error != null) {
                stream.failed(failure(error));
            }
        });
        stream.onCancel(() -> {
            lines.cancel();
            call.cancel(true);
        });
        stream.awaitStart();
        return stream;
    }

    /** The upstream's failure as the contract's error: a timeout is 504, anything else 502. */
    ApiException failure(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof HttpTimeoutException) {
                return ChatWire.upstreamTimeout(settings.timeout().toMillis());
            }
        }
        String what = cause.getMessage() == null ? cause.getClass().getSimpleName()
                : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        return ChatWire.upstreamFailed(what);
    }

    /** The upstream's event stream, line by line: {@code data:} payloads become tokens, {@code [DONE]} the end. */
    private final class Lines implements Flow.Subscriber<String> {
        private final ChatStream stream;
        private volatile Flow.Subscription subscription;
        private volatile boolean cancelled;
        private boolean ended;

        Lines(ChatStream stream) {
            this.stream = stream;
        }

        void cancel() {
            cancelled = true;
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            if (cancelled) {
                subscription.cancel();
            } else {
                subscription.request(Long.MAX_VALUE);
            }
        }

        @Override
        public void onNext(String line) {
            if (ended) {
                return;
            }
            String data = ChatWire.dataOf(line);
            if (data == null) {
                return;
            }
            if (ChatWire.DONE.equals(data.strip())) {
                ended = true;
                stream.done();
                return;
            }
            try {
                stream.token(ChatWire.tokenOf(data));
            } catch (ApiException e) {
                ended = true;
                stream.failed(e);
                subscription.cancel();
            }
        }

        @Override
        public void onError(Throwable error) {
            if (!ended) {
                ended = true;
                stream.failed(failure(error));
            }
        }

        @Override
        public void onComplete() {
            if (!ended) {
                ended = true;
                stream.failed(ChatWire.upstreamFailed("its stream ended before [DONE]"));
            }
        }
    }
}
