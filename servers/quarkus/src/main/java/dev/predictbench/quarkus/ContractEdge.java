package dev.predictbench.quarkus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.predictbench.contract.Contract;
import dev.predictbench.model.ApiException;
import dev.predictbench.model.ErrorBody;
import dev.predictbench.model.Limits;
import dev.predictbench.model.MetricsAccept;
import dev.predictbench.model.PredictService;
import dev.predictbench.model.Protection;
import dev.predictbench.model.http.HttpEdge;
import dev.predictbench.model.json.StrictJson;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The contract's HTTP edge: the request rules Vert.x and Quarkus REST do not apply by themselves,
 * and every failure as the contract's error JSON. Route hooks run on the event loop, never block,
 * and answer their own refusals; under Quarkus REST, {@link #map} answers. Quarkus's own body
 * limit ({@code quarkus.http.limits.max-body-size}, 10 MiB) answers a bare 413, so the contract's
 * comes ahead of it: a declared Content-Length on the route, a chunked body as Quarkus REST reads it.
 */
@Provider
@Singleton
public class ContractEdge implements ReaderInterceptor {
    private static final Logger LOG = Logger.getLogger(ContractEdge.class);

    /**
     * Ahead of Quarkus REST and Quarkus's body handling: first the protection (a refused request is
     * never read), then the edge rules, then {@code /metrics}'s Accept. The failure handler comes first.
     */
    private static final int PROTECTION_ORDER = RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 3;
    private static final int EDGE_RULES_ORDER = RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 2;
    private static final int METRICS_ACCEPT_ORDER = RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1;
    private static final int ROUTER_FAILURES_ORDER = Integer.MIN_VALUE;

    private final Limits limits;

    ContractEdge(PredictService service) {
        this.limits = service.limits();
    }

    /**
     * The opt-in {@link Protection} (API key, a rate limit that never waits) as a route, so that it
     * covers SmallRye OpenAPI's {@code /openapi} too, unlike a JAX-RS filter. Off by default: no route.
     */
    void protect(@Observes Router router, Protection protection) {
        if (!protection.enabled()) {
            return;
        }
        router.route().order(PROTECTION_ORDER).handler(ctx -> {
            HttpServerRequest request = ctx.request();
            try {
                protection.check(request.path(), request.remoteAddress() == null ? null : request.remoteAddress().hostAddress(),
                        request.getHeader(HttpHeaders.AUTHORIZATION), request.getHeader("X-API-Key"));
            } catch (ApiException refused) {
                answer(ctx, refused, false);
                return;
            }
            ctx.next();
        });
    }

    /**
     * {@link HttpEdge}'s rules: an HTTP version Vert.x does not know (it would serve it as HTTP/1.1),
     * a target not starting with '/', a bad percent-escape in the query (decoded only when asked), a
     * transfer coding other than chunked, OPTIONS (Quarkus REST answers it by itself), and a declared
     * Content-Length over the body limit (reading at most the drain).
     */
    void applyEdgeRules(@Observes Router router) {
        long max = limits.maxBodyBytes();
        ApiException tooLarge = limits.bodyTooLarge();
        router.route().order(EDGE_RULES_ORDER).handler(ctx -> {
            HttpServerRequest request = ctx.request();
            try {
                if (request.version() == null) {
                    throw HttpEdge.forStatus(505, null, null, null);
                }
                HttpEdge.requireOriginForm(request.path());
                HttpEdge.requireValidEscapes(request.query());
                HttpEdge.requireChunkedOnly(request.getHeader(HttpHeaders.TRANSFER_ENCODING));
                if (request.method() == HttpMethod.OPTIONS) {
                    throw HttpEdge.methodNotAllowed("OPTIONS", request.path());
                }
            } catch (ApiException refused) {
                answer(ctx, refused, true); // the body, if any, stays unread
                return;
            }
            String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
            long declared;
            try {
                declared = length == null ? -1 : Long.parseLong(length.trim());
            } catch (NumberFormatException malformed) {
                declared = -1; // Vert.x itself rejects a malformed Content-Length
            }
            if (declared <= max) {
                ctx.next();
            } else if (declared <= max + HttpEdge.DRAIN_BYTES) {
                // Read it all and drop it, answer, and keep the connection, as the other stacks drain.
                request.body().onSuccess(body -> answer(ctx, tooLarge, false))
                        .onFailure(broken -> request.connection().close());
                request.resume();
            } else {
                // Past the drain the body stays unread: close the connection after answering.
                ctx.response().endHandler(v -> request.connection().close());
                answer(ctx, tooLarge, true);
            }
        });
    }

    /**
     * {@code GET /metrics}: the contract's 406 ({@link MetricsAccept}) instead of Quarkus's empty one;
     * any Accept it allows is handed on as {@code text/plain}, for the Prometheus text format. Left
     * alone, Quarkus matches media types case-sensitively ({@code TEXT/PLAIN} and a bare
     * {@code application/openmetrics-text} get an empty 406) and answers OpenMetrics to no Accept.
     */
    void answerMetricsAccept(@Observes Router router) {
        router.route(HttpMethod.GET, Contract.METRICS).order(METRICS_ACCEPT_ORDER).handler(ctx -> {
            try {
                MetricsAccept.check(ctx.request().headers().getAll(HttpHeaders.ACCEPT));
            } catch (ApiException refused) {
                answer(ctx, refused, false);
                return;
            }
            ctx.request().headers().set(HttpHeaders.ACCEPT, MetricsAccept.PROMETHEUS_TEXT);
            ctx.next();
        });
    }

    /**
     * Vert.x Web fails a bad Host header (or none in HTTP/1.1) with 400 before Quarkus REST sees the
     * request: the contract's BAD_REQUEST, not Quarkus's error page. Other failures go on to Quarkus.
     */
    void answerRouterFailures(@Observes Router router) {
        ApiException badRequest = HttpEdge.forStatus(400, null, null, null);
        router.route().order(ROUTER_FAILURES_ORDER).failureHandler(ctx -> {
            if (ctx.statusCode() == 400 && !ctx.response().headWritten()) {
                answer(ctx, badRequest, false);
                return;
            }
            ctx.next();
        });
    }

    /** As JSON by Quarkus's ObjectMapper (which Vert.x's {@link Json} uses); {@code close}: the body stays unread. */
    private static void answer(RoutingContext ctx, ApiException error, boolean close) {
        HttpServerResponse response = ctx.response().setStatusCode(error.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        HttpEdge.headers(error, response::putHeader);
        if (close) {
            response.putHeader(HttpHeaders.CONNECTION, "close");
        }
        response.end(Json.encode(error.body()));
    }

    /** JAX-RS reads a body without a Content-Type as the method's first @Consumes type; the contract says 415. */
    @ServerRequestFilter
    public void requireContentType(HttpServerRequest vertxRequest) {
        if (vertxRequest.method() == HttpMethod.POST && vertxRequest.getHeader(HttpHeaders.CONTENT_TYPE) == null) {
            throw HttpEdge.unsupportedMediaType(null);
        }
    }

    /**
     * Every answer is JSON whatever Accept says, as on the other stacks, where Quarkus REST would
     * answer 406 to a client that accepts only, say, text/html. Looks at one header per request.
     */
    @ServerRequestFilter(preMatching = true)
    public void answerJsonWhateverAcceptSays(HttpServerRequest vertxRequest, ContainerRequestContext request) {
        String accept = vertxRequest.getHeader(HttpHeaders.ACCEPT);
        if (accept != null && !accept.contains("json") && !accept.contains("*/*") && !accept.contains("application/*")) {
            request.getHeaders().remove(HttpHeaders.ACCEPT.toString());
        }
    }

    /**
     * Every POST body. A chunked one is read up to one byte past the limit (and drained) before
     * Jackson sees it. Quarkus REST's Jackson reader gives null both for a body of only white space
     * (MALFORMED_JSON) and for the literal {@code null} (MISTYPED_FIELD): the stream tells them apart.
     */
    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        if (context.getHeaders().getFirst(HttpHeaders.CONTENT_LENGTH.toString()) == null) {
            context.setInputStream(new ByteArrayInputStream(HttpEdge.readBody(context.getInputStream(), -1, limits)));
        }
        ContentSeen seen = new ContentSeen(context.getInputStream());
        context.setInputStream(seen);
        Object bound = context.proceed();
        if (bound == null) {
            throw seen.content ? StrictJson.nullBody() : HttpEdge.emptyBody();
        }
        return bound;
    }

    private static final class ContentSeen extends FilterInputStream {
        private boolean content;

        ContentSeen(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            content |= b >= 0 && !whiteSpace(b);
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            for (int i = offset; !content && i < offset + n; i++) {
                content = !whiteSpace(buffer[i]);
            }
            return n;
        }

        private static boolean whiteSpace(int b) {
            return b == ' ' || b == '\t' || b == '\n' || b == '\r';
        }
    }

    /**
     * Quarkus REST picks the mapper of the most specific type, and a user mapper beats a built-in
     * one only of the same type: hence the types Quarkus maps itself (MismatchedInputException; the
     * 404, 405 and 415 Quarkus REST throws). Not ApiException: Quarkus loads the named classes in its
     * build, in Maven's JVM (Java 17 here), and ApiException is compiled for Java 21.
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
            case NotSupportedException w -> HttpEdge.unsupportedMediaType(request.getHeaderString("Content-Type"));
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
