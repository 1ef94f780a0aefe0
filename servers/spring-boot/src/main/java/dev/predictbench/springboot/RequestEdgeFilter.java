package dev.predictbench.springboot;

import dev.predictbench.model.ApiException;
import dev.predictbench.model.Limits;
import dev.predictbench.model.PredictService;
import dev.predictbench.model.http.HttpEdge;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * The request's target, method and body by the contract's edge rules ({@link HttpEdge}), which
 * Tomcat does not apply by itself: a query with a malformed percent-escape is refused (Tomcat
 * decodes the query only when asked), {@code OPTIONS} is not allowed, and a body over the limit
 * ({@link Limits#maxBodyBytes()}) is refused: a declared Content-Length over it before reading (413, answered by {@link ErrorPageController}; Tomcat
 * drains the body, {@link EdgeFilters#tomcatDrain}); a body without one (chunked) is counted as it
 * is read and stops with the service's BODY_TOO_LARGE error, which {@link ContractErrors} answers.
 * It filters every path, so {@code /predict}, {@code /embed} and {@code /search} share the one limit.
 */
class RequestEdgeFilter extends OncePerRequestFilter {
    private final Limits limits;
    private final HandlerExceptionResolver resolver;

    RequestEdgeFilter(PredictService service, HandlerExceptionResolver resolver) {
        this.limits = service.limits();
        this.resolver = resolver;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            HttpEdge.requireValidEscapes(request.getQueryString());
            if ("OPTIONS".equals(request.getMethod())) {
                // Spring MVC answers OPTIONS on every mapped path by itself; the contract serves no OPTIONS.
                throw HttpEdge.methodNotAllowed(request.getMethod(), request.getRequestURI());
            }
        } catch (ApiException refused) {
            resolver.resolveException(request, response, null, refused);
            return;
        }
        long declared = request.getContentLengthLong();
        if (declared > limits.maxBodyBytes()) {
            response.sendError(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
            return;
        }
        chain.doFilter(declared < 0 ? new CountedBody(request, limits) : request, response);
    }

    /**
     * Whether the request had a body at all: a declared length over 0, or a chunked body of which a
     * byte was read. Spring MVC reports an empty body and the JSON literal {@code null} alike ("required
     * request body is missing"), which the contract tells apart (MALFORMED_JSON, MISTYPED_FIELD).
     */
    static boolean hadBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getAttribute(BODY_READ) != null;
    }

    /** Set on the request once a byte of a chunked body was read. */
    private static final String BODY_READ = RequestEdgeFilter.class.getName() + ".bodyRead";

    /** A request whose body stream throws the BODY_TOO_LARGE error past the limit. */
    private static final class CountedBody extends HttpServletRequestWrapper {
        private final Limits limits;
        private ServletInputStream stream;

        CountedBody(HttpServletRequest request, Limits limits) {
            super(request);
            this.limits = limits;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new Counting(super.getInputStream(), limits, () -> setAttribute(BODY_READ, Boolean.TRUE));
            }
            return stream;
        }
    }

    private static final class Counting extends ServletInputStream {
        private final ServletInputStream in;
        private final Limits limits;
        private final Runnable firstByte;
        private long count;

        Counting(ServletInputStream in, Limits limits, Runnable firstByte) {
            this.in = in;
            this.limits = limits;
            this.firstByte = firstByte;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        private void counted(int n) {
            if (count == 0) {
                firstByte.run();
            }
            count += n;
            if (count > limits.maxBodyBytes()) {
                throw limits.bodyTooLarge();
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
