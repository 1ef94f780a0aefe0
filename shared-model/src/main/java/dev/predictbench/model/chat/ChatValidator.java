package dev.predictbench.model.chat;

import dev.predictbench.model.ApiException;
import dev.predictbench.model.ErrorCode;
import java.util.List;
import java.util.Set;

/**
 * The validation rules of {@code /chat}, applied to a bound request in this order: {@code messages}
 * missing or null ({@code MISSING_FIELD}), empty ({@code EMPTY_BATCH}), more than {@link #MAX_MESSAGES}
 * ({@code TOO_MANY_MESSAGES}); then per message: null ({@code MISTYPED_FIELD}), {@code role} or
 * {@code content} missing ({@code MISSING_FIELD}), a role other than system, user or assistant
 * ({@code INVALID_ROLE}), content longer than {@link #MAX_CONTENT_CHARS} code points
 * ({@code TEXT_TOO_LONG}). Wrong JSON types and unknown fields fail at binding, as for the other routes.
 */
public final class ChatValidator {
    public static final int MAX_MESSAGES = 64;
    public static final int MAX_CONTENT_CHARS = 8000;
    public static final Set<String> ROLES = Set.of("system", "user", "assistant");

    private ChatValidator() {
    }

    /**
     * The conversation, checked.
     *
     * @throws ApiException naming the first rule the request breaks
     */
    public static List<ChatMessage> validate(ChatRequest request) {
        if (request == null || request.messages() == null) {
            throw new ApiException(ErrorCode.MISSING_FIELD,
                    "field 'messages' is required: an array of 1 to " + MAX_MESSAGES + " {role, content} objects");
        }
        List<ChatMessage> messages = request.messages();
        if (messages.isEmpty()) {
            throw new ApiException(ErrorCode.EMPTY_BATCH, "'messages' is empty: send at least one message");
        }
        if (messages.size() > MAX_MESSAGES) {
            throw new ApiException(ErrorCode.TOO_MANY_MESSAGES,
                    "'messages' has " + messages.size() + " messages; the limit is " + MAX_MESSAGES);
        }
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage message = messages.get(i);
            if (message == null) {
                throw new ApiException(ErrorCode.MISTYPED_FIELD, "messages[" + i + "] is null; expected an object");
            }
            if (message.role() == null) {
                throw new ApiException(ErrorCode.MISSING_FIELD, "messages[" + i + "].role is required");
            }
            if (message.content() == null) {
                throw new ApiException(ErrorCode.MISSING_FIELD, "messages[" + i + "].content is required");
            }
            if (!ROLES.contains(message.role())) {
                throw new ApiException(ErrorCode.INVALID_ROLE,
                        "messages[" + i + "].role must be system, user or assistant");
            }
            String content = message.content();
            if (content.length() > MAX_CONTENT_CHARS
                    && content.codePointCount(0, content.length()) > MAX_CONTENT_CHARS) {
                throw new ApiException(ErrorCode.TEXT_TOO_LONG, "messages[" + i + "].content has more than "
                        + MAX_CONTENT_CHARS + " characters");
            }
        }
        return messages;
    }
}
