package dev.predictbench.contract;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** Names every server and client of the contract agrees on. */
public final class Contract {
    private Contract() {
    }

    public static final String PREDICT = "/predict";
    public static final String LIVE = "/health/live";
    public static final String READY = "/health/ready";
    public static final String MODEL = "/model";
    public static final String INFO = "/info";
    public static final String METRICS = "/metrics";
    public static final String OPENAPI = "/openapi";
    /** The GenAI workload: sentence embeddings of all-MiniLM-L6-v2. */
    public static final String EMBED = "/embed";
    /** The GenAI workload: the nearest WordNet glosses to a description. */
    public static final String SEARCH = "/search";
    /** The I/O-bound LLM workload: a chat completion from the upstream model, relayed as it streams. */
    public static final String CHAT = "/chat";

    /** Every path of the contract and the one method it is served with. */
    public static final Map<String, String> ROUTES = Map.of(PREDICT, "POST", EMBED, "POST", SEARCH, "POST",
            LIVE, "GET", READY, "GET", MODEL, "GET", INFO, "GET", METRICS, "GET", OPENAPI, "GET");

    /** The Prometheus name of the counter of predicted rows (Micrometer: {@code predictbench.predictions}). */
    public static final String PREDICTIONS_COUNTER = "predictbench_predictions_total";
    /** The Micrometer name that exports as {@link #PREDICTIONS_COUNTER}. */
    public static final String PREDICTIONS_METER = "predictbench.predictions";

    /** The Prometheus name of the counter of texts embedded by {@code POST /embed}. */
    public static final String EMBEDDINGS_COUNTER = "predictbench_embeddings_total";
    /** The Micrometer name that exports as {@link #EMBEDDINGS_COUNTER}. */
    public static final String EMBEDDINGS_METER = "predictbench.embeddings";

    /** The Prometheus name of the counter of searches answered by {@code POST /search}. */
    public static final String SEARCHES_COUNTER = "predictbench_searches_total";
    /** The Micrometer name that exports as {@link #SEARCHES_COUNTER}. */
    public static final String SEARCHES_METER = "predictbench.searches";

    /**
     * The Prometheus name of the counter of inference calls the in-flight limit refused with 503
     * OVERLOADED since start ({@code InflightLimit.rejected()}).
     */
    public static final String OVERLOAD_REJECTED_COUNTER = "predictbench_overload_rejected_total";
    /** The Micrometer name that exports as {@link #OVERLOAD_REJECTED_COUNTER}. */
    public static final String OVERLOAD_REJECTED_METER = "predictbench.overload.rejected";

    /** The Prometheus name of the gauge of inference calls running now ({@code InflightLimit.running()}). */
    public static final String INFLIGHT_RUNNING_GAUGE = "predictbench_inflight_running";
    /** The Micrometer name that exports as {@link #INFLIGHT_RUNNING_GAUGE}. */
    public static final String INFLIGHT_RUNNING_METER = "predictbench.inflight.running";

    /** The Prometheus name of the gauge of inference calls waiting for a turn now ({@code InflightLimit.waiting()}). */
    public static final String INFLIGHT_QUEUED_GAUGE = "predictbench_inflight_queued";
    /** The Micrometer name that exports as {@link #INFLIGHT_QUEUED_GAUGE}. */
    public static final String INFLIGHT_QUEUED_METER = "predictbench.inflight.queued";

    /** Every sample name the stacks export on {@link #METRICS} beside their frameworks' own. */
    public static final List<String> METRIC_SAMPLES = List.of(PREDICTIONS_COUNTER, EMBEDDINGS_COUNTER,
            SEARCHES_COUNTER, OVERLOAD_REJECTED_COUNTER, INFLIGHT_RUNNING_GAUGE, INFLIGHT_QUEUED_GAUGE);

    /** The threading models {@code /info} may report: those of the registry's stacks. */
    public static final List<String> THREADING_MODELS = Stacks.threadingModels();

    /** Classpath location of the contract's OpenAPI document. */
    public static final String OPENAPI_RESOURCE = "/dev/predictbench/contract/openapi.yaml";

    /** The contract's OpenAPI document, for servers that serve it as is. */
    public static byte[] openapiYaml() {
        try (InputStream in = Contract.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing " + OPENAPI_RESOURCE);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
