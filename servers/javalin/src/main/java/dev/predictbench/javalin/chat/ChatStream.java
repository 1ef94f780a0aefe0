package dev.predictbench.javalin.chat;

import dev.predictbench.model.ApiException;
import dev.predictbench.model.chat.ChatWire;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One upstream stream as the request thread sees it: the client's own thread (the JDK HttpClient's
 * executor, LangChain4j's callback) puts what arrives into a queue, and the request thread takes it
 * out with the upstream timeout, so the Javalin response is only ever written by the request thread
 * and a silent upstream is noticed without a watchdog thread.
 *
 * <p>The producer calls {@link #started}, {@link #token}, {@link #done} and {@link #failed}; the
 * request thread calls {@link #awaitStart}, then {@link #next} until it returns null, and always
 * {@link #close}, which cancels the upstream call when it has not ended (the caller went away, or
 * the upstream went silent).
 */
public final class ChatStream implements AutoCloseable {
    private sealed interface Event permits Started, Token, Done, Failed {
    }

    private record Started() implements Event {
    }

    private record Token(String text) implements Event {
    }

    private record Done() implements Event {
    }

    private record Failed(ApiException error) implements Event {
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final long timeoutMillis;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile Runnable cancel = () -> { };
    private Event pending;

    public ChatStream(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    /** How to cancel the upstream call; replaced when the client hands out a better handle later. */
    public void onCancel(Runnable cancel) {
        this.cancel = cancel;
    }

    /** The upstream answered 2xx with an event stream. */
    public void started() {
        events.offer(new Started());
    }

    /** One content token arrived (empty or null content is not a token and is dropped). */
    public void token(String text) {
        if (text != null && !text.isEmpty()) {
            events.offer(new Token(text));
        }
    }

    /** The upstream ended the stream properly ({@code [DONE]}, or the client's completion callback). */
    public void done() {
        events.offer(new Done());
    }

    /** The upstream failed; only the first end (done or failed) counts. */
    public void failed(ApiException error) {
        events.offer(new Failed(error));
    }

    /**
     * Waits for the upstream to begin: its status for a client that reports it, else its first token
     * or end.
     *
     * @throws ApiException the upstream's failure, or UPSTREAM_TIMEOUT when nothing came in time
     */
    public void awaitStart() {
        Event first = take();
        if (first instanceof Failed failed) {
            end();
            throw failed.error();
        }
        if (!(first instanceof Started)) {
            pending = first;
        }
    }

    /**
     * The next token, or null when the upstream finished.
     *
     * @throws ApiException UPSTREAM_FAILED or UPSTREAM_TIMEOUT when the upstream broke or went silent
     */
    public String next() {
        Event event;
        if (pending != null) {
            event = pending;
            pending = null;
        } else {
            event = take();
        }
        return switch (event) {
            case Token token -> token.text();
            case Done done -> {
                end();
                yield null;
            }
            case Failed failed -> {
                end();
                throw failed.error();
            }
            case Started started -> next();
        };
    }

    private Event take() {
        Event event;
        try {
            event = events.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw ChatWire.upstreamFailed("interrupted while waiting for the upstream");
        }
        if (event == null) {
            close();
            throw ChatWire.upstreamTimeout(timeoutMillis);
        }
        return event;
    }

    private void end() {
        ended.set(true);
    }

    /** Cancels the upstream call unless it already ended. */
    @Override
    public void close() {
        if (ended.compareAndSet(false, true)) {
            cancel.run();
        }
    }
}
