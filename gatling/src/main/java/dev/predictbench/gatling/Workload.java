package dev.predictbench.gatling;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.predictbench.contract.Contract;
import dev.predictbench.contract.GoldenCases;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a simulation sends: the endpoint, request bodies drawn from a seeded set of real inputs (the
 * same bodies in the same order for every stack), and the JSON path every answer must have.
 */
public enum Workload {
    /** The tabular classifier: one data-set-like row per {@code POST /predict}. */
    TABULAR("tabular", Contract.PREDICT, "$.predictions[0].label");

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Distinct bodies per workload; the feeder cycles through them. */
    public static final int BODIES = 1000;

    private final String id;
    private final String path;
    private final String mustHave;

    Workload(String id, String path, String mustHave) {
        this.id = id;
        this.path = path;
        this.mustHave = mustHave;
    }

    public String id() {
        return id;
    }

    public String path() {
        return path;
    }

    /** A JSON path that must exist in every 200 answer. */
    public String mustHave() {
        return mustHave;
    }

    public static Workload byId(String id) {
        for (Workload w : values()) {
            if (w.id.equals(id.trim().toLowerCase(Locale.ROOT))) {
                return w;
            }
        }
        throw new IllegalArgumentException("unknown workload '" + id + "'; known: tabular");
    }

    /** The request bodies, seeded: {@link GoldenCases#inputs} rows, one per request. */
    public List<String> bodies(long seed) {
        List<String> bodies = new ArrayList<>(BODIES);
        for (double[] row : GoldenCases.inputs(seed, BODIES)) {
            try {
                bodies.add(JSON.writeValueAsString(Map.of("instances", List.of(row))));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return bodies;
    }
}
