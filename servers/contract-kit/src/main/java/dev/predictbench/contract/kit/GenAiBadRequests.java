package dev.predictbench.contract.kit;

import dev.predictbench.contract.Contract;
import dev.predictbench.contract.kit.BadRequests.BadRequest;
import dev.predictbench.model.ErrorCode;
import dev.predictbench.model.genai.GenAiLimits;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Requests to {@code /embed} and {@code /search} every server must refuse, each with the one error
 * code it must answer. The limits are the defaults ({@link GenAiLimits#DEFAULT}: 16 texts, 1,000
 * characters, k from 1 to 50; bodies up to 1 MiB).
 */
public final class GenAiBadRequests {
    private GenAiBadRequests() {
    }

    private static final GenAiLimits LIMITS = GenAiLimits.DEFAULT;

    /** A text of exactly {@code chars} characters (words, so it also makes sense to a tokenizer). */
    static String text(int chars) {
        StringBuilder s = new StringBuilder(chars);
        while (s.length() < chars) {
            s.append("lion ");
        }
        return s.substring(0, chars - 1) + "x";
    }

    public static List<BadRequest> all() {
        List<BadRequest> list = new ArrayList<>();
        embed(list);
        search(list);
        return list;
    }

    private static void embed(List<BadRequest> list) {
        String path = Contract.EMBED;
        // Not JSON.
        json(list, path, "unclosed object", "{", ErrorCode.MALFORMED_JSON);
        json(list, path, "empty body", "", ErrorCode.MALFORMED_JSON);
        json(list, path, "trailing data", "{\"texts\":[\"a\"]} garbage", ErrorCode.MALFORMED_JSON);
        json(list, path, "duplicate key", "{\"texts\":[\"a\"],\"texts\":[\"b\"]}", ErrorCode.MALFORMED_JSON);
        // Wrong types.
        json(list, path, "array body", "[\"a\"]", ErrorCode.MISTYPED_FIELD);
        json(list, path, "null body", "null", ErrorCode.MISTYPED_FIELD);
        json(list, path, "texts is a string", "{\"texts\":\"a large cat\"}", ErrorCode.MISTYPED_FIELD);
        json(list, path, "texts is an object", "{\"texts\":{\"t\":\"a\"}}", ErrorCode.MISTYPED_FIELD);
        json(list, path, "number as text", "{\"texts\":[\"a\",42]}", ErrorCode.MISTYPED_FIELD);
        json(list, path, "boolean as text", "{\"texts\":[true]}", ErrorCode.MISTYPED_FIELD);
        json(list, path, "null text", "{\"texts\":[\"a\",null]}", ErrorCode.MISTYPED_FIELD);
        json(list, path, "nested array text", "{\"texts\":[[\"a\"]]}", ErrorCode.MISTYPED_FIELD);
        // Missing, unknown, empty.
        json(list, path, "empty object", "{}", ErrorCode.MISSING_FIELD);
        json(list, path, "texts null", "{\"texts\":null}", ErrorCode.MISSING_FIELD);
        json(list, path, "unknown field beside texts", "{\"texts\":[\"a\"],\"model\":\"x\"}", ErrorCode.UNKNOWN_FIELD);
        json(list, path, "misspelt field", "{\"text\":[\"a\"]}", ErrorCode.UNKNOWN_FIELD);
        json(list, path, "no texts", "{\"texts\":[]}", ErrorCode.EMPTY_BATCH);
        json(list, path, "empty text", "{\"texts\":[\"\"]}", ErrorCode.EMPTY_TEXT);
        json(list, path, "blank second text", "{\"texts\":[\"a\",\" \\t\\n \"]}", ErrorCode.EMPTY_TEXT);
        // Control characters only: no word to embed.
        json(list, path, "text of control characters", "{\"texts\":[\"\\u0000\\u0001\"]}", ErrorCode.EMPTY_TEXT);
        // Limits.
        json(list, path, (LIMITS.maxTextChars() + 1) + " characters",
                "{\"texts\":[\"" + text(LIMITS.maxTextChars() + 1) + "\"]}", ErrorCode.TEXT_TOO_LONG);
        json(list, path, (LIMITS.maxTexts() + 1) + " texts", "{\"texts\":["
                + String.join(",", Collections.nCopies(LIMITS.maxTexts() + 1, "\"a\"")) + "]}", ErrorCode.TOO_MANY_TEXTS);
        list.add(BadRequest.of("/embed body over 1 MiB", "POST", path, BadRequests.JSON,
                "{\"texts\":[\"a\"]}" + " ".repeat((1 << 20) + 16), ErrorCode.BODY_TOO_LARGE));
        // Media type and method.
        list.add(BadRequest.of("/embed text/plain", "POST", path, "text/plain", "{\"texts\":[\"a\"]}",
                ErrorCode.UNSUPPORTED_MEDIA_TYPE));
        list.add(BadRequest.of("GET /embed", "GET", path, null, "", ErrorCode.METHOD_NOT_ALLOWED));
    }

    private static void search(List<BadRequest> list) {
        String path = Contract.SEARCH;
        json(list, path, "unclosed object", "{\"query\":\"lion\",\"k\":3", ErrorCode.MALFORMED_JSON);
        json(list, path, "empty body", "", ErrorCode.MALFORMED_JSON);
        json(list, path, "array body", "[\"lion\"]", ErrorCode.MISTYPED_FIELD);
        json(list, path, "null body", "null", ErrorCode.MISTYPED_FIELD);
        json(list, path, "query is a number", "{\"query\":42}", ErrorCode.MISTYPED_FIELD);
        json(list, path, "query is an array", "{\"query\":[\"lion\"]}", ErrorCode.MISTYPED_FIELD);
        json(list, path, "k as string", "{\"query\":\"lion\",\"k\":\"3\"}", ErrorCode.MISTYPED_FIELD);
        json(list, path, "k is a fraction", "{\"query\":\"lion\",\"k\":2.5}", ErrorCode.MISTYPED_FIELD);
        json(list, path, "k is a boolean", "{\"query\":\"lion\",\"k\":true}", ErrorCode.MISTYPED_FIELD);
        json(list, path, "k beyond 32 bits", "{\"query\":\"lion\",\"k\":99999999999}", ErrorCode.MISTYPED_FIELD);
        json(list, path, "empty object", "{}", ErrorCode.MISSING_FIELD);
        json(list, path, "query null", "{\"query\":null,\"k\":3}", ErrorCode.MISSING_FIELD);
        json(list, path, "only k", "{\"k\":3}", ErrorCode.MISSING_FIELD);
        json(list, path, "unknown field beside query", "{\"query\":\"lion\",\"top\":3}", ErrorCode.UNKNOWN_FIELD);
        json(list, path, "empty query", "{\"query\":\"\",\"k\":3}", ErrorCode.EMPTY_TEXT);
        json(list, path, "blank query", "{\"query\":\" \\t \",\"k\":3}", ErrorCode.EMPTY_TEXT);
        json(list, path, "query of control characters", "{\"query\":\"\\u0000\",\"k\":3}", ErrorCode.EMPTY_TEXT);
        json(list, path, "query of " + (LIMITS.maxTextChars() + 1) + " characters",
                "{\"query\":\"" + text(LIMITS.maxTextChars() + 1) + "\",\"k\":3}", ErrorCode.TEXT_TOO_LONG);
        json(list, path, "k = 0", "{\"query\":\"lion\",\"k\":0}", ErrorCode.K_OUT_OF_RANGE);
        json(list, path, "k = -1", "{\"query\":\"lion\",\"k\":-1}", ErrorCode.K_OUT_OF_RANGE);
        json(list, path, "k = " + (LIMITS.maxK() + 1), "{\"query\":\"lion\",\"k\":" + (LIMITS.maxK() + 1) + "}",
                ErrorCode.K_OUT_OF_RANGE);
        list.add(BadRequest.of("/search text/plain", "POST", path, "text/plain", "{\"query\":\"lion\"}",
                ErrorCode.UNSUPPORTED_MEDIA_TYPE));
        list.add(BadRequest.of("GET /search", "GET", path, null, "", ErrorCode.METHOD_NOT_ALLOWED));
    }

    private static void json(List<BadRequest> list, String path, String name, String body, ErrorCode expected) {
        list.add(BadRequest.of(path + " " + name, "POST", path, BadRequests.JSON, body, expected));
    }
}
