package dev.predictbench.model.chat;

/** One message of a {@code POST /chat} conversation: who said it ({@code system}, {@code user}, {@code assistant}) and what. */
public record ChatMessage(String role, String content) {
}
