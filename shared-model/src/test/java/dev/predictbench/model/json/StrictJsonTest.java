package dev.predictbench.model.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.predictbench.model.ApiException;
import dev.predictbench.model.ErrorCode;
import dev.predictbench.model.PredictRequest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StrictJsonTest {
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
        JsonProcessingException e = assertThrows(JsonProcessingException.class,
                () -> MAPPER.readValue(body, PredictRequest.class));
        return StrictJson.toApiException(e);
    }
}
