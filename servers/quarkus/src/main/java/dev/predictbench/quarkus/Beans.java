package dev.predictbench.quarkus;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.predictbench.contract.Contract;
import dev.predictbench.model.InflightLimit;
import dev.predictbench.model.PredictService;
import dev.predictbench.model.Protection;
import dev.predictbench.model.genai.GenAiService;
import dev.predictbench.model.json.StrictJson;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.quarkus.jackson.ObjectMapperCustomizer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The CDI beans the glue needs: the one PredictService and GenAiService, their counters, and the strict JSON rules. */
@Singleton
public class Beans {

    /** Loaded at start-up, not on the first request, so a server that answers is ready. */
    @Produces
    @Singleton
    @Startup
    PredictService predictService() {
        return PredictService.fromEnvironment();
    }

    void close(@Disposes PredictService service) {
        service.close();
    }

    /** The opt-in API key and rate limit (PREDICTBENCH_API_KEY, PREDICTBENCH_RATE_LIMIT), applied by {@link ProtectionFilter}. */
    @Produces
    @Singleton
    Protection protection() {
        return Protection.fromEnvironment();
    }

    /** The GenAI model, corpus and vectors, also loaded at start-up (part of the recorded start-up). */
    @Produces
    @Singleton
    @Startup
    GenAiService genAiService() {
        return GenAiService.fromEnvironment();
    }

    void close(@Disposes GenAiService genAi) {
        genAi.close();
    }

    /** Texts embedded by POST /embed and searches answered, exported as predictbench_embeddings_total and predictbench_searches_total. */
    @Produces
    @Singleton
    MeterBinder genAiCounters(GenAiService genAi) {
        return registry -> {
            FunctionCounter.builder(Contract.EMBEDDINGS_METER, genAi, GenAiService::textsEmbedded)
                    .description("Texts embedded since start")
                    .register(registry);
            FunctionCounter.builder(Contract.SEARCHES_METER, genAi, GenAiService::searches)
                    .description("Searches answered since start")
                    .register(registry);
        };
    }

    /** Quarkus binds every MeterBinder bean to its Prometheus registry. */
    @Produces
    @Singleton
    MeterBinder predictionsCounter(PredictService service) {
        return registry -> FunctionCounter.builder(Contract.PREDICTIONS_METER, service, PredictService::rowsPredicted)
                .description("Rows predicted since start")
                .register(registry);
    }

    /**
     * The in-flight limit's shedding and load, exported as predictbench_overload_rejected_total,
     * predictbench_inflight_running and predictbench_inflight_queued: the limit the PredictService
     * runs within, the process's one, which the GenAiService shares.
     */
    @Produces
    @Singleton
    MeterBinder overloadMeters(PredictService service) {
        InflightLimit inflight = service.inflight();
        return registry -> {
            FunctionCounter.builder(Contract.OVERLOAD_REJECTED_METER, inflight, InflightLimit::rejected)
                    .description("Inference calls refused with 503 OVERLOADED by the in-flight limit")
                    .register(registry);
            Gauge.builder(Contract.INFLIGHT_RUNNING_METER, inflight, InflightLimit::running)
                    .description("Inference calls running now")
                    .register(registry);
            Gauge.builder(Contract.INFLIGHT_QUEUED_METER, inflight, InflightLimit::waiting)
                    .description("Inference calls waiting for a turn now")
                    .register(registry);
        };
    }

    /** The contract's JSON rules on the ObjectMapper Quarkus REST binds with (after Quarkus's own config). */
    @Singleton
    static class StrictJsonCustomizer implements ObjectMapperCustomizer {
        @Override
        public void customize(ObjectMapper mapper) {
            StrictJson.configure(mapper);
        }
    }
}
