package dev.predictbench.contract;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

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

    /** The Prometheus name of the counter of predicted rows (Micrometer: {@code predictbench.predictions}). */
    public static final String PREDICTIONS_COUNTER = "predictbench_predictions_total";
    /** The Micrometer name that exports as {@link #PREDICTIONS_COUNTER}. */
    public static final String PREDICTIONS_METER = "predictbench.predictions";

    /** The threading models {@code /info} may report. */
    public static final List<String> THREADING_MODELS =
            List.of("platform-thread-pool", "virtual-threads", "event-loop+workers");

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
