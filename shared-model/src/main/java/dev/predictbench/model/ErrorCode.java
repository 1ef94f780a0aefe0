package dev.predictbench.model;

/**
 * Every error the contract knows, with the one HTTP status each maps to. The wire form is
 * {@code {"error": "<message for a person>", "code": "<name()>"}}; servers/contract/openapi.yaml
 * lists the same codes.
 */
public enum ErrorCode {
    /** The request is not valid HTTP at all (a bad request line, a bad header, a bad Content-Length, a bad chunk). */
    BAD_REQUEST(400),
    /** The body is not parseable JSON (syntax error, truncated, empty, duplicate key, trailing data). */
    MALFORMED_JSON(400),
    /** A required field is absent or null. */
    MISSING_FIELD(400),
    /** A field has the wrong JSON type (a string or null where a number belongs, a non-object body). */
    MISTYPED_FIELD(400),
    /** The body holds a field the contract does not define. */
    UNKNOWN_FIELD(400),
    /** {@code instances} ({@code /predict}) or {@code texts} ({@code /embed}) is an empty array. */
    EMPTY_BATCH(400),
    /** A text to embed or a search query is empty or only white space. */
    EMPTY_TEXT(400),
    /** {@code k} of {@code /search} is outside 1 to the configured maximum. */
    K_OUT_OF_RANGE(400),
    /** A row does not have exactly as many values as the model has features. */
    WRONG_FEATURE_COUNT(400),
    /** A value is NaN or infinite (e.g. 1e400 overflows a double). */
    NON_FINITE_VALUE(400),
    /** More rows than the configured batch limit. */
    BATCH_TOO_LARGE(413),
    /** A {@code /chat} message's role is not system, user or assistant. */
    INVALID_ROLE(400),
    /** More messages in one {@code /chat} call than the limit (64). */
    TOO_MANY_MESSAGES(413),
    /** More texts in one {@code /embed} call than the configured limit. */
    TOO_MANY_TEXTS(413),
    /** A text to embed or a search query has more characters than the configured limit. */
    TEXT_TOO_LONG(413),
    /** The body is larger than the configured limit. */
    BODY_TOO_LARGE(413),
    /** The request line (the URL) is longer than the server accepts. */
    URI_TOO_LONG(414),
    /** A header, or all headers together, are larger than the server accepts. */
    HEADERS_TOO_LARGE(431),
    /** The API key is switched on and the request has none, or a wrong one. */
    UNAUTHORIZED(401),
    /** The client sent more requests than its rate limit allows; {@code Retry-After} says when to retry. */
    RATE_LIMITED(429),
    /** The server is at its limit of in-flight inference work; {@code Retry-After} says when to retry. */
    OVERLOADED(503),
    /** The request's Content-Type is not application/json. */
    UNSUPPORTED_MEDIA_TYPE(415),
    /** No such path. */
    NOT_FOUND(404),
    /** The path exists but not for this method. */
    METHOD_NOT_ALLOWED(405),
    /** The Accept header rules out every format the path answers ({@code /metrics}: Prometheus text or OpenMetrics). */
    NOT_ACCEPTABLE(406),
    /**
     * {@code /chat}'s upstream model refused the connection, reset it, answered an error status, broke
     * its stream off, or sent something that is not a chat answer.
     */
    UPSTREAM_FAILED(502),
    /** {@code /chat}'s upstream model did not connect, answer, or send its next chunk within the timeout. */
    UPSTREAM_TIMEOUT(504),
    /** A fault of the server, never of the client's input (OVERLOADED and the two upstream codes are the other 5xx). */
    INTERNAL_ERROR(500);

    private final int status;

    ErrorCode(int status) {
        this.status = status;
    }

    /** The HTTP status this code is always sent with. */
    public int status() {
        return status;
    }
}
