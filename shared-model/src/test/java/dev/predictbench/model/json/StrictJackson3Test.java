package dev.predictbench.model.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.predictbench.model.ApiException;
import dev.predictbench.model.ErrorCode;
import dev.predictbench.model.PredictRequest;
import dev.predictbench.model.genai.EmbedRequest;
import dev.predictbench.model.genai.SearchRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link StrictJackson3} gives the codes and messages StrictJsonTest expects of StrictJson
 * (Jackson 2): the GenAI rules (no numbers as text, no fractions or 64-bit numbers as k,
 * the accepted fields named) without starting Spring.
 */
class StrictJackson3Test {
    private static final JsonMapper MAPPER = mapper();

    private static JsonMapper mapper() {
        JsonMapper.Builder builder = JsonMapper.builder();
        StrictJackson3.configure(builder);
        return builder.build();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = StrictJsonTest.BAD_EMBED_BODIES)
    void badEmbedBodiesMapToTheContractsCodes(String body, ErrorCode expected) {
        assertEquals(expected, read(body, EmbedRequest.class).code(), body);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = StrictJsonTest.BAD_SEARCH_BODIES)
    void badSearchBodiesMapToTheContractsCodes(String body, ErrorCode expected) {
        assertEquals(expected, read(body, SearchRequest.class).code(), body);
    }

    @Test
    void unknownFieldMessagesNameTheFieldsTheRequestTakes() {
        assertEquals("unknown field 'top'; the request takes only 'k', 'query'",
                read("{\"query\": \"lion\", \"top\": 3}", SearchRequest.class).getMessage());
        assertEquals("unknown field 'rows'; the request takes only 'instances'",
                read("{\"rows\": [[1]]}", PredictRequest.class).getMessage());
    }

    @Test
    void mistypedMessagesNameTheExpectedType() {
        assertEquals("query has the wrong type: expected a string",
                read("{\"query\": 42}", SearchRequest.class).getMessage());
        assertEquals("k has the wrong type: expected a whole number",
                read("{\"query\": \"lion\", \"k\": 2.5}", SearchRequest.class).getMessage());
        assertEquals("texts[1] has the wrong type: expected a string",
                read("{\"texts\": [\"a\", 1]}", EmbedRequest.class).getMessage());
        assertEquals("k has the wrong type: expected a whole number that fits 32 bits",
                read("{\"query\": \"lion\", \"k\": 99999999999}", SearchRequest.class).getMessage());
    }

    private static ApiException read(String body, Class<?> type) {
        JacksonException e = assertThrows(JacksonException.class, () -> MAPPER.readValue(body, type));
        return StrictJackson3.toApiException(e);
    }
}
