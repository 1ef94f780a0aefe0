package dev.predictbench.benchmarks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.predictbench.contract.GoldenCases;
import dev.predictbench.model.BreastCancerData;
import dev.predictbench.model.InferenceOptions;
import dev.predictbench.model.Limits;
import dev.predictbench.model.OnnxPredictor;
import dev.predictbench.model.PredictRequest;
import dev.predictbench.model.PredictResponse;
import dev.predictbench.model.PredictService;
import dev.predictbench.model.genai.WordNetCorpus;
import dev.predictbench.model.json.StrictJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The inputs every suite shares: real rows of the bundled data set, and {@code /predict} bodies
 * built from the contract's seeded golden inputs, so the suites measure what the servers are sent.
 */
final class Payloads {
    /**
     * The load's seed: the load runner's default {@code bench.seed} (gatling's {@code BenchSettings}),
     * which is also the contract's golden seed.
     */
    static final long LOAD_SEED = GoldenCases.GOLDEN_SEED;
    /** Distinct bodies per workload, as many as the load cycles through (gatling's {@code Workload.BODIES}). */
    static final int LOAD_BODIES = 1000;

    private static final ObjectMapper PLAIN = new ObjectMapper();

    private Payloads() {
    }

    /**
     * The request bodies the load runner sends for a workload ({@code tabular}, {@code embed},
     * {@code search}), in its order: the same generator as gatling's {@code Workload.bodies(seed)},
     * restated here because this module is built before gatling and cannot depend on it. Tabular: one
     * seeded golden-input row per {@code /predict}; embed: one WordNet gloss per {@code /embed}; search:
     * a WordNet gloss as the query with {@code k} = 5. Glosses are drawn with {@code new Random(seed)}
     * over the bundled corpus, so the texts (and their token counts) are the load's.
     */
    static byte[][] loadBodies(String workload, long seed) {
        List<String> bodies = new ArrayList<>(LOAD_BODIES);
        switch (workload) {
            case "tabular" -> {
                for (double[] row : GoldenCases.inputs(seed, LOAD_BODIES)) {
                    bodies.add(json(Map.of("instances", List.of(row))));
                }
            }
            case "embed", "search" -> {
                List<WordNetCorpus.Entry> entries = WordNetCorpus.load().entries();
                Random random = new Random(seed);
                for (int i = 0; i < LOAD_BODIES; i++) {
                    String text = entries.get(random.nextInt(entries.size())).gloss();
                    if (workload.equals("embed")) {
                        bodies.add(json(Map.of("texts", List.of(text))));
                    } else {
                        ObjectNode body = PLAIN.createObjectNode();
                        body.put("query", text);
                        body.put("k", 5);
                        bodies.add(json(body));
                    }
                }
            }
            default -> throw new IllegalArgumentException("workload must be tabular, embed or search, got " + workload);
        }
        byte[][] out = new byte[bodies.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = bodies.get(i).getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    private static String json(Object body) {
        try {
            return PLAIN.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first {@code count} rows of the data set as the float rows the model takes. */
    static float[][] dataSetRows(int count) {
        List<BreastCancerData.Row> rows = BreastCancerData.load().rows();
        float[][] out = new float[count][];
        for (int i = 0; i < count; i++) {
            out[i] = rows.get(i % rows.size()).floats();
        }
        return out;
    }

    /** A {@code /predict} request of {@code rows} rows from {@link GoldenCases#inputs}. */
    static PredictRequest request(int rows) {
        List<List<Double>> instances = new ArrayList<>(rows);
        for (double[] row : GoldenCases.inputs(GoldenCases.GOLDEN_SEED, rows)) {
            instances.add(Arrays.stream(row).boxed().toList());
        }
        return new PredictRequest(instances);
    }

    /** The request's body as a client sends it: compact JSON, UTF-8. */
    static byte[] requestBody(int rows) {
        try {
            return StrictJson.newMapper().writeValueAsBytes(request(rows));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** shared-model's answer to {@link #request(int)}. */
    static PredictResponse response(int rows) {
        try (PredictService service = newService()) {
            return service.predict(request(rows));
        }
    }

    /** What every server builds once at start: the default model and limits, one session. */
    static PredictService newService() {
        return new PredictService(OnnxPredictor.loadDefault(InferenceOptions.DEFAULT), Limits.DEFAULT);
    }
}
