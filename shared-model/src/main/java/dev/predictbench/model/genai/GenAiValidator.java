package dev.predictbench.model.genai;

import dev.predictbench.model.ApiException;
import dev.predictbench.model.ErrorCode;
import java.util.List;

/**
 * The validation rules of {@code /embed} and {@code /search}, applied to a bound request in this
 * order, each with its {@link ErrorCode}.
 *
 * <ul>
 *   <li>{@code /embed}: {@code texts} missing or null ({@code MISSING_FIELD}), empty
 *       ({@code EMPTY_BATCH}), more than {@code maxTexts} ({@code TOO_MANY_TEXTS}); then per text: null
 *       ({@code MISTYPED_FIELD}), empty or blank ({@code EMPTY_TEXT}), longer than {@code maxTextChars}
 *       code points ({@code TEXT_TOO_LONG}).</li>
 *   <li>{@code /search}: {@code query} missing or null ({@code MISSING_FIELD}), empty or blank
 *       ({@code EMPTY_TEXT}), too long ({@code TEXT_TOO_LONG}); {@code k} outside 1..{@code maxK}
 *       ({@code K_OUT_OF_RANGE}); a missing or null {@code k} is {@link GenAiLimits#defaultK()}.</li>
 * </ul>
 *
 * Wrong JSON types never get here: binding fails first, as {@code MISTYPED_FIELD} (see
 * {@link dev.predictbench.model.json.StrictJson}).
 */
public final class GenAiValidator {
    private final GenAiLimits limits;

    public GenAiValidator(GenAiLimits limits) {
        this.limits = limits;
    }

    /** A search the rules accept: the query as sent and the number of results. */
    public record ValidSearch(String query, int k) {
    }

    /**
     * The texts to embed, checked.
     *
     * @throws ApiException naming the first rule the request breaks
     */
    public List<String> validate(EmbedRequest request) {
        if (request == null || request.texts() == null) {
            throw new ApiException(ErrorCode.MISSING_FIELD, "field 'texts' is required: an array of 1 to "
                    + limits.maxTexts() + " strings");
        }
        List<String> texts = request.texts();
        if (texts.isEmpty()) {
            throw new ApiException(ErrorCode.EMPTY_BATCH, "'texts' is empty: send at least one text");
        }
        if (texts.size() > limits.maxTexts()) {
            throw new ApiException(ErrorCode.TOO_MANY_TEXTS, "'texts' has " + texts.size()
                    + " texts; the limit is " + limits.maxTexts());
        }
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            if (text == null) {
                throw new ApiException(ErrorCode.MISTYPED_FIELD, "texts[" + i + "] is null; expected a string");
            }
            checkText(text, "texts[" + i + "]");
        }
        return texts;
    }

    /**
     * The query and k of a search, checked.
     *
     * @throws ApiException naming the first rule the request breaks
     */
    public ValidSearch validate(SearchRequest request) {
        if (request == null || request.query() == null) {
            throw new ApiException(ErrorCode.MISSING_FIELD, "field 'query' is required: a description to look up");
        }
        checkText(request.query(), "'query'");
        int k = request.k() == null ? limits.defaultK() : request.k();
        if (k < 1 || k > limits.maxK()) {
            throw new ApiException(ErrorCode.K_OUT_OF_RANGE, "'k' is " + k + "; it must be from 1 to " + limits.maxK());
        }
        return new ValidSearch(request.query(), k);
    }

    private void checkText(String text, String what) {
        // Blank as Unicode white space (isBlank) or as String.trim() sees it (every char <= U+0020,
        // control characters included): a text of only those carries no words. LangChain4j's
        // TextSegment and Query use the latter rule, so one rule here keeps every stack's answer equal.
        if (text.isBlank() || text.trim().isEmpty()) {
            throw new ApiException(ErrorCode.EMPTY_TEXT, what + " is empty: send some words");
        }
        int chars = text.codePointCount(0, text.length());
        if (chars > limits.maxTextChars()) {
            throw new ApiException(ErrorCode.TEXT_TOO_LONG, what + " has " + chars + " characters; the limit is "
                    + limits.maxTextChars());
        }
    }
}
