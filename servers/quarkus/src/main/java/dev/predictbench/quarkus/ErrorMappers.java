package dev.predictbench.quarkus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.predictbench.model.ApiException;
import dev.predictbench.model.ErrorBody;
import dev.predictbench.model.ErrorCode;
import dev.predictbench.model.json.StrictJson;
import java.util.function.BiConsumer;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
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
    public RestResponse<ErrorBody> notFound(NotFoundException e) {
        return error(new ApiException(ErrorCode.NOT_FOUND, "no such path"));
    }

    @ServerExceptionMapper
    public RestResponse<ErrorBody> methodNotAllowed(NotAllowedException e) {
        return error(new ApiException(ErrorCode.METHOD_NOT_ALLOWED, "method not allowed on this path"));
    }

    @ServerExceptionMapper
    public RestResponse<ErrorBody> unsupportedMediaType(NotSupportedException e) {
        return error(unsupportedMediaType());
    }

    /** Syntax errors arrive as a 400 WebApplicationException wrapping Jackson's exception. */
    @ServerExceptionMapper
    public RestResponse<ErrorBody> webApplicationError(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return error(StrictJson.toApiException(json));
        }
        int status = e.getResponse().getStatus();
        return switch (status) {
            case 404 -> notFound(null);
            case 405 -> methodNotAllowed(null);
            case 415 -> error(unsupportedMediaType());
            default -> status < 500
                    ? error(new ApiException(ErrorCode.MALFORMED_JSON, "request could not be read (HTTP " + status + ")"))
                    : unexpected(e);
        };
    }

    /**
     * The body stream failed under Quarkus REST (Vert.x closes the connection when a chunk breaks
     * mid-body): the client's fault, not ours. Jackson's exceptions are IOExceptions too, but
     * their own mappers above are more specific.
     */
    @ServerExceptionMapper
    public RestResponse<ErrorBody> unreadableBody(java.io.IOException e) {
        return error(new ApiException(ErrorCode.BAD_REQUEST, "the request body could not be read as HTTP"));
    }

    @ServerExceptionMapper
    public RestResponse<ErrorBody> unexpected(Throwable e) {
        LOG.error("unexpected failure", e);
        return error(new ApiException(ErrorCode.INTERNAL_ERROR, "internal error"));
    }

    static ApiException unsupportedMediaType() {
        return new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json");
    }

    private static RestResponse<ErrorBody> error(ApiException e) {
        RestResponse.ResponseBuilder<ErrorBody> response = RestResponse.ResponseBuilder.<ErrorBody>create(e.status())
                .entity(e.body())
                .type(MediaType.APPLICATION_JSON_TYPE);
        headers(e, response::header);
        return response.build();
    }

    /** Retry-After (429, 503) and WWW-Authenticate (401) where the exception calls for them; {@link ProtectionFilter} uses it too. */
    static void headers(ApiException e, BiConsumer<String, String> header) {
        if (e.retryAfterSeconds() != null) {
            header.accept("Retry-After", String.valueOf(e.retryAfterSeconds()));
        }
        if (e.code() == ErrorCode.UNAUTHORIZED) {
            header.accept("WWW-Authenticate", "Bearer");
        }
    }
}
