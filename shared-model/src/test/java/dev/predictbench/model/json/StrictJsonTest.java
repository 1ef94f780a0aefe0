package dev.predictbench.model.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.predictbench.model.ApiException;
import dev.predictbench.model.ErrorCode;
import dev.predictbench.model.PredictRequest;
import dev.predictbench.model.genai.EmbedRequest;
import dev.predictbench.model.genai.SearchRequest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StrictJsonTest {
    /** Bodies of POST /search the contract refuses, with their codes; StrictJackson3Test holds Jackson 3 to them too. */
    static final String BAD_SEARCH_BODIES = """
            {"query": 42}                               | MISTYPED_FIELD
            {"query": ["lion"]}                         | MISTYPED_FIELD
            {"query": true}                             | MISTYPED_FIELD
            {"query": "lion", "k": "3"}                 | MISTYPED_FIELD
            {"query": "lion", "k": 2.5}                 | MISTYPED_FIELD
            {"query": "lion", "k": true}                | MISTYPED_FIELD
            {"query": "lion", "k": [3]}                 | MISTYPED_FIELD
            {"query": "lion", "k": 1e400}               | MISTYPED_FIELD
            {"query": "lion", "k": 99999999999}         | MISTYPED_FIELD
            {"query": "lion", "top": 3}                 | UNKNOWN_FIELD
            {"query": "lion", "k": 3                    | MALFORMED_JSON
            """;

    /** Bodies of POST /embed the contract refuses, with their codes; StrictJackson3Test holds Jackson 3 to them too. */
    static final String BAD_EMBED_BODIES = """
            {"texts": ["a", 1]}                         | MISTYPED_FIELD
            {"texts": [1.5]}                            | MISTYPED_FIELD
            {"texts": [true]}                           | MISTYPED_FIELD
            {"texts": [["a"]]}                          | MISTYPED_FIELD
            {"texts": [{"text": "a"}]}                  | MISTYPED_FIELD
            {"texts": "a"}                              | MISTYPED_FIELD
            {"texts": {"a": 1}}                         | MISTYPED_FIELD
            {"texts": ["a"], "model": "x"}              | UNKNOWN_FIELD
            {"text": ["a"]}                             | UNKNOWN_FIELD
            """;

    private static final ObjectMapper MAPPER = StrictJson.newMapper();

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            {"instances": [[1, 2]                      | MALFORMED_JSON
            {"instances": [[1, 2]]} trailing            | MALFORMED_JSON
            {"instances": [[1]], "instances": [[2]]}    | MALFORMED_JSON
            {"instances": [[NaN]]}                      | MALFORMED_JSON
            {'instances': [[1]]}                        | MALFORMED_JSON
            {"instances": [["1.5"]]}                    | MISTYPED_FIELD
            {"instances": [[true]]}                     | MISTYPED_FIELD
            {"instances": [["NaN"]]}                    | MISTYPED_FIELD
            {"instances": [["-Infinity"]]}              | MISTYPED_FIELD
            {"instances": [[{}]]}                       | MISTYPED_FIELD
            {"instances": [1, 2, 3]}                    | MISTYPED_FIELD
            {"instances": "all of them"}                | MISTYPED_FIELD
            {"instances": {"a": 1}}                     | MISTYPED_FIELD
            [[1, 2, 3]]                                 | MISTYPED_FIELD
            "text"                                      | MISTYPED_FIELD
            42                                          | MISTYPED_FIELD
            {"instances": [[1]], "extra": 1}            | UNKNOWN_FIELD
            {"rows": [[1]]}                             | UNKNOWN_FIELD
            """)
    void badBodiesMapToTheContractsCodes(String body, ErrorCode expected) {
        assertEquals(expected, read(body).code(), body);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = BAD_EMBED_BODIES)
    void badEmbedBodiesMapToTheContractsCodes(String body, ErrorCode expected) {
        assertEquals(expected, read(body, EmbedRequest.class).code(), body);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = BAD_SEARCH_BODIES)
    void badSearchBodiesMapToTheContractsCodes(String body, ErrorCode expected) {
        assertEquals(expected, read(body, SearchRequest.class).code(), body);
    }

    @org.junit.jupiter.api.Test
    void unknownFieldMessagesNameTheFieldsTheRequestTakes() {
        assertEquals("unknown field 'top'; the request takes only 'k', 'query'",
                read("{\"query\": \"lion\", \"top\": 3}", SearchRequest.class).getMessage());
        assertEquals("unknown field 'rows'; the request takes only 'instances'",
                read("{\"rows\": [[1]]}", PredictRequest.class).getMessage());
    }

    @org.junit.jupiter.api.Test
    void mistypedMessagesNameTheExpectedType() {
        assertEquals("query has the wrong type: expected a string",
                read("{\"query\": 42}", SearchRequest.class).getMessage());
        assertEquals("k has the wrong type: expected a whole number",
                read("{\"query\": \"lion\", \"k\": 2.5}", SearchRequest.class).getMessage());
        assertEquals("texts[1] has the wrong type: expected a string",
                read("{\"texts\": [\"a\", 1]}", EmbedRequest.class).getMessage());
    }

    @org.junit.jupiter.api.Test
    void emptyBodyIsMalformed() {
        ApiException e = read("");
        assertEquals(ErrorCode.MALFORMED_JSON, e.code());
        assertEquals("request body is not valid JSON: the body is empty", e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void hugeNumbersBindToInfinityForValidationToReject() throws Exception {
        PredictRequest request = MAPPER.readValue("{\"instances\": [[1e400]]}", PredictRequest.class);
        assertEquals(Double.POSITIVE_INFINITY, request.instances().getFirst().getFirst());
    }

    private static ApiException read(String body) {
        return read(body, PredictRequest.class);
    }

    private static ApiException read(String body, Class<?> type) {
        JsonProcessingException e = assertThrows(JsonProcessingException.class, () -> MAPPER.readValue(body, type));
        return StrictJson.toApiException(e);
    }
}
