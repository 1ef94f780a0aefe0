package dev.predictbench.contract.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.predictbench.contract.GoldenCases;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/** What the topic checks share: the JSON mapper, the contract-error assertions, the Accept lists. */
final class Kit {
    private Kit() {
    }

    static final ObjectMapper JSON = new ObjectMapper();

    /** How long a hostile request may go unanswered before it counts as a hang. */
    static final Duration HOSTILE_TIMEOUT = Duration.ofSeconds(20);

    /** Fuzzed requests in flight at once: enough to keep two cores busy, few enough to stay a client. */
    static final int FUZZ_IN_FLIGHT = 4;

    /** Accept headers that leave JSON out: every stack answers JSON all the same (the contract has no 406 there). */
    static final List<String> ACCEPT_WITHOUT_JSON = List.of("text/html", "application/xml", "foo/bar", "image/png;q=1, text/plain;q=0.5");

    /** Accept headers that allow the Prometheus text format: /metrics answers 200 with the predictions counter. */
    static final List<String> METRICS_ACCEPT_SERVED = List.of("*/*", "text/*", "text/plain", "TEXT/PLAIN",
            "text/plain; version=0.0.4; charset=utf-8", "application/openmetrics-text",
            "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
                    + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1");

    /** Accept headers that allow neither Prometheus text nor OpenMetrics: the contract's 406 (never a 5xx or an empty body). */
    static final List<String> METRICS_ACCEPT_REFUSED = List.of("application/json", "application/xml", "foo/bar", "text/html",
            "text/plain;q=0", "image/png, application/json;q=0.9");

    static void assertPrediction(GoldenCases.Case expected, JsonNode actual) {
        assertEquals(expected.expected().label(), actual.path("label").asText());
        JsonNode probabilities = actual.path("probabilities");
        assertEquals(expected.expected().probabilities().keySet().stream().toList(),
                new ArrayList<String>() {{ probabilities.fieldNames().forEachRemaining(this::add); }},
                "classes in card order");
        expected.expected().probabilities().forEach((label, p) ->
                assertEquals(p, probabilities.path(label).asDouble(), 1e-6, label));
    }

    /** An answer from either client: what the assertions look at. */
    record Answer(int status, String contentType, byte[] body) {
        static Answer of(HttpProbe.Response r) {
            return new Answer(r.status(), r.header("content-type"), r.raw().body());
        }

        static Answer of(RawHttp.Response r) {
            return new Answer(r.status(), r.header("content-type"), r.body());
        }

        String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (java.io.IOException e) {
                return null;
            }
        }
    }

    /** A contract error: the status, JSON with a message and the code, no stack trace, no HTML. */
    public static void assertError(HttpProbe.Response r, int status, String code, String what) {
        assertError(Answer.of(r), status, code, what);
    }

    static void assertError(Answer r, int status, String code, String what) {
        String text = r.text();
        if (r.status() >= 500) {
            fail(what + ": a client error must never be a " + r.status() + ": " + abbreviate(text));
        }
        assertEquals(status, r.status(), what + ": " + abbreviate(text));
        String type = r.contentType();
        assertNotNull(type, what + ": Content-Type missing: " + abbreviate(text));
        assertTrue(type.toLowerCase(Locale.ROOT).startsWith("application/json"),
                what + ": Content-Type must be application/json, was " + type + ": " + abbreviate(text));
        assertNotNull(r.json(), what + ": body is not JSON: " + abbreviate(text));
        assertFalse(text.contains("\tat ") || text.contains("at java.") || text.contains("Exception:"),
                what + ": stack trace in body: " + abbreviate(text));
        JsonNode body = r.json();
        assertEquals(code, body.path("code").asText(), what + ": " + abbreviate(text));
        assertFalse(body.path("error").asText().isBlank(), what + ": error message missing");
    }

    public static void assertJson(HttpProbe.Response r) {
        String type = r.header("content-type");
        assertNotNull(type, "Content-Type missing");
        assertTrue(type.toLowerCase(Locale.ROOT).startsWith("application/json"),
                "Content-Type must be application/json, was " + type + ": " + abbreviate(r.text()));
        assertNotNull(r.json(), "body is not JSON: " + abbreviate(r.text()));
    }

    static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    static <T> Iterable<T> iterable(Iterator<T> it) {
        return () -> it;
    }
}
