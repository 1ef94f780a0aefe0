package dev.predictbench.javalin.chat;

import dev.predictbench.model.chat.ChatMessage;
import dev.predictbench.model.chat.ChatSettings;
import dev.predictbench.model.chat.ChatWire;
import java.util.List;

/**
 * What answers {@code POST /chat} behind the Javalin glue: the upstream client of a stack (the JDK
 * HttpClient for Javalin, LangChain4j's OpenAI models for LangChain4j). Both calls block the request
 * thread that makes them; the route writes the answer.
 */
public interface ChatBackend extends AutoCloseable {
    /** The settings it was built with (upstream, model, timeout, pool). */
    ChatSettings settings();

    /**
     * The whole answer ({@code "stream": false} upstream).
     *
     * @throws dev.predictbench.model.ApiException UPSTREAM_FAILED or UPSTREAM_TIMEOUT
     */
    ChatWire.ChatAnswer answer(List<ChatMessage> messages);

    /**
     * A stream of tokens, returned once the upstream has begun to answer.
     *
     * @throws dev.predictbench.model.ApiException UPSTREAM_FAILED or UPSTREAM_TIMEOUT, nothing streamed yet
     */
    ChatStream stream(List<ChatMessage> messages);

    /** The client library and its version, for {@code /info}. */
    String client();

    /** How the handler runs when the request thread is a {@code thread} ("platform" or "virtual") one, for {@code /info}. */
    default String handler(String thread) {
        return "blocking client on a " + thread + " request thread";
    }

    /** The most connections the client keeps to the upstream, for {@code /info}. */
    default int pool() {
        return settings().pool();
    }

    @Override
    default void close() {
    }
}
