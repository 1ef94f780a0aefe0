package dev.predictbench.springboot;

import dev.predictbench.model.PredictService;
import dev.predictbench.model.Protection;
import dev.predictbench.model.http.HttpEdge;
import jakarta.servlet.Filter;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * The contract's servlet filters, registered here in the order they run, ahead of Spring MVC and
 * of Boot's own filters but its observation filter (the server's request metrics count refusals):
 * <ol>
 *   <li>{@link ProtectionFilter}: the opt-in API key and rate limit; a refused request is never read;</li>
 *   <li>{@link MetricsAcceptFilter}: {@code GET /metrics}'s one 406;</li>
 *   <li>{@link RequestEdgeFilter}: the request target's percent-escapes, OPTIONS (not served) and the body limit.</li>
 * </ol>
 * Their refusals go to Spring MVC's exception resolvers (so {@link ContractErrors} answers them) or,
 * for a 413 before reading, to the error page ({@link ErrorPageController}).
 */
@Configuration(proxyBeanMethods = false)
class EdgeFilters {
    private static final int FIRST = Ordered.HIGHEST_PRECEDENCE + 10;

    @Bean
    FilterRegistrationBean<ProtectionFilter> protectionFilter(Protection protection,
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver resolver) {
        return inOrder(new ProtectionFilter(protection, resolver), FIRST);
    }

    @Bean
    FilterRegistrationBean<MetricsAcceptFilter> metricsAcceptFilter(
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver resolver) {
        return inOrder(new MetricsAcceptFilter(resolver), FIRST + 1);
    }

    @Bean
    FilterRegistrationBean<RequestEdgeFilter> requestEdgeFilter(PredictService service,
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver resolver) {
        return inOrder(new RequestEdgeFilter(service, resolver), FIRST + 2);
    }

    /**
     * What Tomcat reads and drops of a body it refused before answering ({@code maxSwallowSize}):
     * the contract's {@link HttpEdge#DRAIN_BYTES}, as on every stack.
     */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> tomcatDrain() {
        return factory -> factory.addConnectorCustomizers(connector -> {
            if (connector.getProtocolHandler() instanceof AbstractHttp11Protocol<?> http) {
                http.setMaxSwallowSize(HttpEdge.DRAIN_BYTES);
            }
        });
    }

    private static <F extends Filter> FilterRegistrationBean<F> inOrder(F filter, int order) {
        FilterRegistrationBean<F> registration = new FilterRegistrationBean<>(filter);
        registration.setOrder(order);
        return registration;
    }
}
