package dev.predictbench.model;

import java.util.EnumSet;
import java.util.Set;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestValidatorTest {
    private final RequestValidator validator = new RequestValidator(30, new Limits(4, 4096));

    private static List<Double> row(int n, double value) {
        return new ArrayList<>(Collections.nCopies(n, value));
    }

    private ErrorCode codeOf(PredictRequest request) {
        return assertThrows(ApiException.class, () -> validator.validate(request)).code();
    }

    @Test
    void acceptsAValidBatchAndConvertsToFloats() {
        float[][] rows = validator.validate(new PredictRequest(List.of(row(30, 1.5), row(30, -2.0))));
        assertEquals(2, rows.length);
        assertEquals(1.5f, rows[0][29]);
        assertEquals(-2.0f, rows[1][0]);
    }

    @Test
    void rejectsMissingInstances() {
        assertEquals(ErrorCode.MISSING_FIELD, codeOf(new PredictRequest(null)));
        assertEquals(ErrorCode.MISSING_FIELD, codeOf(null));
    }

    @Test
    void rejectsEmptyBatch() {
        assertEquals(ErrorCode.EMPTY_BATCH, codeOf(new PredictRequest(List.of())));
    }

    @Test
    void rejectsBatchLargerThanLimit() {
        ApiException e = assertThrows(ApiException.class,
                () -> validator.validate(new PredictRequest(Collections.nCopies(5, row(30, 1)))));
        assertEquals(ErrorCode.BATCH_TOO_LARGE, e.code());
        assertEquals(413, e.status());
        validator.validate(new PredictRequest(Collections.nCopies(4, row(30, 1))));
    }

    @Test
    void rejectsWrongNumberOfFeatures() {
        assertEquals(ErrorCode.WRONG_FEATURE_COUNT, codeOf(new PredictRequest(List.of(row(29, 1)))));
        assertEquals(ErrorCode.WRONG_FEATURE_COUNT, codeOf(new PredictRequest(List.of(row(31, 1)))));
        assertEquals(ErrorCode.WRONG_FEATURE_COUNT, codeOf(new PredictRequest(List.of(row(30, 1), row(0, 1)))));
    }

    @Test
    void rejectsNonFiniteValues() {
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e39, -1e300}) {
            List<Double> r = row(30, 1);
            r.set(7, bad);
            ApiException e = assertThrows(ApiException.class, () -> validator.validate(new PredictRequest(List.of(r))));
            assertEquals(ErrorCode.NON_FINITE_VALUE, e.code(), "value " + bad);
            assertEquals("instances[0][7] is not a finite number (the model takes 32-bit floats, |x| < 3.4e38)", e.getMessage());
        }
    }

    @Test
    void rejectsNullRowsAndNullValuesAsMistyped() {
        assertEquals(ErrorCode.MISTYPED_FIELD, codeOf(new PredictRequest(Arrays.asList(row(30, 1), null))));
        List<Double> r = row(30, 1);
        r.set(3, null);
        assertEquals(ErrorCode.MISTYPED_FIELD, codeOf(new PredictRequest(List.of(r))));
    }

    @Test
    void everyCodeHasOneStatus() {
        assertEquals(400, ErrorCode.MALFORMED_JSON.status());
        assertEquals(413, ErrorCode.BODY_TOO_LARGE.status());
        assertEquals(415, ErrorCode.UNSUPPORTED_MEDIA_TYPE.status());
        assertEquals(404, ErrorCode.NOT_FOUND.status());
        assertEquals(405, ErrorCode.METHOD_NOT_ALLOWED.status());
        assertEquals(401, ErrorCode.UNAUTHORIZED.status());
        assertEquals(429, ErrorCode.RATE_LIMITED.status());
        assertEquals(503, ErrorCode.OVERLOADED.status());
        assertEquals(502, ErrorCode.UPSTREAM_FAILED.status());
        assertEquals(504, ErrorCode.UPSTREAM_TIMEOUT.status());
        Set<ErrorCode> serverFaults = EnumSet.of(ErrorCode.INTERNAL_ERROR, ErrorCode.OVERLOADED,
                ErrorCode.UPSTREAM_FAILED, ErrorCode.UPSTREAM_TIMEOUT);
        for (ErrorCode code : ErrorCode.values()) {
            if (!serverFaults.contains(code)) {
                assertEquals(4, code.status() / 100, code + " is a client error");
            }
        }
    }
}
