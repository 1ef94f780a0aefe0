package dev.predictbench.springboot;

import dev.predictbench.contract.ContractMeters;
import dev.predictbench.model.InferenceOptions;
import dev.predictbench.model.InflightLimit;
import dev.predictbench.model.Limits;
import dev.predictbench.model.OnnxPredictor;
import dev.predictbench.model.PredictService;
import dev.predictbench.model.Protection;
import dev.predictbench.model.Settings;
import dev.predictbench.model.genai.GenAiLimits;
import dev.predictbench.model.genai.GenAiService;
import dev.predictbench.model.json.StrictJackson3;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.config.annotation.ContentNegotiationConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The Spring Boot stack: Spring Web MVC on Boot's default embedded Tomcat, one request per thread
 * from Tomcat's pool. Everything else is configured in {@code application.properties}.
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

    /** The bound on inference in flight that /predict, /embed and /search share (PREDICTBENCH_MAX_INFLIGHT etc.). */
    @Bean
    InflightLimit inflightLimit() {
        return InflightLimit.forProcess();
    }

    /** The opt-in API key and rate limit (PREDICTBENCH_API_KEY, PREDICTBENCH_RATE_LIMIT), applied by {@link EdgeFilters#protectionFilter}. */
    @Bean
    Protection protection() {
        return Protection.fromEnvironment();
    }

    /** The one inference service of the process; Spring closes it on shutdown. */
    @Bean(destroyMethod = "close")
    PredictService predictService(InflightLimit inflight) {
        return new PredictService(OnnxPredictor.fromEnvironment(), Limits.fromEnvironment(), inflight);
    }

    /** The GenAI workload's model, corpus and vectors, loaded at start beside the PredictService. */
    @Bean(destroyMethod = "close")
    GenAiService genAiService(InflightLimit inflight) {
        return GenAiService.load(InferenceOptions.fromEnvironment(), GenAiLimits.fromEnvironment(), inflight);
    }

    /** The contract's JSON rules on the JsonMapper Boot builds for Spring MVC. */
    @Bean
    JsonMapperBuilderCustomizer strictJson() {
        return StrictJackson3::configure;
    }

    /**
     * JSON whatever the Accept header asks for: the contract's only 406 is that of /metrics
     * ({@link EdgeFilters#metricsAcceptFilter}), and the other stacks answer JSON too. Actuator's
     * /metrics negotiates on its own (text/plain or OpenMetrics), and the "any type" default leaves
     * springdoc's /openapi.yaml its YAML.
     */
    @Override
    public void configureContentNegotiation(ContentNegotiationConfigurer configurer) {
        configurer.ignoreAcceptHeader(true).defaultContentType(MediaType.APPLICATION_JSON, MediaType.ALL);
    }

    /** Rows predicted, exported by Actuator's Prometheus endpoint as predictbench_predictions_total. */
    @Bean
    MeterBinder predictionsCounter(PredictService service) {
        return ContractMeters.predictions(service);
    }

    /** Texts embedded by POST /embed and searches answered, as predictbench_embeddings_total and predictbench_searches_total. */
    @Bean
    MeterBinder genAiCounters(GenAiService genAi) {
        return ContractMeters.genAi(genAi);
    }

    /**
     * The in-flight limit's shedding and load, as predictbench_overload_rejected_total,
     * predictbench_inflight_running and predictbench_inflight_queued.
     */
    @Bean
    MeterBinder overloadMeters(InflightLimit inflight) {
        return ContractMeters.overload(inflight);
    }
}
