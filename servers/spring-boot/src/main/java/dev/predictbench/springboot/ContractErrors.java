package dev.predictbench.springboot;

import dev.predictbench.model.ApiException;
import dev.predictbench.model.ErrorBody;
import dev.predictbench.model.Limits;
import dev.predictbench.model.PredictService;
import dev.predictbench.model.http.HttpEdge;
import dev.predictbench.model.json.StrictJackson3;
import dev.predictbench.model.json.StrictJson;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import tools.jackson.core.JacksonException;

/**
 * Every error raised while Spring MVC handles a request, as the contract's JSON: the service's
 * {@link ApiException}s (the edge filters' refusals too), Jackson's binding failures, and Spring
 * MVC's own 404/405/415 (any {@link ErrorResponse}). Errors outside Spring MVC reach Boot's error
 * page, {@link ErrorPage}; what Tomcat refuses before that, {@link TomcatErrors}.
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
                return respond(api); // the body limit, thrown by EdgeFilters.CountedBody while Jackson read
            }
        }
        if (e.getCause() instanceof JacksonException jackson) {
            return respond(StrictJackson3.toApiException(jackson));
        }
        // No body to bind: an empty one, or the JSON literal null (which Jackson binds to null).
        return respond(EdgeFilters.CountedBody.hadBody(request) ? StrictJson.nullBody() : HttpEdge.emptyBody());
    }

    /** Spring MVC's own errors carry their status ({@link ErrorResponse}); anything else is a fault of ours. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ErrorBody> other(Exception e, HttpServletRequest request) {
        if (e instanceof ErrorResponse spring) {
            return respond(HttpEdge.forStatus(spring.getStatusCode().value(), request.getMethod(), request.getRequestURI(), limits));
        }
        LOG.error("{} {} failed", request.getMethod(), request.getRequestURI(), e);
        return respond(HttpEdge.internalError());
    }

    /** Content-Type set here so content negotiation cannot turn an error into another format; the headers the error calls for. */
    static ResponseEntity<ErrorBody> respond(ApiException e) {
        ResponseEntity.BodyBuilder response = ResponseEntity.status(e.status()).contentType(MediaType.APPLICATION_JSON);
        HttpEdge.headers(e, (name, value) -> response.header(name, value));
        return response.body(e.body());
    }

    /**
     * Boot's error page ({@code /error}, where Tomcat forwards errors raised outside Spring MVC: the
     * body limit's 413 before reading, a request Tomcat rejects) answered with the contract's JSON
     * instead of Boot's whitelabel page or default error JSON. Being an {@link ErrorController} bean
     * makes Boot drop its own.
     */
    @RestController
    static class ErrorPage implements ErrorController {
        private final Limits limits;

        ErrorPage(PredictService service) {
            this.limits = service.limits();
        }

        @RequestMapping("${server.error.path:/error}")
        ResponseEntity<ErrorBody> error(HttpServletRequest request) {
            if (request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof ApiException e) {
                return respond(e);
            }
            Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
            Object path = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
            // Asked for directly, /error is just a path the contract does not have.
            return respond(HttpEdge.forStatus(status instanceof Integer code ? code : 404, request.getMethod(),
                    path != null ? path.toString() : request.getRequestURI(), limits));
        }
    }
}
