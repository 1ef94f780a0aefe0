package dev.predictbench.quarkus;

import dev.predictbench.model.Limits;
import dev.predictbench.model.PredictService;
import dev.predictbench.model.http.HttpEdge;
import dev.predictbench.model.json.StrictJson;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
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
 * The request rules applied inside Quarkus REST, by shared-model's {@link HttpEdge}, on every POST
 * body ({@code /predict}, {@code /embed}, {@code /search}; none is bound to a path): a chunked
 * body's limit ({@link Limits#maxBodyBytes()}), a missing Content-Type, and an Accept header
 * without JSON. The rules ahead of Quarkus REST are {@link RouteGuards}.
 */
@Provider
@Singleton
public class RestGuards implements ReaderInterceptor {
    private final Limits limits;

    RestGuards(PredictService service) {
        this.limits = service.limits();
    }

    /**
     * A chunked body has no Content-Length: read at most one byte past the limit (and drain) before
     * Jackson sees it. Every body: Quarkus REST's Jackson reader hands over null both for a body of
     * nothing but white space (MALFORMED_JSON) and for the JSON literal {@code null}
     * (MISTYPED_FIELD), so the stream notes whether it carried anything but white space.
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

    /** Passes a body through, noting whether a byte other than JSON white space went by. */
    private static final class ContentSeen extends FilterInputStream {
        private boolean content;

        ContentSeen(InputStream in) {
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
}
