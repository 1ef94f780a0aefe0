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
import java.io.IOException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns every failure under Quarkus REST into the contract's error JSON. */
public class ErrorMappers {
    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    /**
     * Quarkus REST picks the mapper of the most specific exception type, and a user mapper beats a
     * built-in one only of the same type: hence every type Quarkus maps by itself is named here
     * (MismatchedInputException, and the 404, 405 and 415 Quarkus REST throws). ApiException is
     * not named: Quarkus loads the named classes during its build, in Maven's JVM (Java 17 here),
     * and ApiException is compiled for Java 21; no built-in mapper claims it before Throwable.
     */
    @ServerExceptionMapper({Throwable.class, IOException.class, JsonProcessingException.class,
            MismatchedInputException.class, WebApplicationException.class, NotFoundException.class,
            NotAllowedException.class, NotSupportedException.class})
    public RestResponse<ErrorBody> map(Throwable e, ContainerRequestContext request) {
        ApiException error = switch (e) {
            case ApiException contract -> contract;
            // Wrong types, unknown fields, trailing data; syntax errors come wrapped in a 400.
            case JsonProcessingException json -> StrictJson.toApiException(json);
            case WebApplicationException w when w.getCause() instanceof JsonProcessingException json ->
                    StrictJson.toApiException(json);
            case NotSupportedException w -> HttpEdge.unsupportedMediaType(request.getHeaderString(HttpHeaders.CONTENT_TYPE));
            case WebApplicationException w when w.getResponse().getStatus() < 500 ->
                    HttpEdge.forStatus(w.getResponse().getStatus(), request.getMethod(), request.getUriInfo().getPath(), null);
            // The body stream failed (Vert.x closes the connection when a chunk breaks mid-body): the client's fault.
            case IOException io -> HttpEdge.unreadableBody();
            default -> {
                LOG.error("unexpected failure", e);
                yield HttpEdge.internalError();
            }
        };
        RestResponse.ResponseBuilder<ErrorBody> response = RestResponse.ResponseBuilder.<ErrorBody>create(error.status())
                .entity(error.body()).type(MediaType.APPLICATION_JSON_TYPE);
        HttpEdge.headers(error, response::header);
        return response.build();
    }
}
