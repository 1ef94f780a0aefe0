package dev.predictbench.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.predictbench.contract.Stacks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The Python stacks' in-process ceiling, beside {@link CeilingBenchmark}: the same request (the load's
 * 1,000 seeded bodies, {@link Payloads#loadBodies}) from body bytes in to response bytes out through
 * the Python stacks' shared package, on one thread without HTTP, timed in Python by
 * {@code servers/python/ceiling.py} with {@code time.perf_counter_ns} over JMH's iterations (the same
 * warm-up and measured iterations and lengths as the JMH pass). It runs in this process's CPU set (the
 * pass pins itself before, and a child process inherits it) and its result joins JMH's in the same
 * JSON file, in JMH's form, under the benchmark name {@link #BENCHMARK}, which the report reads as the
 * Python stacks' ceiling ({@code JmhCeiling.PYTHON_BENCHMARK}).
 */
final class PythonCeiling {
    /** The benchmark name of the results (the report's {@code JmhCeiling.PYTHON_BENCHMARK}). */
    static final String BENCHMARK = "predictbench_python.ceiling.request_to_response";
    static final String SCRIPT = "servers/python/ceiling.py";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The iterations, as JMH's command line or the {@link CeilingBenchmark} annotations give them. */
    record Timing(int warmupIterations, double warmupSeconds, int iterations, double seconds) {
    }

    private PythonCeiling() {
    }

    /**
     * Why the Python ceiling cannot run here (no Python environment built, or the build said it
     * cannot), or empty when it can.
     */
    static Optional<String> unavailable(Path root) {
        Optional<String> reason = Stacks.FASTAPI.unavailable(root);
        if (reason.isPresent()) {
            return reason;
        }
        if (!Files.isRegularFile(root.resolve(Stacks.Launch.PYTHON))) {
            return Optional.of(Stacks.Launch.PYTHON + " does not exist (build servers/python)");
        }
        return Files.isRegularFile(root.resolve(SCRIPT)) ? Optional.empty() : Optional.of(SCRIPT + " does not exist");
    }

    /**
     * Times each workload and returns one JMH-shaped result per workload.
     *
     * @param pinned the CPUs this process is pinned to (and so the script), or null
     * @throws IOException when the script fails: a broken ceiling fails the pass, as a failing benchmark does
     */
    static List<ObjectNode> run(Path root, List<String> workloads, Timing timing, String pinned) throws IOException {
        List<ObjectNode> out = new ArrayList<>();
        Path python = root.resolve(Stacks.Launch.PYTHON);
        for (String workload : workloads) {
            Path bodies = Files.createTempFile("python-ceiling-" + workload, ".jsonl");
            try {
                writeBodies(bodies, Payloads.loadBodies(workload, Payloads.LOAD_SEED));
                List<String> command = List.of(python.toString(), root.resolve(SCRIPT).toString(), "--workload", workload,
                        "--bodies", bodies.toString(), "--warmup-iterations", Integer.toString(timing.warmupIterations()),
                        "--warmup-seconds", Double.toString(timing.warmupSeconds()), "--iterations",
                        Integer.toString(timing.iterations()), "--seconds", Double.toString(timing.seconds()));
                System.out.println("Python ceiling: " + workload + ": " + String.join(" ", command));
                JsonNode measured = execute(command, root, timing);
                out.add(result(workload, measured, timing, python, pinned));
                System.out.printf(Locale.ROOT, "Python ceiling: %s = %.1f requests/s on one thread%n", workload,
                        out.getLast().path("primaryMetric").path("score").asDouble());
            } finally {
                Files.deleteIfExists(bodies);
            }
        }
        return out;
    }

    /** One body per line: the load's bodies are single-line JSON. */
    static void writeBodies(Path file, byte[][] bodies) throws IOException {
        StringBuilder text = new StringBuilder();
        for (byte[] body : bodies) {
            String line = new String(body, StandardCharsets.UTF_8);
            if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
                throw new IllegalStateException("a load body spans lines: " + line);
            }
            text.append(line).append('\n');
        }
        Files.writeString(file, text);
    }

    private static JsonNode execute(List<String> command, Path root, Timing timing) throws IOException {
        Process p = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(false).start();
        long budget = Math.round(timing.warmupIterations() * timing.warmupSeconds() + timing.iterations() * timing.seconds()) + 120;
        try {
            // Read both streams before waiting: a full pipe would stall the script.
            var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return e.toString();
                }
            });
            String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(budget, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("the Python ceiling did not finish within " + budget + " s");
            }
            if (p.exitValue() != 0) {
                throw new IOException("the Python ceiling failed (exit " + p.exitValue() + "): " + err.join().strip());
            }
            String last = stdout.strip().lines().reduce((a, b) -> b).orElse("");
            return JSON.readTree(last);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted", e);
        }
    }

    /** The script's measurement as a JMH result (throughput mode, one thread, one fork). */
    static ObjectNode result(String workload, JsonNode measured, Timing timing, Path python, String pinned) {
        ObjectNode r = JSON.createObjectNode();
        r.put("benchmark", BENCHMARK);
        r.put("mode", "thrpt");
        r.put("threads", 1);
        r.put("forks", 1);
        r.put("jvm", python.toString());
        ArrayNode args = r.putArray("jvmArgs");
        if (pinned != null) {
            args.add("-D" + BenchmarkMain.PINNED_PROPERTY + "=" + pinned);
        }
        r.put("jdkVersion", "Python " + measured.path("python").asText("?"));
        r.put("vmName", measured.path("implementation").asText("CPython"));
        r.put("vmVersion", "onnxruntime " + measured.path("onnxruntime").asText("?"));
        r.put("warmupIterations", timing.warmupIterations());
        r.put("warmupTime", seconds(timing.warmupSeconds()));
        r.put("measurementIterations", timing.iterations());
        r.put("measurementTime", seconds(timing.seconds()));
        r.putObject("params").put("workload", workload);
        ObjectNode metric = r.putObject("primaryMetric");
        JsonNode iterations = measured.path("iterations");
        double sum = 0;
        ArrayNode raw = metric.putArray("rawData").addArray();
        for (JsonNode it : iterations) {
            sum += it.asDouble();
            raw.add(it.asDouble());
        }
        if (iterations.isEmpty()) {
            throw new IllegalStateException("the Python ceiling measured no iteration for " + workload + ": " + measured);
        }
        metric.put("score", sum / iterations.size());
        metric.put("scoreUnit", "ops/s");
        metric.put("requests", measured.path("requests").asLong());
        return r;
    }

    private static String seconds(double s) {
        return s == Math.rint(s) ? (long) s + " s" : s + " s";
    }
}
