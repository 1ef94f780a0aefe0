package dev.predictbench.model.chat;

import java.util.List;

/**
 * The body of {@code POST /chat}: the conversation so far and whether the answer streams back as
 * Server-Sent Events ({@code stream} true) or comes whole (false or absent).
 */
public record ChatRequest(List<ChatMessage> messages, Boolean stream) {
    /** Whether the caller asked for a stream; absent means a whole answer. */
    public boolean streaming() {
        return Boolean.TRUE.equals(stream);
    }
}
