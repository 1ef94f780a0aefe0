package dev.predictbench.springboot;

import dev.predictbench.contract.Contract;
import dev.predictbench.model.ApiException;
import dev.predictbench.model.Limits;
import dev.predictbench.model.MetricsAccept;
import dev.predictbench.model.PredictService;
import dev.predictbench.model.Protection;
import dev.predictbench.model.http.HttpEdge;
import jakarta.servlet.Filter;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.function.Consumer;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.util.WebUtils;

/**
 * The contract's servlet filters, registered here in the order they run, ahead of Spring MVC and
 * of Boot's own filters but its observation filter (the server's request metrics count refusals).
 * Each runs once per request (not on error dispatches). A refusal goes to Spring MVC's exception
 * resolvers, so {@link ContractErrors} answers it; a 413 before reading goes to the error page.
 */
@Configuration(proxyBeanMethods = false)
class EdgeFilters {
    private static final int FIRST = Ordered.HIGHEST_PRECEDENCE + 10;
    private static final String MVC = "handlerExceptionResolver";

    /**
     * The opt-in {@link Protection} (API key, per-client rate limit) ahead of every path, Actuator's
     * and springdoc's included, and of the body limit: a refused request is never read. Off (the
     * benchmarks' default), the filter is not registered at all.
     */
    @Bean
    FilterRegistrationBean<Filter> protectionFilter(Protection protection, @Qualifier(MVC) HandlerExceptionResolver errors) {
        FilterRegistrationBean<Filter> registration = refusing(FIRST, errors, request ->
                protection.check(request.getRequestURI(), request.getRemoteAddr(), request.getHeader("Authorization"),
                        request.getHeader("X-API-Key")));
        registration.setEnabled(protection.enabled());
        return registration;
    }

    /**
     * {@code GET /metrics} with an Accept header that allows neither the Prometheus text format nor
     * OpenMetrics gets the contract's 406 ({@link MetricsAccept}), decided before Actuator
     * negotiates: Actuator's own refusal reaches the error path without its reason.
     */
    @Bean
    FilterRegistrationBean<Filter> metricsAcceptFilter(@Qualifier(MVC) HandlerExceptionResolver errors) {
        return refusing(FIRST + 1, errors, request -> {
            if ("GET".equals(request.getMethod()) && Contract.METRICS.equals(request.getRequestURI())) {
                MetricsAccept.check(Collections.list(request.getHeaders("Accept")));
            }
        });
    }

    /**
     * The request target and method by {@link HttpEdge}'s rules, which Tomcat does not apply: a
     * malformed percent-escape in the query (Tomcat decodes the query only when asked), and
     * {@code OPTIONS}, which Spring MVC answers on every mapped path while the contract serves none.
     */
    @Bean
    FilterRegistrationBean<Filter> requestTargetFilter(@Qualifier(MVC) HandlerExceptionResolver errors) {
        return refusing(FIRST + 2, errors, request -> {
            HttpEdge.requireValidEscapes(request.getQueryString());
            if ("OPTIONS".equals(request.getMethod())) {
                throw HttpEdge.methodNotAllowed(request.getMethod(), request.getRequestURI());
            }
        });
    }

    /**
     * The body limit ({@link Limits#maxBodyBytes()}) on every path, so {@code /predict},
     * {@code /embed} and {@code /search} share it: a declared Content-Length over it is refused
     * before reading (413 on the error page; Tomcat drains the body, {@link #tomcatDrain}); a body
     * without one (chunked) is counted as it is read ({@link CountedBody}).
     */
    @Bean
    FilterRegistrationBean<Filter> bodyLimitFilter(PredictService service) {
        Limits limits = service.limits();
        return inOrder(FIRST + 3, (request, response, chain) -> {
            long declared = request.getContentLengthLong();
            if (declared > limits.maxBodyBytes()) {
                ((HttpServletResponse) response).sendError(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
                return;
            }
            chain.doFilter(declared < 0 ? new CountedBody((HttpServletRequest) request, limits) : request, response);
        });
    }

    /** What Tomcat reads and drops of a body it refused before answering: {@link HttpEdge#DRAIN_BYTES}, as on every stack. */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> tomcatDrain() {
        return factory -> factory.addConnectorCustomizers(connector -> {
            if (connector.getProtocolHandler() instanceof AbstractHttp11Protocol<?> http) {
                http.setMaxSwallowSize(HttpEdge.DRAIN_BYTES);
            }
        });
    }

    /** A filter that hands the ApiException {@code rule} throws to Spring MVC's exception resolvers instead of going on. */
    private static FilterRegistrationBean<Filter> refusing(int order, HandlerExceptionResolver errors,
            Consumer<HttpServletRequest> rule) {
        return inOrder(order, (request, response, chain) -> {
            try {
                rule.accept((HttpServletRequest) request);
            } catch (ApiException refused) {
                errors.resolveException((HttpServletRequest) request, (HttpServletResponse) response, null, refused);
                return;
            }
            chain.doFilter(request, response);
        });
    }

    /** Named after its bean; for REQUEST dispatches only, Boot's default for a filter that is not a OncePerRequestFilter. */
    private static FilterRegistrationBean<Filter> inOrder(int order, Filter filter) {
        FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(filter);
        registration.setOrder(order);
        return registration;
    }

    /**
     * A chunked body whose stream throws the service's BODY_TOO_LARGE error past the limit, which
     * {@link ContractErrors} answers; it also tells whether a byte was read at all ({@link #hadBody}).
     */
    static final class CountedBody extends HttpServletRequestWrapper {
        private final Limits limits;
        private ServletInputStream stream;
        private long count;

        CountedBody(HttpServletRequest request, Limits limits) {
            super(request);
            this.limits = limits;
        }

        /**
         * Whether the request had a body: a declared length over 0, or a chunked body of which a
         * byte was read. Spring MVC reports an empty body and the JSON literal {@code null} alike
         * ("required request body is missing"), which the contract tells apart.
         */
        static boolean hadBody(HttpServletRequest request) {
            return request.getContentLengthLong() > 0
                    || WebUtils.getNativeRequest(request, CountedBody.class) instanceof CountedBody counted && counted.count > 0;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                ServletInputStream in = super.getInputStream();
                stream = new ServletInputStream() {
                    @Override
                    public int read() throws IOException {
                        int b = in.read();
                        counted(b < 0 ? 0 : 1);
                        return b;
                    }

                    @Override
                    public int read(byte[] buffer, int offset, int length) throws IOException {
                        int n = in.read(buffer, offset, length);
                        counted(n);
                        return n;
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
                };
            }
            return stream;
        }

        private void counted(int n) {
            if (n > 0 && (count += n) > limits.maxBodyBytes()) {
                throw limits.bodyTooLarge();
            }
        }
    }
}
