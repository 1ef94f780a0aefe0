package dev.predictbench.results.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.predictbench.results.RunRecords;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The in-process half of a run, from JMH's JSON: every result as operations per second per thread,
 * and each workload's ceiling, the figure its framework tax is measured against: the whole request
 * of that workload (request body bytes in, bind, validate, infer, serialize, response bytes out) on one
 * thread without HTTP. A workload's ceiling is only ever its own benchmark's result (see
 * {@link #SOURCES}); a workload without one has no ceiling, and its tax is {@link #notMeasured}.
 *
 * <p>A Python stack's ceiling is the same request through the Python stacks' shared package, timed
 * in-process in Python by {@code servers/python/ceiling.py} ({@link #PYTHON_BENCHMARK}): the
 * benchmarks module runs it pinned as JMH's benchmark JVMs are and adds its result to the same file in
 * JMH's JSON form.
 *
 * @param results        every benchmark result, normalised
 * @param ceilings       the ceiling of each workload that has one, by workload name (the JVM stacks')
 * @param pythonCeilings the Python stacks' ceiling of each workload that has one
 */
public record JmhCeiling(List<Result> results, Map<String, Ceiling> ceilings, Map<String, Ceiling> pythonCeilings) {
    /** The benchmark name the Python ceiling's results carry (with the parameter {@code workload}). */
    public static final String PYTHON_BENCHMARK = "predictbench_python.ceiling.request_to_response";

    /**
     * The system property the benchmarks module's {@code BenchmarkMain} gives the benchmark JVMs it
     * pinned, with the CPUs they ran on; JMH writes it into each result's {@code jvmArgs}.
     */
    static final String PINNED_ARG = "-Dpredictbench.jmh.pinnedCpus=";

    /** Which benchmark (by name) with which parameters is a workload's ceiling. */
    public record Source(String benchmark, Map<String, String> params) {
        boolean matches(Result r) {
            return (r.benchmark().equals(benchmark) || r.benchmark().endsWith("." + benchmark))
                    && params.entrySet().stream().allMatch(e -> e.getValue().equals(r.params().get(e.getKey())));
        }
    }

    /**
     * Each workload's ceiling, in order of preference: {@code CeilingBenchmark.requestToResponse} with
     * that workload's parameter (the load's bodies, the endpoint's whole path). For tabular, records
     * made before it fall back to {@code PipelineBenchmark.requestToResponse} with one row, the same
     * {@code /predict} path over one fixed body. Never another workload's benchmark.
     */
    static final Map<String, List<Source>> SOURCES = Map.of(
            "tabular", List.of(new Source("CeilingBenchmark.requestToResponse", Map.of("workload", "tabular")),
                    new Source("PipelineBenchmark.requestToResponse", Map.of("rows", "1"))),
            "embed", List.of(new Source("CeilingBenchmark.requestToResponse", Map.of("workload", "embed"))),
            "search", List.of(new Source("CeilingBenchmark.requestToResponse", Map.of("workload", "search"))));

    /**
     * One JMH result.
     *
     * @param opsPerSecondPerThread the score as operations per second on one thread (from either mode)
     * @param warmupIterations      JMH's warm-up iterations, and each one's length ({@code warmupTime})
     * @param measurementIterations JMH's measured iterations, and each one's length ({@code measurementTime})
     * @param forks                 benchmark JVMs (forks) whose iterations make the score
     * @param pinnedCpus            the CPUs the benchmark JVM was pinned to, as recorded in its
     *                              {@code jvmArgs}; null when it was not pinned (or the pass did not say)
     */
    public record Result(String benchmark, Map<String, String> params, String mode, int threads, double score,
                         String unit, double opsPerSecondPerThread, int warmupIterations, String warmupTime,
                         int measurementIterations, String measurementTime, int forks, String pinnedCpus) {
        public String label() {
            String shortName = benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
            return params.isEmpty() ? shortName : shortName + " " + params;
        }
    }

    /**
     * A workload's ceiling and where it came from.
     *
     * @param workload    the workload it is the ceiling of
     * @param result      the JMH result
     * @param description which benchmark, parameters, score, pinning and iterations, in words
     */
    public record Ceiling(String workload, Result result, String description) {
        public double opsPerSecondPerThread() {
            return result.opsPerSecondPerThread();
        }
    }

    /** The ceiling of a workload, or null when the run has none for it. */
    public Ceiling ceiling(String workload) {
        return ceilings.get(workload);
    }

    /** The ceiling of a workload for a stack on the JVM or in Python, or null when the run has none for it. */
    public Ceiling ceiling(String workload, boolean python) {
        return python ? pythonCeilings.get(workload) : ceilings.get(workload);
    }

    /** What the framework tax of a workload without a ceiling reads. */
    public static String notMeasured(String workload) {
        return "not measured (no in-process ceiling for " + workload + ")";
    }

    /** Reads the JSON named by the run record; an absent file gives no results. */
    public static JmhCeiling read(Path file) throws IOException {
        List<Result> results = new ArrayList<>();
        if (file == null || !Files.isRegularFile(file)) {
            return of(results);
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
            String pinned = null;
            for (JsonNode arg : b.path("jvmArgs")) {
                if (arg.asText().startsWith(PINNED_ARG)) {
                    pinned = arg.asText().substring(PINNED_ARG.length());
                }
            }
            results.add(new Result(b.path("benchmark").asText(), params, b.path("mode").asText(), b.path("threads").asInt(1),
                    score, unit, perSecondPerThread(score, unit, b.path("threads").asInt(1)),
                    b.path("warmupIterations").asInt(0), b.path("warmupTime").asText(null),
                    b.path("measurementIterations").asInt(0), b.path("measurementTime").asText(null),
                    b.path("forks").asInt(0), pinned));
        }
        return of(results);
    }

    /** The results with each workload's ceiling picked out by {@link #SOURCES}. */
    static JmhCeiling of(List<Result> results) {
        Map<String, Ceiling> ceilings = new LinkedHashMap<>();
        for (String workload : List.of("tabular", "embed", "search")) {
            Result found = null;
            for (Source source : SOURCES.get(workload)) {
                found = results.stream().filter(source::matches).filter(r -> r.threads() == 1)
                        .filter(r -> !Double.isNaN(r.opsPerSecondPerThread())).findFirst().orElse(null);
                if (found != null) {
                    break;
                }
            }
            if (found != null) {
                ceilings.put(workload, new Ceiling(workload, found, describe(found)));
            }
        }
        Map<String, Ceiling> python = new LinkedHashMap<>();
        for (String workload : List.of("tabular", "embed", "search")) {
            Source source = new Source(PYTHON_BENCHMARK, Map.of("workload", workload));
            results.stream().filter(r -> r.benchmark().equals(PYTHON_BENCHMARK) && source.matches(r)).filter(r -> r.threads() == 1)
                    .filter(r -> !Double.isNaN(r.opsPerSecondPerThread())).findFirst()
                    .ifPresent(r -> python.put(workload, new Ceiling(workload, r, describe(r))));
        }
        return new JmhCeiling(results, ceilings, python);
    }

    /**
     * Which benchmark a ceiling is, in words: name and parameters, the score on one thread, the CPUs
     * it was pinned to, and its warm-up and measured iterations.
     */
    static String describe(Result r) {
        String iterations = r.warmupIterations() == 0 && r.measurementIterations() == 0 ? "iterations not recorded"
                : "warm-up " + r.warmupIterations() + " x " + orDash(r.warmupTime()) + ", measured "
                + r.measurementIterations() + " x " + orDash(r.measurementTime()) + ", " + r.forks()
                + (r.forks() == 1 ? " fork" : " forks");
        String tool = r.benchmark().equals(PYTHON_BENCHMARK) ? "Python in-process (time.perf_counter_ns, JMH's iterations) "
                + "ceiling.py workload=" + r.params().get("workload") : "JMH " + r.label();
        return tool + " = " + String.format(Locale.ROOT, "%,.0f", r.opsPerSecondPerThread())
                + " requests/s on one thread; " + (r.pinnedCpus() == null ? "not pinned" : "pinned to CPU "
                + r.pinnedCpus()) + "; " + iterations;
    }

    private static String orDash(String s) {
        return s == null || s.isBlank() ? "-" : s;
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
