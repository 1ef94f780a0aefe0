package dev.predictbench.model;

/**
 * A request that the contract rejects: carries the {@link ErrorCode} (and so the HTTP status) and
 * a message meant for a person. Servers turn it into an {@link ErrorBody} their own way.
 */
public final class ApiException extends RuntimeException {
    private final ErrorCode code;

    public ApiException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    public int status() {
        return code.status();
    }

    public ErrorBody body() {
        return new ErrorBody(getMessage(), code.name());
    }
}
