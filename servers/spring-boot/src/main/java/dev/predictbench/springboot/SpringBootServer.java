package dev.predictbench.springboot;

import dev.predictbench.contract.Contract;
import dev.predictbench.contract.ContractMeters;
import dev.predictbench.model.ApiException;
import dev.predictbench.model.InferenceOptions;
import dev.predictbench.model.InflightLimit;
import dev.predictbench.model.Limits;
import dev.predictbench.model.MetricsAccept;
import dev.predictbench.model.OnnxPredictor;
import dev.predictbench.model.PredictService;
import dev.predictbench.model.Protection;
import dev.predictbench.model.Settings;
import dev.predictbench.model.chat.ChatSettings;
import dev.predictbench.model.genai.GenAiLimits;
import dev.predictbench.model.genai.GenAiService;
import dev.predictbench.model.http.HttpEdge;
import dev.predictbench.model.json.StrictJackson3;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;
import jakarta.servlet.Filter;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Map;
import org.apache.catalina.core.StandardHost;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.config.annotation.ContentNegotiationConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.util.WebUtils;

/**
 * The Spring Boot stack: Spring Web MVC on Boot's default embedded Tomcat, one request per thread:
 * from Tomcat's pool, or a virtual thread each in the {@code virtual} variant ({@link ChatVariant}). Its beans and the contract's edge filter; the rest is in {@code application.properties}.
 */
@SpringBootApplication
@OpenAPIDefinition(info = @Info(title = "predict-bench model server", version = "1.0.0",
        description = "Spring Boot stack; the contract is servers/contract/openapi.yaml"))
public class SpringBootServer implements WebMvcConfigurer {

    /** Starts the server on {@code HOST}/{@code PORT} (see {@link Settings}). */
    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(SpringBootServer.class);
        // Defaults, so Boot's own server.address / server.port still win when someone sets them.
        app.setDefaultProperties(Map.of("server.address", Settings.host(), "server.port", Settings.port()));
        app.run(args);
    }

    /** Shared by /predict, /embed and /search (PREDICTBENCH_MAX_INFLIGHT etc.); a bean, so tests can replace it. */
    @Bean
    InflightLimit inflightLimit() {
        return InflightLimit.forProcess();
    }

    /** The opt-in API key and rate limit (PREDICTBENCH_API_KEY, PREDICTBENCH_RATE_LIMIT), applied by {@link #edgeFilter}. */
    @Bean
    Protection protection() {
        return Protection.fromEnvironment();
    }

    /** Where /chat sends conversations and how much it holds open (PREDICTBENCH_UPSTREAM_* etc.); a bean, so tests can replace it. */
    @Bean
    ChatSettings chatSettings() {
        return ChatSettings.fromEnvironment();
    }

    @Bean(destroyMethod = "close")
    PredictService predictService(InflightLimit inflight) {
        return new PredictService(OnnxPredictor.fromEnvironment(), Limits.fromEnvironment(), inflight);
    }

    @Bean(destroyMethod = "close")
    GenAiService genAiService(InflightLimit inflight) {
        return GenAiService.load(InferenceOptions.fromEnvironment(), GenAiLimits.fromEnvironment(), inflight);
    }

    /** The contract's meters (predictbench_*), exported by Actuator's Prometheus endpoint at /metrics. */
    @Bean
    MeterBinder contractMeters(PredictService service, GenAiService genAi, InflightLimit inflight, ChatController chat) {
        return registry -> {
            FunctionCounter.builder(ChatController.CHATS_METER, chat, ChatController::completed)
                    .description("chats answered completely by POST /chat").register(registry);
            ContractMeters.predictions(service).bindTo(registry);
            ContractMeters.genAi(genAi).bindTo(registry);
            ContractMeters.overload(inflight).bindTo(registry);
        };
    }

    /** The contract's JSON rules on the JsonMapper Boot builds for Spring MVC. */
    @Bean
    JsonMapperBuilderCustomizer strictJson() {
        return StrictJackson3::configure;
    }

    /**
     * JSON whatever the Accept header asks for, as on the other stacks: the contract's only 406 is
     * that of /metrics ({@link #edgeFilter}). Actuator's /metrics negotiates on its own, and the
     * "any type" default leaves springdoc's /openapi.yaml its YAML.
     */
    @Override
    public void configureContentNegotiation(ContentNegotiationConfigurer configurer) {
        configurer.ignoreAcceptHeader(true).defaultContentType(MediaType.APPLICATION_JSON, MediaType.ALL);
    }

    /**
     * The contract's checks in the order they apply, ahead of Spring MVC and of Boot's filters but its
     * observation filter (the request metrics count refusals); for REQUEST dispatches only (Boot's
     * default). A refusal goes to Spring MVC's exception resolvers, so {@link ContractErrors} answers it.
     */
    @Bean
    FilterRegistrationBean<Filter> edgeFilter(Protection protection, PredictService service,
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver errors) {
        boolean protect = protection.enabled();
        Limits limits = service.limits();
        FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>((req, res, chain) -> {
            HttpServletRequest request = (HttpServletRequest) req;
            HttpServletResponse response = (HttpServletResponse) res;
            try {
                // Before any path, Actuator's and springdoc's included, and before the body limit: a refused request is never read.
                if (protect) {
                    protection.check(request.getRequestURI(), request.getRemoteAddr(), request.getHeader("Authorization"),
                            request.getHeader("X-API-Key"));
                }
                // Decided before Actuator negotiates: its own 406 reaches the error path without its reason.
                if ("GET".equals(request.getMethod()) && Contract.METRICS.equals(request.getRequestURI())) {
                    MetricsAccept.check(Collections.list(request.getHeaders("Accept")));
                }
                // Tomcat decodes the query only when asked; Spring MVC answers OPTIONS on every mapped path, the contract on none.
                HttpEdge.requireValidEscapes(request.getQueryString());
                if ("OPTIONS".equals(request.getMethod())) {
                    throw HttpEdge.methodNotAllowed(request.getMethod(), request.getRequestURI());
                }
            } catch (ApiException refused) {
                errors.resolveException(request, response, null, refused);
                return;
            }
            // The body limit on every path: a declared length over it is refused unread (413 on the error
            // page; Tomcat drains the body), a chunked body is counted as it is read.
            long declared = request.getContentLengthLong();
            if (declared > limits.maxBodyBytes()) {
                response.sendError(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
            } else {
                chain.doFilter(declared < 0 ? new CountedBody(request, limits) : request, response);
            }
        });
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    /**
     * What Tomcat refuses before Spring MVC sees a request (not HTTP, request line or headers over
     * {@code server.max-http-request-header-size}) is answered by {@link ContractErrors.JsonErrorReportValve}
     * instead of an HTML page: the host creates its error report valve from this class as it starts.
     */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> jsonErrorReportValve() {
        return factory -> factory.addContextCustomizers(context -> ((StandardHost) context.getParent())
                .setErrorReportValveClass(ContractErrors.JsonErrorReportValve.class.getName()));
    }

    /** A chunked body whose stream counts what it reads and throws the service's BODY_TOO_LARGE error past the limit. */
    static final class CountedBody extends HttpServletRequestWrapper {
        private final Limits limits;
        private long count;

        CountedBody(HttpServletRequest request, Limits limits) {
            super(request);
            this.limits = limits;
        }

        /**
         * A declared length over 0, or a chunked body of which a byte was read: Spring MVC reports an
         * empty body and the JSON literal {@code null} alike, which the contract tells apart.
         */
        static boolean hadBody(HttpServletRequest request) {
            return request.getContentLengthLong() > 0
                    || WebUtils.getNativeRequest(request, CountedBody.class) instanceof CountedBody counted && counted.count > 0;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            ServletInputStream in = super.getInputStream();
            return new ServletInputStream() {
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

        private void counted(int n) {
            if (n > 0 && (count += n) > limits.maxBodyBytes()) {
                throw limits.bodyTooLarge();
            }
        }
    }
}
