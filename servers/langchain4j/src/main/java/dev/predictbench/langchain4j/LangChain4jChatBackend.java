package dev.predictbench.langchain4j;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.http.client.jdk.JdkHttpClient;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.predictbench.javalin.chat.ChatBackend;
import dev.predictbench.javalin.chat.ChatStream;
import dev.predictbench.model.ApiException;
import dev.predictbench.model.chat.ChatMessage;
import dev.predictbench.model.chat.ChatSettings;
import dev.predictbench.model.chat.ChatWire;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.util.List;
import java.util.Locale;

/**
 * {@code /chat} through LangChain4j: {@link OpenAiStreamingChatModel} for a stream and
 * {@link OpenAiChatModel} for a whole answer, both over LangChain4j's adapter of the JDK
 * {@link HttpClient} (HTTP/1.1; its pool has no cap per host, so {@link ChatSettings#pool()} is never
 * lower than what it opens), with the settings' timeout for connect and response headers and no retries.
 *
 * <p>LangChain4j calls its {@link StreamingChatResponseHandler} on the HTTP client's thread; the
 * handler only puts each partial response into a {@link ChatStream}, which the request thread reads
 * with the timeout and writes to the caller. LangChain4j reports no response status to the handler,
 * so the stream counts as begun at its first token (or its end). It stops a stream only through the
 * {@link StreamingHandle} it hands out with a partial response: a cancelled stream (the caller went
 * away, or the upstream went silent past the timeout) ends when the next chunk arrives.
 */
public final class LangChain4jChatBackend implements ChatBackend {
    private final ChatSettings settings;
    private final OpenAiStreamingChatModel streaming;
    private final OpenAiChatModel whole;

    public LangChain4jChatBackend(ChatSettings settings) {
        this.settings = settings;
        this.streaming = OpenAiStreamingChatModel.builder()
                .httpClientBuilder(httpClient())
                .baseUrl(settings.upstream().toString())
                .apiKey("unused")
                .modelName(settings.model())
                .timeout(settings.timeout())
                .build();
        this.whole = OpenAiChatModel.builder()
                .httpClientBuilder(httpClient())
                .baseUrl(settings.upstream().toString())
                .apiKey("unused")
                .modelName(settings.model())
                .timeout(settings.timeout())
                .maxRetries(0)
                .build();
    }

    /** LangChain4j's JDK client adapter: HTTP/1.1 as the upstream speaks it, the settings' timeouts. */
    private dev.langchain4j.http.client.jdk.JdkHttpClientBuilder httpClient() {
        return JdkHttpClient.builder()
                .httpClientBuilder(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1))
                .connectTimeout(settings.timeout())
                .readTimeout(settings.timeout());
    }

    @Override
    public ChatSettings settings() {
        return settings;
    }

    @Override
    public String client() {
        return "LangChain4j OpenAiStreamingChatModel " + LangChain4jServer.VERSION + " over the JDK HttpClient "
                + Runtime.version().feature() + " (connection pool unbounded per host by default)";
    }

    @Override
    public String handler(String thread) {
        return "LangChain4j's callback on the JDK client's thread hands each token through a queue to the blocked "
                + thread + " request thread, which writes it";
    }

    private static List<dev.langchain4j.data.message.ChatMessage> messages(List<ChatMessage> messages) {
        return messages.stream().<dev.langchain4j.data.message.ChatMessage>map(m -> switch (m.role()) {
            case "system" -> SystemMessage.from(m.content());
            case "assistant" -> AiMessage.from(m.content());
            default -> UserMessage.from(m.content());
        }).toList();
    }

    /** The conversation as LangChain4j's messages; LangChain4j refuses some (blank system or user text). */
    private static List<dev.langchain4j.data.message.ChatMessage> converted(List<ChatMessage> messages) {
        try {
            return messages(messages);
        } catch (IllegalArgumentException e) {
            throw ChatWire.upstreamFailed("LangChain4j refused the conversation: " + e.getMessage());
        }
    }

    @Override
    public ChatWire.ChatAnswer answer(List<ChatMessage> messages) {
        ChatResponse response;
        try {
            response = whole.chat(converted(messages));
        } catch (ApiException e) {
            throw e;
        } catch (RuntimeException e) {
            throw failure(e);
        }
        String content = response.aiMessage() == null ? null : response.aiMessage().text();
        if (content == null) {
            throw ChatWire.upstreamFailed("the upstream's answer has no content");
        }
        int tokens = response.tokenUsage() == null || response.tokenUsage().outputTokenCount() == null ? 0
                : response.tokenUsage().outputTokenCount();
        String finish = response.finishReason() == null ? "stop" : response.finishReason().name().toLowerCase(Locale.ROOT);
        return new ChatWire.ChatAnswer(content, tokens, finish);
    }

    @Override
    public ChatStream stream(List<ChatMessage> messages) {
        ChatStream stream = new ChatStream(settings.timeout().toMillis());
        List<dev.langchain4j.data.message.ChatMessage> conversation = converted(messages);
        StreamingChatResponseHandler handler = new StreamingChatResponseHandler() {
            private boolean handleSet;

            @Override
            public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
                if (!handleSet) {
                    handleSet = true;
                    StreamingHandle handle = context.streamingHandle();
                    stream.onCancel(handle::cancel);
                }
                stream.token(partial.text());
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                // LangChain4j also completes a stream that ended early (no finish chunk, no [DONE]).
                if (response.finishReason() == null) {
                    stream.failed(ChatWire.upstreamFailed("its stream ended before the finish chunk"));
                } else {
                    stream.done();
                }
            }

            @Override
            public void onError(Throwable error) {
                stream.failed(failure(error));
            }
        };
        try {
            streaming.chat(conversation, handler);
        } catch (RuntimeException e) {
            throw failure(e);
        }
        stream.awaitStart();
        return stream;
    }

    /** LangChain4j's failure as the contract's error: a timeout is 504, anything else 502. */
    private ApiException failure(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof dev.langchain4j.exception.TimeoutException || t instanceof HttpTimeoutException
                    || t instanceof java.util.concurrent.TimeoutException) {
                return ChatWire.upstreamTimeout(settings.timeout().toMillis());
            }
        }
        if (error instanceof HttpException http) {
            return ChatWire.upstreamFailed("it answered HTTP " + http.statusCode());
        }
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return ChatWire.upstreamFailed(root.getClass().getSimpleName()
                + (root.getMessage() == null ? "" : ": " + root.getMessage()));
    }
}
