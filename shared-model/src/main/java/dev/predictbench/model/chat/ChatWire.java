package dev.predictbench.model.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.predictbench.model.ApiException;
import dev.predictbench.model.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The two wire formats {@code /chat} speaks, kept in one place so every Java stack writes and reads
 * the same bytes: the OpenAI Chat Completions request and its answers (whole, or streamed as
 * {@code data: {chunk}} events ending with {@code data: [DONE]}), and the contract's own stream to the
 * caller: {@code data: {"token":"..."}} per token, {@code data: [DONE]} at the end, or one
 * {@code event: error} when the upstream fails after the stream began.
 */
public final class ChatWire {
    /** The media type of a streamed answer. */
    public static final String EVENT_STREAM = "text/event-stream";
    /** The last event of a complete stream, to the caller and from the upstream alike. */
    public static final String DONE = "[DONE]";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] DONE_EVENT = ("data: " + DONE + "\n\n").getBytes(StandardCharsets.UTF_8);

    private ChatWire() {
    }

    /** The body sent to {@code <upstream>/chat/completions}: the model, the messages as received, stream or not. */
    public static String upstreamBody(String model, List<ChatMessage> messages, boolean stream) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", model);
        ArrayNode array = body.putArray("messages");
        for (ChatMessage message : messages) {
            array.addObject().put("role", message.role()).put("content", message.content());
        }
        body.put("stream", stream);
        return body.toString();
    }

    /** One token to the caller: {@code data: {"token":"<text>"}} and the blank line that ends the event. */
    public static String tokenEvent(String token) {
        return "data: " + JSON.createObjectNode().put("token", token) + "\n\n";
    }

    /** {@link #tokenEvent} as UTF-8 bytes. */
    public static byte[] tokenEventBytes(String token) {
        return tokenEvent(token).getBytes(StandardCharsets.UTF_8);
    }

    /** The event that ends a complete stream. */
    public static String doneEvent() {
        return "data: " + DONE + "\n\n";
    }

    /** {@link #doneEvent} as UTF-8 bytes. */
    public static byte[] doneEventBytes() {
        return DONE_EVENT.clone();
    }

    /** The event that ends a stream the upstream broke after it began: the contract's error body as data. */
    public static String errorEvent(ApiException error) {
        ObjectNode body = JSON.createObjectNode().put("error", error.getMessage()).put("code", error.code().name());
        return "event: error\ndata: " + body + "\n\n";
    }

    /**
     * The payload of one line of an event stream when it is a {@code data:} field (one leading space
     * dropped, as the SSE specification says), else null (blank separators, comments, other fields).
     */
    public static String dataOf(String line) {
        if (!line.startsWith("data:")) {
            return null;
        }
        return line.length() > 5 && line.charAt(5) == ' ' ? line.substring(6) : line.substring(5);
    }

    /**
     * The content token of one upstream chunk ({@code choices[0].delta.content}), or null when the
     * chunk carries none (the role chunk, the finish chunk, a usage chunk).
     *
     * @throws ApiException UPSTREAM_FAILED when the payload is not a chunk
     */
    public static String tokenOf(String chunkJson) {
        JsonNode chunk = parse(chunkJson);
        JsonNode content = chunk.path("choices").path(0).path("delta").path("content");
        return content.isTextual() && !content.asText().isEmpty() ? content.asText() : null;
    }

    /** A whole answer from the upstream, as the contract sends it back. */
    public record ChatAnswer(String content, int completionTokens, String finishReason) {
        /** The contract's JSON for it. */
        public String json() {
            return JSON.createObjectNode().put("content", content).put("completionTokens", completionTokens)
                    .put("finishReason", finishReason).toString();
        }
    }

    /**
     * The upstream's whole ({@code stream: false}) answer.
     *
     * @throws ApiException UPSTREAM_FAILED when it is not a chat completion
     */
    public static ChatAnswer answerOf(String completionJson) {
        JsonNode completion = parse(completionJson);
        JsonNode choice = completion.path("choices").path(0);
        JsonNode content = choice.path("message").path("content");
        if (!content.isTextual()) {
            throw upstreamFailed("the upstream's answer has no choices[0].message.content");
        }
        return new ChatAnswer(content.asText(), completion.path("usage").path("completion_tokens").asInt(0),
                choice.path("finish_reason").asText("stop"));
    }

    /** 502: the upstream refused, reset, answered an error status, or sent something that is not a chat answer. */
    public static ApiException upstreamFailed(String why) {
        return new ApiException(ErrorCode.UPSTREAM_FAILED, "the upstream model failed: " + why);
    }

    /** 504: the upstream did not connect, answer, or send its next chunk within the timeout. */
    public static ApiException upstreamTimeout(long timeoutMillis) {
        return new ApiException(ErrorCode.UPSTREAM_TIMEOUT,
                "the upstream model did not answer within " + timeoutMillis + " ms");
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw upstreamFailed("its answer is not JSON");
        }
    }
}
