package dev.predictbench.results.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.predictbench.results.RunRecords;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The in-process half of a run, from JMH's JSON: every result as operations per second per thread,
 * and the ceiling the framework tax is measured against: {@code PipelineBenchmark.requestToResponse}
 * with one row, the whole {@code /predict} request (bind, validate, infer, serialize) on one thread
 * without HTTP.
 *
 * @param results  every benchmark result, normalised
 * @param pipeline the ceiling, or null when the run has no JMH pass or no pipeline result
 */
public record JmhCeiling(List<Result> results, Result pipeline) {
    static final String PIPELINE = "PipelineBenchmark.requestToResponse";

    /**
     * One JMH result.
     *
     * @param opsPerSecondPerThread the score as operations per second on one thread (from either mode)
     */
    public record Result(String benchmark, Map<String, String> params, String mode, int threads, double score,
                         String unit, double opsPerSecondPerThread) {
        public String label() {
            String shortName = benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
            return params.isEmpty() ? shortName : shortName + " " + params;
        }
    }

    /** Reads the JSON named by the run record; an absent file gives no results. */
    public static JmhCeiling read(Path file) throws IOException {
        List<Result> results = new ArrayList<>();
        if (file == null || !Files.isRegularFile(file)) {
            return new JmhCeiling(results, null);
        }
        JsonNode root = RunRecords.mapper().readTree(file.toFile());
        for (JsonNode b : root) {
            Map<String, String> params = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = b.path("params").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                params.put(e.getKey(), e.getValue().asText());
            }
            double score = b.path("primaryMetric").path("score").asDouble(Double.NaN);
            String unit = b.path("primaryMetric").path("scoreUnit").asText("");
            results.add(new Result(b.path("benchmark").asText(), params, b.path("mode").asText(), b.path("threads").asInt(1),
                    score, unit, perSecondPerThread(score, unit, b.path("threads").asInt(1))));
        }
        Result pipeline = results.stream()
                .filter(r -> r.benchmark().endsWith(PIPELINE) && "1".equals(r.params().getOrDefault("rows", "1")))
                .filter(r -> !Double.isNaN(r.opsPerSecondPerThread()))
                .findFirst().orElse(null);
        return new JmhCeiling(results, pipeline);
    }

    /**
     * A score in any of JMH's units as operations per second per thread: a throughput score is for
     * all threads together, an average time is per operation on one thread.
     */
    static double perSecondPerThread(double score, String unit, int threads) {
        String[] parts = unit.split("/");
        if (parts.length != 2 || !(score > 0)) {
            return Double.NaN;
        }
        if (parts[0].equals("ops")) {
            return score / seconds(parts[1]) / Math.max(1, threads);
        }
        if (parts[1].equals("op")) {
            return 1.0 / (score * seconds(parts[0]));
        }
        return Double.NaN;
    }

    private static double seconds(String unit) {
        return switch (unit) {
            case "ns" -> 1e-9;
            case "us" -> 1e-6;
            case "ms" -> 1e-3;
            case "s" -> 1;
            case "min" -> 60;
            default -> Double.NaN;
        };
    }
}
