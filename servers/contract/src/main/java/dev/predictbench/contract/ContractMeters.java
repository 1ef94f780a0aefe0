package dev.predictbench.contract;

import dev.predictbench.model.InflightLimit;
import dev.predictbench.model.PredictService;
import dev.predictbench.model.genai.GenAiEndpoint;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The contract's meters for the stacks that export through Micrometer (Javalin, and LangChain4j on
 * its glue; Spring Boot; Quarkus): their names ({@link Contract}), descriptions and sources in one
 * place, so /metrics says the same on each. Helidon SE exports the same names through its own
 * metrics API. Micrometer is an optional dependency of this module: each server brings its own.
 */
public final class ContractMeters {
    private ContractMeters() {
    }

    /** predictbench_predictions_total: rows predicted by POST /predict. */
    public static MeterBinder predictions(PredictService service) {
        return registry -> FunctionCounter.builder(Contract.PREDICTIONS_METER, service, PredictService::rowsPredicted)
                .description("Rows predicted by POST /predict")
                .register(registry);
    }

    /** predictbench_embeddings_total and predictbench_searches_total, read from the stack's GenAI endpoint. */
    public static MeterBinder genAi(GenAiEndpoint genAi) {
        return registry -> {
            FunctionCounter.builder(Contract.EMBEDDINGS_METER, genAi, GenAiEndpoint::textsEmbedded)
                    .description("Texts embedded by POST /embed")
                    .register(registry);
            FunctionCounter.builder(Contract.SEARCHES_METER, genAi, GenAiEndpoint::searches)
                    .description("Searches answered by POST /search")
                    .register(registry);
        };
    }

    /**
     * predictbench_overload_rejected_total, predictbench_inflight_running and
     * predictbench_inflight_queued, read from {@code inflight}: it must be the limit the stack's
     * services run within (the process's one, or the one a test handed them).
     */
    public static MeterBinder overload(InflightLimit inflight) {
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
}
