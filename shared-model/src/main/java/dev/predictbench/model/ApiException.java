package dev.predictbench.model;

/**
 * A request that the contract rejects: carries the {@link ErrorCode} (and so the HTTP status) and
 * a message meant for a person. Servers turn it into an {@link ErrorBody} their own way, and send
 * a {@code Retry-After} header when {@link #retryAfterSeconds()} is set (429 and 503).
 */
public final class ApiException extends RuntimeException {
    private final ErrorCode code;
    private final Integer retryAfterSeconds;

    public ApiException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public ApiException(ErrorCode code, String message, Integer retryAfterSeconds) {
        super(message, null, false, false);
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public ErrorCode code() {
        return code;
    }

    public int status() {
        return code.status();
    }

    /** Seconds a client should wait before retrying, for the {@code Retry-After} header; null for none. */
    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public ErrorBody body() {
        return new ErrorBody(getMessage(), code.name());
    }
}
