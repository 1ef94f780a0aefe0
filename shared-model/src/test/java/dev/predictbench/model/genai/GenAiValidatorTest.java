package dev.predictbench.model.genai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.predictbench.model.ApiException;
import dev.predictbench.model.ErrorCode;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class GenAiValidatorTest {
    private final GenAiValidator validator = new GenAiValidator(new GenAiLimits(3, 10, 7));

    private ErrorCode codeOf(EmbedRequest request) {
        return assertThrows(ApiException.class, () -> validator.validate(request)).code();
    }

    private ErrorCode codeOf(SearchRequest request) {
        return assertThrows(ApiException.class, () -> validator.validate(request)).code();
    }

    @Test
    void acceptsTextsUpToTheLimits() {
        List<String> texts = List.of("a", "0123456789", "🚀".repeat(10));
        assertEquals(texts, validator.validate(new EmbedRequest(texts)));
    }

    @Test
    void rejectsMissingTexts() {
        assertEquals(ErrorCode.MISSING_FIELD, codeOf(new EmbedRequest(null)));
        assertEquals(ErrorCode.MISSING_FIELD, codeOf((EmbedRequest) null));
    }

    @Test
    void rejectsNoTexts() {
        assertEquals(ErrorCode.EMPTY_BATCH, codeOf(new EmbedRequest(List.of())));
    }

    @Test
    void rejectsMoreTextsThanTheLimit() {
        ApiException e = assertThrows(ApiException.class,
                () -> validator.validate(new EmbedRequest(Collections.nCopies(4, "a"))));
        assertEquals(ErrorCode.TOO_MANY_TEXTS, e.code());
        assertEquals(413, e.status());
    }

    @Test
    void rejectsANullTextAsMistyped() {
        assertEquals(ErrorCode.MISTYPED_FIELD, codeOf(new EmbedRequest(Arrays.asList("a", null))));
    }

    @Test
    void rejectsEmptyAndBlankTexts() {
        for (String blank : List.of("", " ", "\t\n", "\u2003", "\u0000", "\u0001 \u001f")) {
            assertEquals(ErrorCode.EMPTY_TEXT, codeOf(new EmbedRequest(List.of("ok", blank))), "'" + blank + "'");
            assertEquals(ErrorCode.EMPTY_TEXT, codeOf(new SearchRequest(blank, 3)), "'" + blank + "'");
        }
    }

    @Test
    void rejectsTextsLongerThanTheLimitCountingCharactersNotUtf16Units() {
        ApiException e = assertThrows(ApiException.class,
                () -> validator.validate(new EmbedRequest(List.of("01234567890"))));
        assertEquals(ErrorCode.TEXT_TOO_LONG, e.code());
        assertEquals(413, e.status());
        assertEquals("texts[0] has 11 characters; the limit is 10", e.getMessage());
        assertEquals(ErrorCode.TEXT_TOO_LONG, codeOf(new EmbedRequest(List.of("🚀".repeat(11)))));
        assertEquals(ErrorCode.TEXT_TOO_LONG, codeOf(new SearchRequest("01234567890", 1)));
    }

    @Test
    void rejectsMissingQuery() {
        assertEquals(ErrorCode.MISSING_FIELD, codeOf(new SearchRequest(null, 3)));
        assertEquals(ErrorCode.MISSING_FIELD, codeOf((SearchRequest) null));
    }

    @Test
    void rejectsKOutOfRange() {
        for (int k : new int[] {0, -1, 8, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            ApiException e = assertThrows(ApiException.class, () -> validator.validate(new SearchRequest("lion", k)));
            assertEquals(ErrorCode.K_OUT_OF_RANGE, e.code(), "k=" + k);
            assertEquals(400, e.status());
        }
        assertEquals(1, validator.validate(new SearchRequest("lion", 1)).k());
        assertEquals(7, validator.validate(new SearchRequest("lion", 7)).k());
    }

    @Test
    void aMissingKIsTheDefaultWithinTheLimit() {
        assertEquals(5, validator.validate(new SearchRequest("lion", null)).k());
        assertEquals(2, new GenAiValidator(new GenAiLimits(1, 1, 2)).validate(new SearchRequest("l", null)).k());
    }

    @Test
    void limitsComeFromTheEnvironmentWithDefaults() {
        assertEquals(new GenAiLimits(16, 1000, 50), GenAiLimits.DEFAULT);
        System.setProperty("predictbench.max.k", "9");
        try {
            assertEquals(new GenAiLimits(16, 1000, 9), GenAiLimits.fromEnvironment());
        } finally {
            System.clearProperty("predictbench.max.k");
        }
        assertThrows(IllegalArgumentException.class, () -> new GenAiLimits(0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new GenAiLimits(1, 1, WordNetCorpus.SIZE + 1));
    }
}
