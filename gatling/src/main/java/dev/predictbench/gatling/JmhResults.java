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
            String mode = settings.profile().equals("bench-smoke")
                    ? "smoke: no warm-up, one 1 s iteration, one fork (proves the benchmarks run; not for comparison)"
                    : "short pass: one 1 s warm-up, three 1 s iterations, one fork; -prof gc";
            return new RunRecord.Jmh(FILE, results.size(), mode + "; benchmark JVMs with the servers' JVM flags");
        } catch (IOException e) {
            return new RunRecord.Jmh(null, 0, "JMH results at " + from + " could not be read: " + e.getMessage());
        }
    }
}
