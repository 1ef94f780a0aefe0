package dev.predictbench.quarkus;

import dev.predictbench.contract.Contract;
import dev.predictbench.model.ApiException;
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
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The contract's request rules that Vert.x and Quarkus REST do not apply by themselves: Vert.x
 * route hooks on Quarkus's router, ahead of Quarkus REST and of Quarkus's own body handling
 * ({@code ROUTE_ORDER_UPLOAD_LIMIT}), on the event loop and never blocking; then filters and a
 * reader interceptor inside Quarkus REST. A route hook's refusal is the contract's error JSON
 * ({@link #answer}), one in Quarkus REST goes to {@link ErrorMappers}.
 *
 * <p>Quarkus's own {@code quarkus.http.limits.max-body-size} (kept at its 10 MiB default) answers a
 * bare 413 without a body, so the contract's limit is enforced ahead of it: a declared
 * Content-Length on the route, a chunked body as Quarkus REST reads it.
 */
@Provider
@Singleton
public class Guards implements ReaderInterceptor {
    /**
     * First the protection (a refused request is never read), then the edge rules with the declared
     * body limit, then {@code /metrics}'s Accept; the router's failure handler comes before any other.
     */
    private static final int PROTECTION_ORDER = RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 3;
    private static final int EDGE_RULES_ORDER = RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 2;
    private static final int METRICS_ACCEPT_ORDER = RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1;
    private static final int ROUTER_FAILURES_ORDER = Integer.MIN_VALUE;

    private final Limits limits;

    Guards(PredictService service) {
        this.limits = service.limits();
    }

    /**
     * The opt-in {@link Protection} (API key, per-client rate limit) ahead of every route: a JAX-RS
     * filter would only see the JAX-RS resources, not {@code /openapi} (SmallRye OpenAPI's route).
     * The rate limiter never waits. Off (the benchmarks' default): no route at all.
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
     * {@link HttpEdge}'s rules: a request line whose HTTP version Vert.x does not know (it would
     * serve it as HTTP/1.1), a target that does not start with '/', a malformed percent-escape in
     * the query (decoded only when asked), a transfer coding other than chunked, OPTIONS (which
     * Quarkus REST answers for every resource by itself), and a declared Content-Length over the
     * body limit, refused without reading a byte more than the drain.
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
            long declared = length == null ? -1 : parse(length);
            if (declared <= max) {
                ctx.next();
            } else if (declared <= max + HttpEdge.DRAIN_BYTES) {
                // Read it all and drop it, answer, and keep the connection, as the other stacks drain.
                request.body().onComplete(read -> {
                    if (read.succeeded()) {
                        answer(ctx, tooLarge, false);
                    } else {
                        request.connection().close();
                    }
                });
                request.resume();
            } else {
                // Past the drain the body stays unread: close the connection after answering.
                ctx.response().endHandler(v -> request.connection().close());
                answer(ctx, tooLarge, true);
            }
        });
    }

    /**
     * {@code GET /metrics}: an Accept header that allows neither the Prometheus text format nor
     * OpenMetrics gets the contract's 406 ({@link MetricsAccept}) instead of Quarkus's empty 406;
     * any other is handed on as {@code text/plain}, so Quarkus answers the Prometheus text format,
     * as Javalin does. Left alone, Quarkus's handler matches media types case-sensitively: it
     * refuses {@code TEXT/PLAIN} and a bare {@code application/openmetrics-text} (an empty 406), and
     * answers OpenMetrics to a client that sends no Accept header at all.
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
     * Requests Vert.x Web refuses on its router before Quarkus REST sees them (a Host header that is
     * not a host, none at all in HTTP/1.1) fail with 400: answered here as the contract's
     * BAD_REQUEST instead of Quarkus's error page. Other failures go on to Quarkus's handlers.
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

    /**
     * Answers {@code error} as JSON written by Quarkus's ObjectMapper (Vert.x's {@link Json} uses
     * it); with {@code close}, for a request whose body stays unread.
     */
    private static void answer(RoutingContext ctx, ApiException error, boolean close) {
        HttpServerResponse response = ctx.response().setStatusCode(error.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        HttpEdge.headers(error, response::putHeader);
        if (close) {
            response.putHeader(HttpHeaders.CONNECTION, "close");
        }
        response.end(Json.encode(error.body()));
    }

    private static long parse(String length) {
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1; // Vert.x itself rejects a malformed Content-Length
        }
    }

    /**
     * Every POST body ({@code /predict}, {@code /embed}, {@code /search}). A chunked one has no
     * Content-Length: read at most one byte past the limit (and drain) before Jackson sees it.
     * Quarkus REST's Jackson reader hands over null both for a body of nothing but white space
     * (MALFORMED_JSON) and for the JSON literal {@code null} (MISTYPED_FIELD), so the stream notes
     * whether it carried anything but white space.
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
}
