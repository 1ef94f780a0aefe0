package dev.predictbench.springboot;

import dev.predictbench.model.ApiException;
import dev.predictbench.model.ErrorBody;
import dev.predictbench.model.Limits;
import dev.predictbench.model.PredictService;
import dev.predictbench.model.http.HttpEdge;
import dev.predictbench.model.json.StrictJackson3;
import dev.predictbench.model.json.StrictJson;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 * {@link ErrorResponse}). Errors outside Spring MVC (the request edge filter, Tomcat) reach
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
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof ApiException api) {
                return respond(api); // the body limit, thrown by RequestEdgeFilter's stream while Jackson read
            }
        }
        if (e.getCause() instanceof JacksonException jackson) {
            return respond(StrictJackson3.toApiException(jackson));
        }
        // No body to bind: an empty one, or the JSON literal null (which Jackson binds to null).
        return respond(RequestEdgeFilter.hadBody(request) ? StrictJson.nullBody() : HttpEdge.emptyBody());
    }

    /** Spring MVC's own errors carry their status ({@link ErrorResponse}); anything else is a fault of ours. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ErrorBody> other(Exception e, HttpServletRequest request) {
        if (e instanceof ErrorResponse spring) {
            return respond(forStatus(spring.getStatusCode().value(), request.getMethod(), request.getRequestURI()));
        }
        LOG.error("{} {} failed", request.getMethod(), request.getRequestURI(), e);
        return respond(HttpEdge.internalError());
    }

    /** The contract's error for an HTTP status that Spring MVC or Tomcat chose. */
    ApiException forStatus(int status, String method, String path) {
        return HttpEdge.forStatus(status, method, path, limits);
    }

    /** Content-Type set here so content negotiation cannot turn an error into another format; the headers the error calls for. */
    static ResponseEntity<ErrorBody> respond(ApiException e) {
        ResponseEntity.BodyBuilder response = ResponseEntity.status(e.status()).contentType(MediaType.APPLICATION_JSON);
        HttpEdge.headers(e, (name, value) -> response.header(name, value));
        return response.body(e.body());
    }
}
