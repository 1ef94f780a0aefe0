package dev.predictbench.springboot;

import dev.predictbench.model.ApiException;
import dev.predictbench.model.Protection;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * The opt-in {@link Protection} (API key, per-client rate limit) as a servlet filter ahead of every
 * path, Actuator's and springdoc's included, and ahead of {@link RequestEdgeFilter}: a refused request
 * is never read. A refusal is handed to Spring MVC's exception resolvers, so {@link ContractErrors}
 * answers it like any other {@link ApiException} (with {@code WWW-Authenticate} or {@code Retry-After}).
 */
class ProtectionFilter extends OncePerRequestFilter {
    private final Protection protection;
    private final HandlerExceptionResolver resolver;

    ProtectionFilter(Protection protection, @Qualifier("handlerExceptionResolver") HandlerExceptionResolver resolver) {
        this.protection = protection;
        this.resolver = resolver;
    }

    /** Off (the benchmarks' default): not even a map lookup per request. */
    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !protection.enabled();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            protection.check(request.getRequestURI(), request.getRemoteAddr(), request.getHeader("Authorization"),
                    request.getHeader("X-API-Key"));
        } catch (ApiException refused) {
            resolver.resolveException(request, response, null, refused);
            return;
        }
        chain.doFilter(request, response);
    }
}
