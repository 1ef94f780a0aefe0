package dev.predictbench.quarkus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.predictbench.contract.Contract;
import dev.predictbench.model.ApiException;
import dev.predictbench.model.Limits;
import dev.predictbench.model.MetricsAccept;
import dev.predictbench.model.PredictService;
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
 * The request rules Quarkus does not state in the contract's words: the body limit
 * ({@link Limits#maxBodyBytes()}), a missing Content-Type, and an Accept header without JSON.
 *
 * <p>Quarkus's own {@code quarkus.http.limits.max-body-size} (kept at its 10 MiB default) answers
 * a bare 413 without a body, so the contract's limit is enforced ahead of it, in two places: a
 * declared Content-Length on a Vert.x route before Quarkus's, without reading a byte; a chunked
 * body while Quarkus REST reads it, by a JAX-RS ReaderInterceptor that stops after the limit. Both,
 * and the Content-Type rule, apply to every POST body ({@code /predict}, {@code /embed},
 * {@code /search}): none is bound to a path.
 */
@Provider
@Singleton
public class RequestGuards implements ReaderInterceptor {
    private final Limits limits;

    RequestGuards(PredictService service) {
        this.limits = service.limits();
    }

    /**
     * How much of a declared body over the limit is read and dropped before the 413, as Tomcat
     * swallows (2 MiB) and Javalin drains: answering and closing with the body unread resets the
     * connection, and a client still sending lost the answer ("header parser received no bytes", a
     * flaky kit check under load). Past it the connection is closed at once, unread.
     */
    static final long SWALLOW_BYTES = 2 << 20;

    void refuseDeclaredOversizeBodies(@Observes Router router, ObjectMapper mapper) throws JsonProcessingException {
        long max = limits.maxBodyBytes();
        String tooLarge = mapper.writeValueAsString(limits.bodyTooLarge().body());
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(ctx -> {
            String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            long declared = length == null ? -1 : parse(length);
            if (declared > max) {
                HttpServerRequest request = ctx.request();
                if (declared <= max + SWALLOW_BYTES) {
                    // Read it all, answer, and keep the connection: the client saw its whole request taken.
                    request.body().onComplete(read -> {
                        if (read.succeeded()) {
                            ctx.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(tooLarge);
                        } else {
                            request.connection().close();
                        }
                    });
                    request.resume();
                    return;
                }
                // The body stays unread: close the connection after answering, as Quarkus's own limit does.
                ctx.response().setStatusCode(413)
                        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .putHeader(HttpHeaders.CONNECTION, "close")
                        .endHandler(v -> request.connection().close())
                        .end(tooLarge);
                return;
            }
            ctx.next();
        });
    }

    /**
     * Requests Vert.x Web refuses on its router before Quarkus REST sees them (a Host header that is
     * not a host, none at all in HTTP/1.1) fail with 400: answered here as the contract's
     * BAD_REQUEST instead of Quarkus's error page. Other failures go on to Quarkus's handlers.
     */
    void answerRouterFailuresWithTheContract(@Observes Router router, ObjectMapper mapper) throws JsonProcessingException {
        String badRequest = mapper.writeValueAsString(new ApiException(
                dev.predictbench.model.ErrorCode.BAD_REQUEST, "malformed HTTP request").body());
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
        router.route(HttpMethod.GET, Contract.METRICS).order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(ctx -> {
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
            byte[] body = context.getInputStream().readNBytes(limits.maxBodyBytes() + 1);
            if (body.length > limits.maxBodyBytes()) {
                throw limits.bodyTooLarge();
            }
            context.setInputStream(new ByteArrayInputStream(body));
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
            throw ErrorMappers.unsupportedMediaType();
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
