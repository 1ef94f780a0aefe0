package dev.predictbench.gatling;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.predictbench.contract.Contract;
import dev.predictbench.contract.GoldenCases;
import dev.predictbench.model.genai.WordNetCorpus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a simulation sends: the endpoint, request bodies drawn from a seeded set of real inputs (the
 * same bodies in the same order for every stack), the JSON path every answer must have, and the
 * latency objective its SLO search uses by default.
 */
public enum Workload {
    /**
     * The tabular classifier: one data-set-like row per {@code POST /predict}. Its p99 objective,
     * 25 ms, is above the pauses every stack's JVM takes on one CPU at any load (their p99 reads 5 to
     * 13 ms at 300 requests/s on the 2-CPU machine this was sized on), so the search finds a limit.
     */
    TABULAR("tabular", Contract.PREDICT, "$.predictions[0].label", "\"label\"", 25),
    /** Sentence embeddings: one WordNet gloss per {@code POST /embed}. */
    EMBED("embed", "/embed", "$.embeddings[0][0]", "\"embeddings\"", 50),
    /**
     * Semantic search, the reverse dictionary: a WordNet gloss as the query, the five nearest
     * entries back ({@code POST /search}, k = 5).
     */
    SEARCH("search", "/search", "$.results[0].words", "\"words\"", 50);

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Distinct bodies per workload; the feeder cycles through them. */
    public static final int BODIES = 1000;

    private final String id;
    private final String path;
    private final String mustHave;
    private final String marker;
    private final double defaultSloP99Millis;

    Workload(String id, String path, String mustHave, String marker, double defaultSloP99Millis) {
        this.id = id;
        this.path = path;
        this.mustHave = mustHave;
        this.marker = marker;
        this.defaultSloP99Millis = defaultSloP99Millis;
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

    /** Bytes every good answer's body contains: the load client's cheap form of {@link #mustHave()}. */
    public String marker() {
        return marker;
    }

    /** The p99 objective of the SLO search unless {@code bench.sloP99Millis.<id>} says otherwise. */
    public double defaultSloP99Millis() {
        return defaultSloP99Millis;
    }

    public boolean genAi() {
        return this != TABULAR;
    }

    public static Workload byId(String id) {
        String wanted = id.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(w -> w.id.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown workload '" + id + "'; known: "
                        + Arrays.stream(values()).map(Workload::id).collect(Collectors.joining(","))));
    }

    /** The request bodies, seeded: data-set and random valid rows, or WordNet glosses. */
    public List<String> bodies(long seed) {
        List<String> bodies = new ArrayList<>(BODIES);
        if (this == TABULAR) {
            for (double[] row : GoldenCases.inputs(seed, BODIES)) {
                bodies.add(json(Map.of("instances", List.of(row))));
            }
            return bodies;
        }
        for (String text : WordNetCorpus.load().glossSample(seed, BODIES)) {
            bodies.add(this == EMBED ? json(Map.of("texts", List.of(text))) : json(Map.of("query", text, "k", 5)));
        }
        return bodies;
    }

    private static String json(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
