package dev.predictbench.model.genai;

import java.util.List;

/** The body of {@code POST /embed}: the texts to embed, 1 to {@link GenAiLimits#maxTexts()}. */
public record EmbedRequest(List<String> texts) {
}
