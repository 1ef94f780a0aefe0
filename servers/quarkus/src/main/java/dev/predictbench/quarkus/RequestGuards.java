package dev.predictbench.quarkus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.predictbench.contract.Contract;
import dev.predictbench.model.ApiException;
import dev.predictbench.model.Limits;
import dev.predictbench.model.MetricsAccept;
import dev.predictbench.model.PredictService;
import dev.predictbench.model.http.HttpEdge;
import dev.predictbench.model.json.StrictJson;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The request rules Quarkus does not state in the contract's words, all by shared-model's
 * {@link HttpEdge}: the protocol rules, the body limit ({@link Limits#maxBodyBytes()}), a missing
 * Content-Type, and an Accept header without JSON. Every Vert.x route hook of the glue runs in the
 * order of the constants below.
 *
 * <p>Quarkus's own {@code quarkus.http.limits.max-body-size} (kept at its 10 MiB default) answers
 * a bare 413 without a body, so the contract's limit is enforced ahead of it, in two places: a
 * declared Content-Length on a Vert.x route before Quarkus's; a chunked body while Quarkus REST
 * reads it, by a JAX-RS ReaderInterceptor that stops after the limit (and drains). Both,
 * and the Content-Type rule, apply to every POST body ({@code /predict}, {@code /embed},
 * {@code /search}): none is bound to a path.
 */
@Provider
@Singleton
public class RequestGuards implements ReaderInterceptor {
    /**
     * The order of the contract's Vert.x route hooks, in the order they run, all ahead of Quarkus's
     * own body handling ({@code ROUTE_ORDER_UPLOAD_LIMIT}): the protection first (a refused request
     * is never read), then the edge rules with the declared body limit, and {@code /metrics}'s Accept.
     */
    static final int PROTECTION_ORDER = RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 3;
    static final int EDGE_RULES_ORDER = RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 2;
    static final int METRICS_ACCEPT_ORDER = RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1;

    private final Limits limits;

    RequestGuards(PredictService service) {
        this.limits = service.limits();
    }

    /**
     * The contract's edge rules ({@link HttpEdge}) that Vert.x and Quarkus REST do not apply by
     * themselves, in one route hook on the event loop (it never blocks): a request line whose HTTP
     * version Vert.x does not know (it would serve it as HTTP/1.1), a target that does not start
     * with '/', a malformed percent-escape in the query (decoded only when asked), a transfer
     * coding other than chunked, OPTIONS (which Quarkus REST answers for every resource by itself),
     * and a declared Content-Length over the body limit, refused without reading a byte more than
     * the drain.
     */
    void applyEdgeRules(@Observes Router router, ObjectMapper mapper) throws JsonProcessingException {
        long max = limits.maxBodyBytes();
        String tooLarge = mapper.writeValueAsString(limits.bodyTooLarge().body());
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
                // The body, if any, stays unread: close the connection after answering.
                ctx.response().setStatusCode(refused.status())
                        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .putHeader(HttpHeaders.CONNECTION, "close")
                        .end(ProtectionFilter.json(mapper, refused));
                return;
            }
            String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
            long declared = length == null ? -1 : parse(length);
            if (declared <= max) {
                ctx.next();
            } else if (declared <= max + HttpEdge.DRAIN_BYTES) {
                // Read it all and drop it, answer, and keep the connection, as the other stacks drain.
                request.body().onComplete(read -> {
                    if (read.succeeded()) {
                        ctx.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(tooLarge);
                    } else {
                        request.connection().close();
                    }
                });
                request.resume();
            } else {
                // Past the drain the body stays unread: close the connection after answering.
                ctx.response().setStatusCode(413)
                        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .putHeader(HttpHeaders.CONNECTION, "close")
                        .endHandler(v -> request.connection().close())
                        .end(tooLarge);
            }
        });
    }

    /**
     * Requests Vert.x Web refuses on its router before Quarkus REST sees them (a Host header that is
     * not a host, none at all in HTTP/1.1) fail with 400: answered here as the contract's
     * BAD_REQUEST instead of Quarkus's error page. Other failures go on to Quarkus's handlers.
     */
    void answerRouterFailuresWithTheContract(@Observes Router router, ObjectMapper mapper) throws JsonProcessingException {
        String badRequest = mapper.writeValueAsString(HttpEdge.forStatus(400, null, null, null).body());
        router.route().order(Integer.MIN_VALUE).failureHandler(ctx -> {
            if (ctx.statusCode() == 400 && !ctx.response().headWritten()) {
                ctx.response().setStatusCode(400)
                        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .end(badRequest);
                return;
            }
            ctx.next();
        });
    }

    /**
     * {@code GET /metrics}: an Accept header that allows neither the Prometheus text format nor
     * OpenMetrics gets the contract's 406 NOT_ACCEPTABLE ({@link MetricsAccept}) instead of
     * Quarkus's empty 406; any other is handed on as {@code text/plain}, because Quarkus's handler
     * matches media types case-sensitively and refused {@code TEXT/PLAIN} and a bare
     * {@code application/openmetrics-text} (an empty 406), and answered OpenMetrics to a client that
     * sent no Accept header at all. So Quarkus answers the Prometheus text format, as Javalin does.
     */
    void answerMetricsAcceptWithTheContract(@Observes Router router, ObjectMapper mapper) {
        router.route(HttpMethod.GET, Contract.METRICS).order(METRICS_ACCEPT_ORDER).handler(ctx -> {
            try {
                MetricsAccept.check(ctx.request().headers().getAll(HttpHeaders.ACCEPT));
            } catch (ApiException refused) {
                ctx.response().setStatusCode(refused.status()).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .end(ProtectionFilter.json(mapper, refused));
                return;
            }
            ctx.request().headers().set(HttpHeaders.ACCEPT, MetricsAccept.PROMETHEUS_TEXT);
            ctx.next();
        });
    }

    /**
     * A chunked body has no Content-Length: read at most one byte past the limit before Jackson sees
     * it. Every body: Quarkus REST hands the resource null both for an empty body (MALFORMED_JSON,
     * answered there) and for the JSON literal {@code null} (MISTYPED_FIELD, answered here), so the
     * stream notes whether it carried anything but white space.
     */
    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        if (context.getHeaders().getFirst(HttpHeaders.CONTENT_LENGTH.toString()) == null) {
            context.setInputStream(new ByteArrayInputStream(HttpEdge.readBody(context.getInputStream(), -1, limits)));
        }
        ContentSeen seen = new ContentSeen(context.getInputStream());
        context.setInputStream(seen);
        Object bound = context.proceed();
        return seen.content ? StrictJson.requireBody(bound) : bound;
    }

    /** Passes a body through, noting whether a byte other than JSON white space went by. */
    private static final class ContentSeen extends java.io.FilterInputStream {
        private boolean content;

        ContentSeen(java.io.InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0 && !content) {
                content = !whiteSpace(b);
            }
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

    /** JAX-RS reads a body without a Content-Type as the method's first @Consumes type; the contract says 415. */
    @ServerRequestFilter
    public void requireContentType(HttpServerRequest vertxRequest) {
        if (vertxRequest.method() == HttpMethod.POST && vertxRequest.getHeader(HttpHeaders.CONTENT_TYPE) == null) {
            throw HttpEdge.unsupportedMediaType(null);
        }
    }

    /**
     * Every answer is JSON whatever Accept says, as on the other stacks; left alone, Quarkus REST
     * answers 406 to a client that accepts only, say, text/html. Looks at one header per request.
     */
    @ServerRequestFilter(preMatching = true)
    public void answerJsonWhateverAcceptSays(HttpServerRequest vertxRequest, ContainerRequestContext request) {
        String accept = vertxRequest.getHeader(HttpHeaders.ACCEPT);
        if (accept != null && !accept.contains("json") && !accept.contains("*/*") && !accept.contains("application/*")) {
            request.getHeaders().remove(HttpHeaders.ACCEPT.toString());
        }
    }

    private static long parse(String length) {
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1; // Vert.x itself rejects a malformed Content-Length
        }
    }
}
