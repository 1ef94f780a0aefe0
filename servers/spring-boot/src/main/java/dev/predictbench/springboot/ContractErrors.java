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
import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.apache.tomcat.util.res.StringManager;
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
import tools.jackson.databind.json.JsonMapper;

/**
 * Every error as the contract's JSON. As the advice: what Spring MVC's handling raises (the
 * service's {@link ApiException}s, the edge filter's refusals, Jackson's binding failures, Spring
 * MVC's own 404/405/415). As Boot's error page ({@code /error}; being an {@link ErrorController}
 * bean makes Boot drop its own): what Tomcat forwards from outside Spring MVC, such as the 413
 * before reading. As {@link JsonErrorReportValve}: what Tomcat refuses before either sees it.
 */
@RestController
@RestControllerAdvice
class ContractErrors implements ErrorController {
    private static final Logger LOG = LoggerFactory.getLogger(ContractErrors.class);

    private final Limits limits;

    ContractErrors(PredictService service) {
        this.limits = service.limits();
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ErrorBody> handle(Exception e, HttpServletRequest request) {
        return respond(switch (e) {
            case ApiException api -> api;
            case HttpMessageNotReadableException unreadable -> unreadable(unreadable, request);
            case ErrorResponse spring -> HttpEdge.forStatus(spring.getStatusCode().value(), request.getMethod(),
                    request.getRequestURI(), limits);
            default -> { // not the client's error: a fault of ours
                LOG.error("{} {} failed", request.getMethod(), request.getRequestURI(), e);
                yield HttpEdge.internalError();
            }
        });
    }

    private static ApiException unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof ApiException api) {
                return api; // the body limit, thrown by SpringBootServer.CountedBody while Jackson read
            }
        }
        if (e.getCause() instanceof JacksonException jackson) {
            return StrictJackson3.toApiException(jackson);
        }
        // No body to bind: an empty one, or the JSON literal null (which Jackson binds to null).
        return SpringBootServer.CountedBody.hadBody(request) ? StrictJson.nullBody() : HttpEdge.emptyBody();
    }

    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<ErrorBody> errorPage(HttpServletRequest request) {
        if (request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof ApiException e) {
            return respond(e);
        }
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        Object path = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        // Asked for directly, /error is just a path the contract does not have.
        return respond(HttpEdge.forStatus(status instanceof Integer code ? code : 404, request.getMethod(),
                path != null ? path.toString() : request.getRequestURI(), limits));
    }

    /** Content-Type set here so content negotiation cannot turn an error into another format; the headers the error calls for. */
    private static ResponseEntity<ErrorBody> respond(ApiException e) {
        ResponseEntity.BodyBuilder response = ResponseEntity.status(e.status()).contentType(MediaType.APPLICATION_JSON);
        HttpEdge.headers(e, (name, value) -> response.header(name, value));
        return response.body(e.body());
    }

    /**
     * Tomcat's host error report valve writing {@code {"error","code"}} instead of HTML. Tomcat says
     * 400 for a request line or headers over its size limit; the contract says 414 when the request
     * line did not fit (no URI was parsed) and 431 when the headers did not.
     */
    public static class JsonErrorReportValve extends ErrorReportValve {
        private static final JsonMapper JSON = JsonMapper.builder().build();
        /** Tomcat's own message for "request line or headers too large", in Tomcat's locale. */
        private static final String TOO_LARGE = StringManager.getManager("org.apache.coyote.http11")
                .getString("iib.requestheadertoolarge.error");

        @Override
        protected void report(Request request, Response response, Throwable throwable) {
            int status = response.getStatus();
            if (status < 400 || response.getContentWritten() > 0) {
                return;
            }
            AtomicBoolean ioAllowed = new AtomicBoolean(false);
            response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
            if (!ioAllowed.get()) {
                return;
            }
            boolean tooLarge = throwable instanceof IllegalArgumentException && TOO_LARGE.equals(throwable.getMessage());
            int meant = status == 400 && tooLarge ? (request.getCoyoteRequest().requestURI().isNull() ? 414 : 431) : status;
            ApiException error = HttpEdge.forStatus(meant, null, null, null);
            try {
                String body = JSON.writeValueAsString(error.body());
                response.setStatus(error.status());
                response.setContentType("application/json;charset=UTF-8");
                Writer writer = response.getReporter();
                if (writer != null) {
                    writer.write(body);
                    response.finishResponse();
                }
            } catch (IOException | IllegalStateException e) {
                // The connection is gone or the response was committed meanwhile: nothing to answer.
            }
        }
    }
}
