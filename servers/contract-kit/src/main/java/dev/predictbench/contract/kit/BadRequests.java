package dev.predictbench.contract.kit;

import dev.predictbench.contract.Contract;
import dev.predictbench.model.BreastCancerData;
import dev.predictbench.model.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Requests every server must refuse, each with the one error code it must answer. The limits are
 * the defaults (64 rows, 1 MiB): the kit runs against servers started with default settings.
 */
public final class BadRequests {
    private BadRequests() {
    }

    public static final String JSON = "application/json";

    /**
     * One bad request.
     *
     * @param contentType {@code null} sends no Content-Type header
     * @param chunked     send the body with chunked transfer encoding, without Content-Length
     */
    public record BadRequest(String name, String method, String path, String contentType, byte[] body,
                             boolean chunked, ErrorCode expected) {
        /** One with a text body (none when empty), sent with its Content-Length. */
        static BadRequest of(String name, String method, String path, String contentType, String body, ErrorCode expected) {
            return new BadRequest(name, method, path, contentType, bytes(body), false, expected);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** A valid row: the first of the data set, as the text the file holds. */
    public static String validRow() {
        return row(BreastCancerData.FEATURES.size(), null, -1);
    }

    /** A row of {@code n} values where position {@code at} holds {@code replacement} (as raw JSON). */
    static String row(int n, String replacement, int at) {
        double[] first = BreastCancerData.load().rows().getFirst().features();
        List<String> cells = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            cells.add(i == at ? replacement : Double.toString(first[i % first.length]));
        }
        return "[" + String.join(",", cells) + "]";
    }

    static String instances(String... rows) {
        return "{\"instances\":[" + String.join(",", rows) + "]}";
    }

    public static List<BadRequest> all() {
        String ok = validRow();
        int n = BreastCancerData.FEATURES.size();
        List<BadRequest> list = new ArrayList<>();
        // Not JSON at all.
        json(list, "unclosed object", "{", ErrorCode.MALFORMED_JSON);
        json(list, "truncated array", "{\"instances\":[[17.99,10.38", ErrorCode.MALFORMED_JSON);
        json(list, "empty body", "", ErrorCode.MALFORMED_JSON);
        json(list, "whitespace body", "   \n ", ErrorCode.MALFORMED_JSON);
        json(list, "single-quoted keys", "{'instances':[" + ok + "]}", ErrorCode.MALFORMED_JSON);
        json(list, "comment in JSON", "{/* rows */\"instances\":[" + ok + "]}", ErrorCode.MALFORMED_JSON);
        json(list, "trailing data", instances(ok) + " garbage", ErrorCode.MALFORMED_JSON);
        json(list, "duplicate key", "{\"instances\":[" + ok + "],\"instances\":[" + ok + "]}", ErrorCode.MALFORMED_JSON);
        json(list, "NaN literal", instances(row(n, "NaN", 3)), ErrorCode.MALFORMED_JSON);
        json(list, "Infinity literal", instances(row(n, "Infinity", 3)), ErrorCode.MALFORMED_JSON);
        json(list, "trailing comma", "{\"instances\":[" + ok + ",]}", ErrorCode.MALFORMED_JSON);
        json(list, "bare word", "instances", ErrorCode.MALFORMED_JSON);
        // JSON of the wrong shape or type.
        json(list, "array body", "[" + ok + "]", ErrorCode.MISTYPED_FIELD);
        json(list, "string body", "\"predict this\"", ErrorCode.MISTYPED_FIELD);
        json(list, "number body", "42", ErrorCode.MISTYPED_FIELD);
        // The JSON literal null is valid JSON but binds to no request at all: a body of the wrong type.
        json(list, "null body", "null", ErrorCode.MISTYPED_FIELD);
        json(list, "null body in white space", " null\n", ErrorCode.MISTYPED_FIELD);
        json(list, "instances is a flat array", "{\"instances\":" + ok + "}", ErrorCode.MISTYPED_FIELD);
        json(list, "instances is a string", "{\"instances\":\"all of them\"}", ErrorCode.MISTYPED_FIELD);
        json(list, "instances is an object", "{\"instances\":{\"row\":" + ok + "}}", ErrorCode.MISTYPED_FIELD);
        json(list, "number as string", instances(row(n, "\"17.99\"", 0)), ErrorCode.MISTYPED_FIELD);
        json(list, "NaN as string", instances(row(n, "\"NaN\"", 5)), ErrorCode.MISTYPED_FIELD);
        json(list, "boolean value", instances(row(n, "true", 1)), ErrorCode.MISTYPED_FIELD);
        json(list, "null value", instances(row(n, "null", 2)), ErrorCode.MISTYPED_FIELD);
        json(list, "object value", instances(row(n, "{\"v\":1}", 4)), ErrorCode.MISTYPED_FIELD);
        json(list, "nested array value", instances(row(n, "[1,2]", 6)), ErrorCode.MISTYPED_FIELD);
        json(list, "null row", instances(ok, "null"), ErrorCode.MISTYPED_FIELD);
        json(list, "row is a number", instances(ok, "17.99"), ErrorCode.MISTYPED_FIELD);
        // Missing, unknown or empty.
        json(list, "empty object", "{}", ErrorCode.MISSING_FIELD);
        json(list, "instances null", "{\"instances\":null}", ErrorCode.MISSING_FIELD);
        json(list, "unknown field beside instances", "{\"instances\":[" + ok + "],\"debug\":true}", ErrorCode.UNKNOWN_FIELD);
        json(list, "misspelt field", "{\"instance\":[" + ok + "]}", ErrorCode.UNKNOWN_FIELD);
        json(list, "empty batch", "{\"instances\":[]}", ErrorCode.EMPTY_BATCH);
        // Wrong values.
        json(list, "empty row", instances("[]"), ErrorCode.WRONG_FEATURE_COUNT);
        json(list, "29 features", instances(row(n - 1, null, -1)), ErrorCode.WRONG_FEATURE_COUNT);
        json(list, "31 features", instances(row(n + 1, null, -1)), ErrorCode.WRONG_FEATURE_COUNT);
        json(list, "second row short", instances(ok, row(3, null, -1)), ErrorCode.WRONG_FEATURE_COUNT);
        json(list, "1e400 overflows a double", instances(row(n, "1e400", 0)), ErrorCode.NON_FINITE_VALUE);
        json(list, "-1e400 overflows a double", instances(row(n, "-1e400", 9)), ErrorCode.NON_FINITE_VALUE);
        json(list, "1e39 overflows a float", instances(row(n, "1e39", 29)), ErrorCode.NON_FINITE_VALUE);
        // A finite float that overflows the model's standardization: NaN probabilities otherwise.
        json(list, "3.028236e38 overflows the model's arithmetic", instances(validRow(), row(n, "3.028236e38", 11)),
                ErrorCode.NON_FINITE_VALUE);
        // Limits.
        json(list, "65 rows", instances(Collections.nCopies(65, ok).toArray(String[]::new)), ErrorCode.BATCH_TOO_LARGE);
        String padded = instances(ok) + " ".repeat((1 << 20) + 16);
        list.add(BadRequest.of("body over 1 MiB", "POST", Contract.PREDICT, JSON, padded, ErrorCode.BODY_TOO_LARGE));
        list.add(new BadRequest("body over 1 MiB, chunked", "POST", Contract.PREDICT, JSON, bytes(padded), true,
                ErrorCode.BODY_TOO_LARGE));
        // Media type.
        list.add(BadRequest.of("text/plain", "POST", Contract.PREDICT, "text/plain", instances(ok),
                ErrorCode.UNSUPPORTED_MEDIA_TYPE));
        list.add(BadRequest.of("no Content-Type", "POST", Contract.PREDICT, null, instances(ok),
                ErrorCode.UNSUPPORTED_MEDIA_TYPE));
        list.add(BadRequest.of("application/xml", "POST", Contract.PREDICT, "application/xml", "<instances/>",
                ErrorCode.UNSUPPORTED_MEDIA_TYPE));
        list.add(BadRequest.of("form-encoded", "POST", Contract.PREDICT, "application/x-www-form-urlencoded",
                "instances=1", ErrorCode.UNSUPPORTED_MEDIA_TYPE));
        // Routing.
        list.add(BadRequest.of("GET /predict", "GET", Contract.PREDICT, null, "", ErrorCode.METHOD_NOT_ALLOWED));
        list.add(BadRequest.of("PUT /predict", "PUT", Contract.PREDICT, JSON, instances(ok),
                ErrorCode.METHOD_NOT_ALLOWED));
        list.add(BadRequest.of("DELETE /predict", "DELETE", Contract.PREDICT, null, "", ErrorCode.METHOD_NOT_ALLOWED));
        list.add(BadRequest.of("POST /health/ready", "POST", Contract.READY, JSON, "{}", ErrorCode.METHOD_NOT_ALLOWED));
        list.add(BadRequest.of("GET unknown path", "GET", "/predictions", null, "", ErrorCode.NOT_FOUND));
        list.add(BadRequest.of("GET below /predict", "GET", "/predict/extra", null, "", ErrorCode.NOT_FOUND));
        list.add(BadRequest.of("POST unknown path", "POST", "/v2/models/x/infer", JSON, instances(ok),
                ErrorCode.NOT_FOUND));
        return list;
    }

    private static void json(List<BadRequest> list, String name, String body, ErrorCode expected) {
        list.add(BadRequest.of(name, "POST", Contract.PREDICT, JSON, body, expected));
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The cases' names, one per line, for documentation. */
    public static String describe() {
        return all().stream().map(b -> b.name() + " -> " + b.expected()).collect(Collectors.joining("\n"));
    }
}
