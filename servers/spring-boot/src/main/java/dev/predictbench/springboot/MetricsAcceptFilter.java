package dev.predictbench.springboot;

import dev.predictbench.contract.Contract;
import dev.predictbench.model.ApiException;
import dev.predictbench.model.MetricsAccept;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * {@code GET /metrics} with an Accept header that allows neither the Prometheus text format nor
 * OpenMetrics ({@link MetricsAccept}) gets the contract's 406 NOT_ACCEPTABLE, decided before
 * Actuator negotiates: Actuator's own refusal reaches the error path without its reason. Other Accept headers go on to Actuator, which negotiates among its formats.
 */
class MetricsAcceptFilter extends OncePerRequestFilter {
    private final HandlerExceptionResolver resolver;

    MetricsAcceptFilter(@Qualifier("handlerExceptionResolver") HandlerExceptionResolver resolver) {
        this.resolver = resolver;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !("GET".equals(request.getMethod()) && Contract.METRICS.equals(request.getRequestURI()));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            MetricsAccept.check(Collections.list(request.getHeaders("Accept")));
        } catch (ApiException refused) {
            resolver.resolveException(request, response, null, refused);
            return;
        }
        chain.doFilter(request, response);
    }
}
