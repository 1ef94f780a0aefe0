package dev.predictbench.quarkus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.predictbench.model.ApiException;
import dev.predictbench.model.ErrorBody;
import dev.predictbench.model.http.HttpEdge;
import dev.predictbench.model.json.StrictJson;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure into the contract's error JSON. Quarkus REST picks the mapper of the most
 * specific exception type, and a user mapper beats a built-in one of the same type: hence the
 * separate methods for MismatchedInputException (Quarkus ships a mapper for it) and for the
 * routing exceptions that Quarkus REST throws itself (404, 405, 415).
 */
public class ErrorMappers {
    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    /**
     * The contract's own errors. A classic JAX-RS mapper, not a {@code @ServerExceptionMapper}: the
     * latter loads its exception class during the Quarkus build, which runs in Maven's JVM (Java 17
     * here), and ApiException is compiled for Java 21.
     */
    @Provider
    public static class ApiExceptionMapper implements ExceptionMapper<ApiException> {
        @Override
        public Response toResponse(ApiException e) {
            return error(e).toResponse();
        }
    }

    /** Wrong types, unknown fields, trailing data: Quarkus REST rethrows these from its Jackson reader. */
    @ServerExceptionMapper
    public RestResponse<ErrorBody> bindingError(MismatchedInputException e) {
        return error(StrictJson.toApiException(e));
    }

    @ServerExceptionMapper
    public RestResponse<ErrorBody> jsonError(JsonProcessingException e) {
        return error(StrictJson.toApiException(e));
    }

    @ServerExceptionMapper
    public RestResponse<ErrorBody> notFound(NotFoundException e, ContainerRequestContext request) {
        return error(HttpEdge.notFound(request.getMethod(), path(request)));
    }

    @ServerExceptionMapper
    public RestResponse<ErrorBody> methodNotAllowed(NotAllowedException e, ContainerRequestContext request) {
        return error(HttpEdge.methodNotAllowed(request.getMethod(), path(request)));
    }

    @ServerExceptionMapper
    public RestResponse<ErrorBody> unsupportedMediaType(NotSupportedException e, ContainerRequestContext request) {
        return error(HttpEdge.unsupportedMediaType(request.getHeaderString(HttpHeaders.CONTENT_TYPE)));
    }

    /** Syntax errors arrive as a 400 WebApplicationException wrapping Jackson's exception. */
    @ServerExceptionMapper
    public RestResponse<ErrorBody> webApplicationError(WebApplicationException e, ContainerRequestContext request) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return error(StrictJson.toApiException(json));
        }
        int status = e.getResponse().getStatus();
        return status < 500 ? error(HttpEdge.forStatus(status, request.getMethod(), path(request), null)) : unexpected(e);
    }

    /**
     * The body stream failed under Quarkus REST (Vert.x closes the connection when a chunk breaks
     * mid-body): the client's fault, not ours. Jackson's exceptions are IOExceptions too, but
     * their own mappers above are more specific.
     */
    @ServerExceptionMapper
    public RestResponse<ErrorBody> unreadableBody(java.io.IOException e) {
        return error(HttpEdge.unreadableBody());
    }

    @ServerExceptionMapper
    public RestResponse<ErrorBody> unexpected(Throwable e) {
        LOG.error("unexpected failure", e);
        return error(HttpEdge.internalError());
    }

    private static String path(ContainerRequestContext request) {
        return request.getUriInfo().getPath();
    }

    private static RestResponse<ErrorBody> error(ApiException e) {
        RestResponse.ResponseBuilder<ErrorBody> response = RestResponse.ResponseBuilder.<ErrorBody>create(e.status())
                .entity(e.body())
                .type(MediaType.APPLICATION_JSON_TYPE);
        HttpEdge.headers(e, response::header);
        return response.build();
    }
}
