package dev.predictbench.quarkus;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.predictbench.contract.ContractMeters;
import dev.predictbench.model.PredictService;
import dev.predictbench.model.Protection;
import dev.predictbench.model.genai.GenAiService;
import dev.predictbench.model.json.StrictJson;
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

    /** The opt-in API key and rate limit (PREDICTBENCH_API_KEY, PREDICTBENCH_RATE_LIMIT), applied by {@link RouteGuards#protect}. */
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
        return ContractMeters.genAi(genAi);
    }

    /** Quarkus binds every MeterBinder bean to its Prometheus registry. */
    @Produces
    @Singleton
    MeterBinder predictionsCounter(PredictService service) {
        return ContractMeters.predictions(service);
    }

    /**
     * The in-flight limit's shedding and load, exported as predictbench_overload_rejected_total,
     * predictbench_inflight_running and predictbench_inflight_queued: the limit the PredictService
     * runs within, the process's one, which the GenAiService shares.
     */
    @Produces
    @Singleton
    MeterBinder overloadMeters(PredictService service) {
        return ContractMeters.overload(service.inflight());
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
