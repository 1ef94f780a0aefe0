package dev.predictbench.springboot;

import dev.predictbench.model.ApiException;
import dev.predictbench.model.ErrorBody;
import dev.predictbench.model.ErrorCode;
import dev.predictbench.model.Limits;
import dev.predictbench.model.PredictService;
import dev.predictbench.model.json.StrictJson;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import tools.jackson.core.JacksonException;

/**
 * Every error raised while Spring MVC handles a request, as the contract's JSON: the service's
 * {@link ApiException}s, Jackson's binding failures, and Spring MVC's own 404/405/415 (any
 * {@link ErrorResponse}). Errors outside Spring MVC (the body limit filter, Tomcat) reach
 * {@link ErrorPageController}, which answers with {@link #forStatus} too.
 */
@RestControllerAdvice
class ContractErrors {
    private static final Logger LOG = LoggerFactory.getLogger(ContractErrors.class);

    private final Limits limits;

    ContractErrors(PredictService service) {
        this.limits = service.limits();
    }

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ErrorBody> contract(ApiException e) {
        return respond(e);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ErrorBody> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        if (e.getCause() instanceof JacksonException jackson) {
            return respond(StrictJackson3.toApiException(jackson));
        }
        // No body to bind: an empty one, or the JSON literal null (which Jackson binds to null).
        return respond(BodyLimitFilter.hadBody(request) ? StrictJson.nullBody() : StrictJackson3.emptyBody());
    }

    /** Spring MVC's own errors carry their status ({@link ErrorResponse}); anything else is a fault of ours. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ErrorBody> other(Exception e, HttpServletRequest request) {
        if (e instanceof ErrorResponse spring) {
            return respond(forStatus(spring.getStatusCode().value(), request.getMethod(), request.getRequestURI()));
        }
        LOG.error("{} {} failed", request.getMethod(), request.getRequestURI(), e);
        return respond(new ApiException(ErrorCode.INTERNAL_ERROR, "internal error"));
    }

    /** The contract's error for an HTTP status that Spring MVC or Tomcat chose. */
    ApiException forStatus(int status, String method, String path) {
        return switch (status) {
            case 404 -> new ApiException(ErrorCode.NOT_FOUND, "no such path: " + path);
            case 405 -> new ApiException(ErrorCode.METHOD_NOT_ALLOWED, method + " is not allowed on " + path);
            case 413 -> limits.bodyTooLarge();
            case 415 -> new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    method + " " + path + " takes Content-Type application/json");
            // JSON bodies that do not bind are answered by unreadable(); a 400 of Tomcat's (a
            // broken chunk in the body, a header it cannot parse) is a request that is not HTTP.
            case 400 -> new ApiException(ErrorCode.BAD_REQUEST, "malformed HTTP request");
            case 414 -> new ApiException(ErrorCode.URI_TOO_LONG, "request line too long");
            case 431 -> new ApiException(ErrorCode.HEADERS_TOO_LARGE, "request headers too large");
            // MetricsAcceptFilter answers /metrics's Accept headers first; this is for a 406 of
            // Actuator's all the same.
            case 406 -> new ApiException(ErrorCode.NOT_ACCEPTABLE, method + " " + path
                    + " cannot answer in a format the Accept header allows");
            // A status the contract has no code for.
            default -> new ApiException(ErrorCode.INTERNAL_ERROR, "internal error (HTTP " + status + ")");
        };
    }

    /**
     * Content-Type set here so content negotiation cannot turn an error into another format;
     * Retry-After (429, 503) and WWW-Authenticate (401) where the exception calls for them.
     */
    static ResponseEntity<ErrorBody> respond(ApiException e) {
        ResponseEntity.BodyBuilder response = ResponseEntity.status(e.status()).contentType(MediaType.APPLICATION_JSON);
        if (e.retryAfterSeconds() != null) {
            response.header(HttpHeaders.RETRY_AFTER, String.valueOf(e.retryAfterSeconds()));
        }
        if (e.code() == ErrorCode.UNAUTHORIZED) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        return response.body(e.body());
    }
}
