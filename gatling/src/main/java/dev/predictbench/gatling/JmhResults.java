package dev.predictbench.gatling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.predictbench.results.RunRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Brings the JMH pass of the same build into the run folder: the benchmarks module (built before
 * this one in {@code -Pbench} and {@code -Pbench-smoke}) leaves its JSON at {@code bench.jmhResults};
 * it is moved, not copied, so a later run can never pick up a stale file.
 */
final class JmhResults {
    static final String FILE = "jmh/jmh-results.json";

    private JmhResults() {
    }

    static RunRecord.Jmh adopt(Path runDir, BenchSettings settings) {
        String from = System.getProperty("bench.jmhResults");
        if (from == null || !Files.isRegularFile(Path.of(from))) {
            return new RunRecord.Jmh(null, 0, "no JMH pass in this build (-Djmh.skip=true, or the runner was started "
                    + "without the benchmarks module)");
        }
        try {
            Path target = runDir.resolve(FILE);
            Files.createDirectories(target.getParent());
            Files.move(Path.of(from), target, StandardCopyOption.REPLACE_EXISTING);
            JsonNode results = new ObjectMapper().readTree(target.toFile());
            String mode = describe(results);
            return new RunRecord.Jmh(FILE, results.size(), mode + "; benchmark JVMs with the servers' JVM flags");
        } catch (IOException e) {
            return new RunRecord.Jmh(null, 0, "JMH results at " + from + " could not be read: " + e.getMessage());
        }
    }

    /** How the pass ran, as its own JSON says (the first result's iterations, times, forks and pinning). */
    static String describe(JsonNode results) {
        if (!results.isArray() || results.isEmpty()) {
            return "no results";
        }
        JsonNode r = results.get(0);
        String jvmArgs = r.path("jvmArgs").toString();
        java.util.regex.Matcher pinned = java.util.regex.Pattern.compile("predictbench\\.jmh\\.pinnedCpus=([0-9,\\-]+)")
                .matcher(jvmArgs);
        return r.path("warmupIterations").asInt() + " x " + r.path("warmupTime").asText() + " warm-up, "
                + r.path("measurementIterations").asInt() + " x " + r.path("measurementTime").asText() + " measured, "
                + r.path("forks").asInt() + " fork(s), " + (pinned.find() ? "pinned to CPU " + pinned.group(1) : "not pinned");
    }
}
