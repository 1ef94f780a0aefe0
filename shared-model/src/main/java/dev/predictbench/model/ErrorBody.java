package dev.predictbench.model;

/** The JSON body of every error: {@code {"error": "...", "code": "..."}}. */
public record ErrorBody(String error, String code) {

    public static ErrorBody of(ErrorCode code, String message) {
        return new ErrorBody(message, code.name());
    }
}
