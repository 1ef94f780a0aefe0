package dev.predictbench.results.compare;

import static dev.predictbench.results.compare.GoldenFixtures.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The regression gate on the overload scenario, against fixture records derived from the golden
 * file (javalin's tabular overload there: VALID, 43.3% served, p99 4 ms, recovered in 812.5 ms,
 * peak RSS 260,000,000 bytes).
 */
class OverloadGateTest {
    private static final String ROW = " | javalin | tabular | overload | - | ";

    @TempDir
    Path dir;

    record Outcome(int status, String markdown) {
        boolean row(String verdict, String rest) {
            return markdown.lines().anyMatch(l -> l.startsWith("| " + verdict + ROW + rest));
        }
    }

    @Test
    void theOverloadRowsAreShownAndARunAgainstItselfIsClean() throws IOException {
        Path golden = fixture("golden", r -> { });
        Outcome o = compare(golden, golden);
        assertEquals(Compare.CLEAN, o.status(), o.markdown());
        assertTrue(o.row("ok", "status | VALID | VALID |"), o.markdown());
        assertTrue(o.row("ok", "server alive afterwards | yes | yes |"), o.markdown());
        assertTrue(o.row("ok", "OutOfMemoryError | no | no |"), o.markdown());
        assertTrue(o.row("ok", "other 5xx (answers) | 0 | 0 |"), o.markdown());
        assertTrue(o.row("ok", "served share (%) | 43.3 | 43.3 |"), o.markdown());
        assertTrue(o.row("ok", "p99 of the served (ms) | 4 | 4 |"), o.markdown());
        assertTrue(o.row("ok", "recovery time (ms) | 813 | 813 |"), o.markdown());
        assertTrue(o.row("ok", "peak RSS (MiB) | 248 | 248 |"), o.markdown());
        assertTrue(o.markdown().contains("Overload scenario: hard faults regress"), o.markdown());
    }

    @Test
    void overloadInvalidWhereTheBaselineWasValidIsARegressionWithItsReason() throws IOException {
        Outcome o = compare(fixture("base", r -> { }), fixture("cand", r -> {
            scenario(r).put("status", "INVALID");
            scenario(r).putArray("reasons").add("4 answers with status 400: under overload only 2xx, 503 and 429 are acceptable");
            errors(r).put("other4xx", 4);
            ((ObjectNode) errors(r).path("byStatus")).put("400", 4);
        }));
        assertEquals(Compare.REGRESSION, o.status(), o.markdown());
        assertTrue(o.row("**REGRESSION**", "status | VALID | INVALID |"), o.markdown());
        assertTrue(o.markdown().contains("4 answers with status 400: under overload only 2xx, 503 and 429 are acceptable"),
                o.markdown());
        assertTrue(o.row("**REGRESSION**", "other 4xx (answers) | 0 | 4 |"), o.markdown());
    }

    @Test
    void aServerThatDidNotSurviveTheOverloadIsARegression() throws IOException {
        // Status left VALID: the check stands on its own, whatever the scenario's verdict says.
        Outcome o = compare(fixture("base", r -> { }), fixture("cand", r -> overload(r).put("serverAlive", false)));
        assertEquals(Compare.REGRESSION, o.status(), o.markdown());
        assertTrue(o.row("**REGRESSION**", "server alive afterwards | yes | NO |"), o.markdown());
        assertTrue(o.row("ok", "status | VALID | VALID |"), o.markdown());
    }

    @Test
    void anOutOfMemoryErrorIsARegression() throws IOException {
        Outcome o = compare(fixture("base", r -> { }), fixture("cand", r -> overload(r).put("outOfMemory", true)));
        assertEquals(Compare.REGRESSION, o.status(), o.markdown());
        assertTrue(o.row("**REGRESSION**", "OutOfMemoryError | no | YES |"), o.markdown());
    }

    @Test
    void otherFiveHundredsOrStatusesRegressOnlyWhereTheBaselineHadNone() throws IOException {
        Path base = fixture("base", r -> { });
        Outcome o = compare(base, fixture("cand", r -> {
            errors(r).put("other5xx", 3);
            errors(r).put("otherStatus", 2);
        }));
        assertEquals(Compare.REGRESSION, o.status(), o.markdown());
        assertTrue(o.row("**REGRESSION**", "other 5xx (answers) | 0 | 3 |"), o.markdown());
        assertTrue(o.row("**REGRESSION**", "other status (answers) | 0 | 2 |"), o.markdown());

        // Both runs INVALID with 500s: not new, so not this check's regression (the note says so).
        Consumer<ObjectNode> fiveHundreds = r -> {
            scenario(r).put("status", "INVALID");
            scenario(r).putArray("reasons").add("3 answers with status 500: under overload only 2xx, 503 and 429 are acceptable");
            errors(r).put("other5xx", 3);
        };
        Outcome both = compare(fixture("base500", fiveHundreds), fixture("cand500", fiveHundreds));
        assertEquals(Compare.CLEAN, both.status(), both.markdown());
        assertTrue(both.row("note", "other 5xx (answers) | 3 | 3 |"), both.markdown());
        assertTrue(both.markdown().contains("the baseline had them too"), both.markdown());
    }

    @Test
    void theLoadGeneratorRunningOutOfOpenFilesIsNotedNotGated() throws IOException {
        String reason = "the load generator ran out of open files offering 12000.0 requests/s with a 5.0 s timeout "
                + "(raise `ulimit -n`, or lower bench.overloadTimeout or bench.overloadFactor)";
        Outcome o = compare(fixture("base", r -> { }), fixture("cand", r -> {
            scenario(r).put("status", "INVALID");
            scenario(r).putArray("reasons").add(reason);
            scenario(r).putArray("gatlingReports");
            scenario(r).remove("overload");
            stack(r).put("status", "INVALID");
            stack(r).putArray("reasons").add("overload: " + reason);
        }));
        assertEquals(Compare.CLEAN, o.status(), o.markdown());
        assertTrue(o.row("note", "scenario | VALID | not measured |"), o.markdown());
        assertTrue(o.markdown().contains("the load generator's limit, not the server's (not gated): " + reason.replace("|", "\\|")),
                o.markdown());
        assertFalse(o.markdown().contains("**REGRESSION**"), o.markdown());
    }

    @Test
    void anOverloadMissingFromTheCandidateAlthoughAskedForIsARegression() throws IOException {
        Outcome o = compare(fixture("base", r -> { }), fixture("cand", r -> {
            ((ObjectNode) workload(r).path("scenarios")).remove("overload");
            stack(r).put("status", "INVALID");
            stack(r).putArray("reasons").add("server exited with status 137 during overload");
        }));
        assertEquals(Compare.REGRESSION, o.status(), o.markdown());
        assertTrue(o.row("**REGRESSION**", "scenario | VALID | not measured |"), o.markdown());
        assertTrue(o.markdown().contains("asked for but not measured in the candidate: server exited with status 137 during overload"),
                o.markdown());
    }

    @Test
    void aBaselineWithoutOverloadIsStillComparedForEverythingElse() throws IOException {
        Path old = dir.resolve("old.json");
        try (InputStream in = getClass().getResourceAsStream("/dev/predictbench/results/run-v1-before-overload.json")) {
            Files.write(old, in.readAllBytes());
        }
        Outcome o = compare(old, fixture("new", r -> { }));
        assertEquals(Compare.CLEAN, o.status(), o.markdown());
        assertTrue(o.markdown().lines().anyMatch(l -> l.startsWith("| note | all | - | overload | - | scenario | not run | run |")
                && l.contains("not compared: the baseline has no overload settings")), o.markdown());
        assertTrue(o.markdown().lines().anyMatch(l -> l.startsWith("| ok | javalin | tabular | sweep | c16 | throughput")),
                o.markdown());
        assertFalse(o.row("ok", "served share"), "no figure to compare the served share with");

        // A crash or an OutOfMemoryError needs no baseline: still a regression.
        Outcome oom = compare(old, fixture("oom", r -> overload(r).put("outOfMemory", true)));
        assertEquals(Compare.REGRESSION, oom.status(), oom.markdown());
        assertTrue(oom.row("**REGRESSION**", "OutOfMemoryError | - | YES |"), oom.markdown());

        // The other way round: a candidate that did not run the scenario.
        Outcome without = compare(fixture("with", r -> { }), old);
        assertEquals(Compare.CLEAN, without.status(), without.markdown());
        assertTrue(without.markdown().contains("not compared: the candidate did not run the overload scenario"), without.markdown());
    }

    @Test
    void differentOverloadSettingsAreNotComparable() throws IOException {
        Path base = fixture("base", r -> { });
        Outcome factor = compare(base, fixture("factor", r -> overloadSettings(r).put("factor", 3.0)));
        assertEquals(Compare.NOT_COMPARABLE, factor.status(), factor.markdown());
        assertTrue(factor.markdown().contains("settings.overload.factor: 2.0 vs 3.0"), factor.markdown());
        Outcome timeout = compare(base, fixture("timeout", r -> overloadSettings(r).put("requestTimeoutSeconds", 10.0)));
        assertEquals(Compare.NOT_COMPARABLE, timeout.status(), timeout.markdown());
        assertTrue(timeout.markdown().contains("settings.overload.requestTimeoutSeconds: 5.0 vs 10.0"), timeout.markdown());
        Outcome workloads = compare(base, fixture("workloads", r -> overloadSettings(r).putArray("workloads").add("search")));
        assertEquals(Compare.NOT_COMPARABLE, workloads.status(), workloads.markdown());
        assertTrue(workloads.markdown().contains("settings.overload.workloads: [tabular] vs [search]"), workloads.markdown());
    }

    @Test
    void overloadFiguresThatMoveAsMuchAsBetweenRunsOfOneCommitAreClean() throws IOException {
        // Served share -19%, p99 of the served +125%, recovery +121%, peak RSS +25%: the size of the
        // runs' spread (82%..96% and 62.8%..100% served, p99 2.1..4.5 s), within the overload thresholds.
        Outcome o = compare(fixture("base", r -> { }), fixture("cand", r -> {
            overload(r).put("servedShare", 0.35);
            ((ObjectNode) overload(r).path("servedLatency")).put("p99", 9.0);
            ((ObjectNode) overload(r).path("recovery")).put("millis", 1800.0);
            overload(r).put("peakRssBytes", 325_000_000L);
        }));
        assertEquals(Compare.CLEAN, o.status(), o.markdown());
        assertTrue(o.row("ok", "served share (%) | 43.3 | 35 |"), o.markdown());
        assertTrue(o.row("ok", "p99 of the served (ms) | 4 | 9 |"), o.markdown());
        assertTrue(o.row("ok", "recovery time (ms) | 813 | 1,800 |"), o.markdown());
        assertTrue(o.row("ok", "peak RSS (MiB) | 248 | 310 |"), o.markdown());
    }

    @Test
    void overloadFiguresBeyondTheirThresholdsRegress() throws IOException {
        Outcome o = compare(fixture("base", r -> { }), fixture("cand", r -> {
            overload(r).put("servedShare", 0.20);
            ((ObjectNode) overload(r).path("servedLatency")).put("p99", 12.0);
            ObjectNode recovery = (ObjectNode) overload(r).path("recovery");
            recovery.put("recovered", false);
            recovery.remove("millis");
            overload(r).put("peakRssBytes", 390_000_000L);
        }));
        assertEquals(Compare.REGRESSION, o.status(), o.markdown());
        assertTrue(o.row("**REGRESSION**", "served share (%) | 43.3 | 20 |"), o.markdown());
        assertTrue(o.row("**REGRESSION**", "p99 of the served (ms) | 4 | 12 |"), o.markdown());
        // Not recovered within 10 s: compared as its lower bound, the drain (310 ms) and the 10 s.
        assertTrue(o.row("**REGRESSION**", "recovery time (ms) | 813 | 10,310 |"), o.markdown());
        assertTrue(o.markdown().contains("not recovered within 10 s in the candidate: compared as that bound"), o.markdown());
        assertTrue(o.row("**REGRESSION**", "peak RSS (MiB) | 248 | 372 |"), o.markdown());
    }

    @Test
    void theOverloadThresholdIsConfigurable() throws IOException {
        Path base = fixture("base", r -> { });
        Path cand = fixture("cand", r -> overload(r).put("servedShare", 0.20));
        assertEquals(Compare.REGRESSION, compare(base, cand).status());
        Outcome wide = compare(base, cand, "--overload-min-change", "0.6");
        assertEquals(Compare.CLEAN, wide.status(), wide.markdown());
        assertTrue(wide.row("ok", "served share (%) | 43.3 | 20 | -23.3 | -53.8% | 60% |"), wide.markdown());
        assertEquals(Compare.NOT_COMPARABLE, compare(base, cand, "--overload-min-change", "-1").status());
    }

    @Test
    void aLoadGeneratorAtItsLimitIsNotedOnTheServedShare() throws IOException {
        Outcome o = compare(fixture("base", r -> { }), fixture("cand", r -> overload(r).put("generatorCpuShare", 0.97)));
        assertEquals(Compare.CLEAN, o.status(), o.markdown());
        assertTrue(o.markdown().contains("the load generator was saturated in the candidate (CPU share 0.97)"), o.markdown());
    }

    private Outcome compare(Path baseline, Path candidate, String... options) {
        String[] args = new String[options.length + 2];
        System.arraycopy(options, 0, args, 0, options.length);
        args[options.length] = baseline.toString();
        args[options.length + 1] = candidate.toString();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Compare.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        return new Outcome(status, out.toString(StandardCharsets.UTF_8));
    }

    /** The golden record, changed by {@code edit}, written to the test's folder. */
    private Path fixture(String name, Consumer<ObjectNode> edit) throws IOException {
        return GoldenFixtures.fixture(dir, name, edit);
    }

    private static ObjectNode workload(ObjectNode run) {
        return (ObjectNode) stack(run).path("workloads").path("tabular");
    }

    private static ObjectNode scenario(ObjectNode run) {
        return (ObjectNode) workload(run).path("scenarios").path("overload");
    }

    private static ObjectNode overload(ObjectNode run) {
        return (ObjectNode) scenario(run).path("overload");
    }

    private static ObjectNode errors(ObjectNode run) {
        return (ObjectNode) overload(run).path("errors");
    }

    private static ObjectNode overloadSettings(ObjectNode run) {
        return (ObjectNode) run.path("settings").path("overload");
    }
}
