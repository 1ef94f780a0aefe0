package dev.predictbench.quarkus;

import dev.predictbench.model.ApiException;
import dev.predictbench.model.ErrorCode;
import dev.predictbench.model.chat.ChatSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;

/**
 * What every /chat handler shares: the settings, the in-flight limit of /chat (its own, never the
 * inference one), and a sample of the thread the last /chat handler ran on, for /info.
 */
public final class Chats {
    private static final int RETRY_AFTER_SECONDS = 1;

    private final ChatSettings settings;
    private final Variant variant;
    private final Semaphore inflight;
    private final LongAdder completed = new LongAdder();
    private volatile String handlerThread;

    Chats(ChatSettings settings, Variant variant) {
        this.settings = settings;
        this.variant = variant;
        this.inflight = new Semaphore(settings.maxInflight());
    }

    public ChatSettings settings() {
        return settings;
    }

    public Variant variant() {
        return variant;
    }

    /**
     * Takes a place for one chat, or fails at once with 503 OVERLOADED (no queue); records the
     * current thread as the handler's sample.
     */
    public void acquire() {
        Thread current = Thread.currentThread();
        handlerThread = current.getName() + (current.isVirtual() ? " (virtual)" : "");
        if (!inflight.tryAcquire()) {
            throw new ApiException(ErrorCode.OVERLOADED, "the server is at its limit of " + settings.maxInflight()
                    + " chats in flight; retry after " + RETRY_AFTER_SECONDS + " s", RETRY_AFTER_SECONDS);
        }
    }

    /** Gives back the place {@link #acquire} took. */
    public void release() {
        inflight.release();
    }

    /** Counts a chat answered in full (a whole answer, or a stream to its [DONE]). */
    public void completed() {
        completed.increment();
    }

    /** predictbench_chats_total: chats answered in full. */
    public double completedChats() {
        return completed.sum();
    }

    /** /info's {@code chat}: the client, its pool, how the handler runs, the upstream, a handler thread. */
    public Map<String, Object> info(String client) {
        Map<String, Object> chat = new LinkedHashMap<>();
        chat.put("client", client);
        chat.put("pool", settings.pool());
        chat.put("handler", variant.chatHandler());
        chat.put("upstream", settings.upstream().toString());
        chat.put("timeoutMs", settings.timeout().toMillis());
        chat.put("maxInflight", settings.maxInflight());
        // The thread the last /chat ran on ("none yet" before the first).
        chat.put("handlerThread", handlerThread == null ? "none yet" : handlerThread);
        return chat;
    }
}
