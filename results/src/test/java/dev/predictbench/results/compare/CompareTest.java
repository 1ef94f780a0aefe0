package dev.predictbench.results.compare;

import static dev.predictbench.results.compare.GoldenFixtures.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
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

/** The regression gate against fixture run records derived from the golden file. */
class CompareTest {
    @TempDir
    Path dir;

    /** The result of one command: exit status and what it printed. */
    record Outcome(int status, String markdown) {
    }

    @Test
    void aRunAgainstItselfIsClean() throws IOException {
        Path golden = fixture("baseline", r -> { });
        Outcome o = compare(golden, golden);
        assertEquals(Compare.CLEAN, o.status(), o.markdown());
        assertTrue(o.markdown().contains("**Result: clean**"));
        assertFalse(o.markdown().contains("**REGRESSION**"));
    }

    @Test
    void aRepeatThatMovesWithinTheRecordedNoiseIsClean() throws IOException {
        // An A/A pair: every figure of the repeat moves, but less than its windows moved within the baseline run.
        Path a = fixture("a", r -> { });
        Path b = fixture("b", r -> {
            ObjectNode c16 = step(r, "sweep", "c16");
            c16.put("throughput", c16.path("throughput").asDouble() * 0.95);
            c16.put("serverCpuMillisPerRequest", c16.path("serverCpuMillisPerRequest").asDouble() * 1.05);
            stack(r).with("startup").put("readyMillis", stack(r).path("startup").path("readyMillis").asDouble() * 1.15);
        });
        Outcome o = compare(a, b);
        assertEquals(Compare.CLEAN, o.status(), o.markdown());
    }

    @Test
    void aTwentyPercentThroughputDropIsARegression() throws IOException {
        Path base = fixture("base", r -> { });
        Path cand = fixture("cand", r -> step(r, "sweep", "c16").put("throughput", step(r, "sweep", "c16").path("throughput").asDouble() * 0.8));
        Outcome o = compare(base, cand);
        assertEquals(Compare.REGRESSION, o.status(), o.markdown());
        assertTrue(row(o, "| **REGRESSION** | javalin | tabular | sweep | c16 | throughput"), o.markdown());
        assertTrue(o.markdown().contains("-20.0%"), o.markdown());
    }

    @Test
    void aDoubledP99IsARegression() throws IOException {
        // The golden c16 p99 is 2.347 ms (load client, to the microsecond): doubled, it moves by more than 1 ms.
        Path base = fixture("base", r -> { });
        Path cand = fixture("cand", r -> step(r, "sweep", "c16").with("latency").put("p99", 4.694));
        Outcome o = compare(base, cand);
        assertEquals(Compare.REGRESSION, o.status(), o.markdown());
        assertTrue(row(o, "| **REGRESSION** | javalin | tabular | sweep | c16 | p99 (ms) | 2.35 | 4.69 | +2.35 | +100.0%"), o.markdown());
    }

    @Test
    void anImprovementIsReportedButDoesNotFail() throws IOException {
        Path base = fixture("base", r -> { });
        Path cand = fixture("cand", r -> {
            step(r, "sweep", "c16").put("throughput", step(r, "sweep", "c16").path("throughput").asDouble() * 1.3);
            step(r, "sweep", "c16").with("latency").put("p99", 1.0);
        });
        Outcome o = compare(base, cand);
        assertEquals(Compare.CLEAN, o.status(), o.markdown());
        assertTrue(row(o, "| improved | javalin | tabular | sweep | c16 | throughput"), o.markdown());
        assertTrue(row(o, "| improved | javalin | tabular | sweep | c16 | p99"), o.markdown());
    }

    @Test
    void noiseRecordedInTheWindowsRaisesTheThreshold() throws IOException {
        // The same 20% drop, but the candidate's windows spread 30% within the run: not beyond the noise.
        Path base = fixture("base", r -> { });
        Path cand = fixture("cand", r -> {
            step(r, "sweep", "c16").put("throughput", step(r, "sweep", "c16").path("throughput").asDouble() * 0.8);
            step(r, "sweep", "c16").put("spread", 0.30);
        });
        Outcome o = compare(base, cand);
        assertEquals(Compare.CLEAN, o.status(), o.markdown());
        assertTrue(o.markdown().contains("window throughput spread 30%"), o.markdown());
    }

    @Test
    void runsFromDifferentMachinesAreNotComparableUnlessForced() throws IOException {
        Path base = fixture("base", r -> { });
        Path other = fixture("other", r -> {
            r.with("environment").put("cpuModel", "Another CPU");
            r.with("environment").put("cpuCount", 8);
        });
        Outcome o = compare(base, other);
        assertEquals(Compare.NOT_COMPARABLE, o.status(), o.markdown());
        assertTrue(o.markdown().contains("CPU model: Test CPU @ 2.00GHz vs Another CPU"), o.markdown());
        assertEquals(Compare.CLEAN, compare(base, other, "--force").status());
    }

    @Test
    void differentJvmFlagsOrSettingsAreNotComparable() throws IOException {
        Path base = fixture("base", r -> { });
        Path flags = fixture("flags", r -> ((ArrayNode) r.with("environment").withArray("jvmFlags")).add("server: -XX:+UseZGC"));
        assertEquals(Compare.NOT_COMPARABLE, compare(base, flags).status());
        Path settings = fixture("settings", r -> r.with("settings").put("windowSeconds", 1.0));
        Outcome o = compare(base, settings);
        assertEquals(Compare.NOT_COMPARABLE, o.status());
        assertTrue(o.markdown().contains("settings.windowSeconds: 4.0 vs 1.0"), o.markdown());
    }

    @Test
    void aCalibrationRunIsNeverABaseline() throws IOException {
        Path calibrated = fixture("calibrated", r -> r.with("settings").with("load").put("calibrationCpuMicros", 50.0));
        Path plain = fixture("plain", r -> { });
        Outcome o = compare(calibrated, plain);
        assertEquals(Compare.NOT_COMPARABLE, o.status(), o.markdown());
        assertTrue(o.markdown().contains("the baseline is a calibration run (50.0 us of extra CPU per inference call"), o.markdown());
        Outcome forward = compare(plain, calibrated);
        assertEquals(Compare.NOT_COMPARABLE, forward.status(), "a calibration run against a plain one differs in a setting");
        assertTrue(forward.markdown().contains("settings.load.calibrationCpuMicros: null vs 50.0"), forward.markdown());
    }

    @Test
    void windowLatenciesWithTheirRequestCountAndResolutionCompareAsBefore() throws IOException {
        // The golden windows carry latency.requests and latency.resolution; the p99 range of the windows is the noise.
        Path base = fixture("base", r -> { });
        Path cand = fixture("cand", r -> step(r, "sweep", "c16").with("latency").put("p99", 2.5));
        Outcome o = compare(base, cand);
        assertEquals(Compare.CLEAN, o.status(), o.markdown());
        assertTrue(row(o, "| ok | javalin | tabular | sweep | c16 | p99 (ms) | 2.35 | 2.5 |"), o.markdown());
        assertTrue(o.markdown().contains("window p99 range 1%"), o.markdown());
    }

    @Test
    void aGatlingBaselineStaysComparableWithItsP99NotedNotGated() throws IOException {
        // As with overload settings: a record without settings.load (Gatling's figures) is still comparable.
        Path old = dir.resolve("gatling.json");
        try (InputStream in = getClass().getResourceAsStream("/dev/predictbench/results/run-v1-before-load-client.json")) {
            Files.write(old, in.readAllBytes());
        }
        Path now = fixture("now", r -> step(r, "sweep", "c16").with("latency").put("p99", 9.0));
        for (Outcome o : new Outcome[] {compare(old, now), compare(now, old)}) {
            assertEquals(Compare.CLEAN, o.status(), o.markdown());
            assertTrue(o.markdown().lines().anyMatch(l -> l.startsWith("| note | all | - | all | - | load client |")
                    && l.contains("load figures come from Gatling")), o.markdown());
            assertTrue(row(o, "| note | javalin | tabular | sweep | c16 | p99 (ms) |"), o.markdown());
            assertTrue(o.markdown().contains("not gated: measured by different clients"), o.markdown());
            assertTrue(row(o, "| ok | javalin | tabular | sweep | c16 | throughput"), o.markdown());
        }
        // A throughput drop is still caught across the change of client.
        Path slower = fixture("slower", r -> step(r, "sweep", "c16").put("throughput", 1000.0));
        assertEquals(Compare.REGRESSION, compare(old, slower).status());
    }

    @Test
    void differentLoadSettingsAreNotComparable() throws IOException {
        Path base = fixture("base", r -> { });
        Outcome connections = compare(base, fixture("connections", r -> r.with("settings").with("load").put("connections", 128)));
        assertEquals(Compare.NOT_COMPARABLE, connections.status(), connections.markdown());
        assertTrue(connections.markdown().contains("settings.load.connections: 64 vs 128"), connections.markdown());
        Outcome rates = compare(base, fixture("rates", r -> r.with("settings").with("load").putArray("rates").add(700.0)));
        assertEquals(Compare.NOT_COMPARABLE, rates.status(), rates.markdown());
        assertTrue(rates.markdown().contains("settings.load.rates: [500.0, 1000.0] vs [700.0]"), rates.markdown());
    }

    @Test
    void differentValidityRulesAreNotComparable() throws IOException {
        Path base = fixture("base", r -> { });
        Outcome rounds = compare(base, fixture("rounds", r -> r.with("settings").with("rules").put("rounds", 1)));
        assertEquals(Compare.NOT_COMPARABLE, rounds.status(), rounds.markdown());
        assertTrue(rounds.markdown().contains("settings.rules: Rules[minWindowRequests=200, maxWindows=8"), rounds.markdown());
        Outcome older = compare(fixture("older", r -> r.with("settings").remove("rules")), base);
        assertEquals(Compare.CLEAN, older.status(), "a record made before the rules were recorded stays comparable");
    }

    @Test
    void rateStepsAtAbsoluteRatesAreMatchedByRate() throws IOException {
        // settings.load.rates is [500, 1000]: a rate scenario whose steps are in another order still pairs r1000 with r1000.
        Consumer<ObjectNode> rate = r -> {
            ObjectNode scenarios = (ObjectNode) stack(r).path("workloads").path("tabular").path("scenarios");
            ObjectNode sc = scenarios.path("slo").deepCopy();
            sc.remove("slo");
            scenarios.set("rate", sc);
        };
        Path base = fixture("base", rate);
        Path cand = fixture("cand", rate.andThen(r -> {
            ArrayNode steps = (ArrayNode) stack(r).path("workloads").path("tabular").path("scenarios").path("rate").path("steps");
            ObjectNode r1000 = (ObjectNode) steps.remove(0);
            r1000.with("latency").put("p99", 3.5);
            steps.add(r1000);
        }));
        Outcome o = compare(base, cand);
        assertEquals(Compare.REGRESSION, o.status(), o.markdown());
        assertTrue(row(o, "| **REGRESSION** | javalin | tabular | rate | r1000 | p99 (ms) | 1.21 | 3.5 |"), o.markdown());
        // r1400 had errors (INVALID) in both runs: noted, not gated.
        assertTrue(row(o, "| note | javalin | tabular | rate | r1400 | validity | INVALID | INVALID |"), o.markdown());
        assertTrue(o.markdown().contains("not compared: INVALID in the baseline and candidate (baseline: 31 requests without a good answer"),
                o.markdown());
        assertFalse(row(o, "| ok | javalin | tabular | rate | r1400 | p99"), o.markdown());
    }

    @Test
    void anIncompleteRunIsNotComparableUnlessForced() throws IOException {
        Path base = fixture("base", r -> { });
        Path cand = fixture("cand", r -> {
            r.with("conduct").put("complete", false).put("incomplete", "stopped after javalin: the time budget ran out");
            ((ArrayNode) r.withArray("stacks")).remove(1);
        });
        Outcome o = compare(base, cand);
        assertEquals(Compare.NOT_COMPARABLE, o.status(), o.markdown());
        assertTrue(o.markdown().contains("**Result: NOT COMPARABLE** (exit 2): an incomplete run is not comparable"), o.markdown());
        assertTrue(o.markdown().contains("the candidate run `20260101T000000Z-abcdef123456` is incomplete: stopped after javalin: "
                + "the time budget ran out"), o.markdown());
        assertTrue(o.markdown().contains("pass `--force`"), o.markdown());
        assertEquals(Compare.NOT_COMPARABLE, compare(cand, base).status(), "an incomplete baseline too");

        Outcome forced = compare(base, cand, "--force");
        assertEquals(Compare.CLEAN, forced.status(), forced.markdown());
        assertTrue(forced.markdown().contains("Compared with `--force` although the candidate run"), forced.markdown());
        assertTrue(row(forced, "| note | quarkus | - | - | - | stack |"), "a stack it never reached is noted, not a regression");
    }

    @Test
    void aStepInvalidInEitherRunIsNotGated() throws IOException {
        // The same 20% drop as above, but the candidate's c16 did not settle: no evidence of a change.
        Path base = fixture("base", r -> { });
        Path cand = fixture("cand", r -> {
            ObjectNode c16 = step(r, "sweep", "c16");
            c16.put("throughput", c16.path("throughput").asDouble() * 0.8);
            c16.putArray("reasons").add("did not settle: the last three windows never agreed within 15% (cap of 8 windows)");
        });
        Outcome o = compare(base, cand);
        assertEquals(Compare.CLEAN, o.status(), o.markdown());
        assertTrue(row(o, "| note | javalin | tabular | sweep | c16 | validity | VALID | INVALID |"), o.markdown());
        assertTrue(o.markdown().contains("not compared: INVALID in the candidate (did not settle: the last three windows"), o.markdown());
        assertFalse(row(o, "| **REGRESSION** |"), o.markdown());
        Outcome reverse = compare(cand, base);
        assertEquals(Compare.CLEAN, reverse.status(), reverse.markdown());
        assertTrue(reverse.markdown().contains("not compared: INVALID in the baseline (did not settle"), reverse.markdown());
        // A record made before steps carried reasons: valid() is settled, no errors, the generator kept up.
        Path unsettled = fixture("unsettled", r -> {
            ObjectNode c16 = step(r, "sweep", "c16");
            c16.remove("reasons");
            c16.put("stable", false).put("throughput", c16.path("throughput").asDouble() * 0.8);
        });
        Outcome old = compare(base, unsettled);
        assertEquals(Compare.CLEAN, old.status(), old.markdown());
        assertTrue(old.markdown().contains("not compared: INVALID in the candidate (did not settle (spread 1%))"), old.markdown());
        // The SLO search's result step INVALID: its SLO-bounded throughput is not gated either.
        Path slo = fixture("slo", r -> {
            scenario(r, "slo").with("slo").put("maxRate", 500.0);
            step(r, "slo", "r1000").putArray("reasons").add("the load generator was saturated");
        });
        Outcome s = compare(base, slo);
        assertEquals(Compare.CLEAN, s.status(), s.markdown());
        assertTrue(row(s, "| note | javalin | tabular | slo | - | validity | VALID | INVALID |"), s.markdown());
    }

    @Test
    void readsABaselineWrittenBeforeProbesExisted() throws IOException {
        Path old = dir.resolve("old.json");
        try (InputStream in = getClass().getResourceAsStream("/dev/predictbench/results/run-v1-before-probes.json")) {
            Files.write(old, in.readAllBytes());
        }
        Outcome o = compare(old, fixture("new", r -> { }));
        assertEquals(Compare.CLEAN, o.status(), o.markdown());
    }

    @Test
    void aRunFolderOrARunsFolderStandsForItsRecord() throws IOException {
        Path runs = dir.resolve("runs");
        Path older = runs.resolve("20260101T000000Z-aaa");
        Path newer = runs.resolve("20260102T000000Z-bbb");
        Files.createDirectories(older);
        Files.createDirectories(newer);
        Files.copy(fixture("x", r -> { }), older.resolve("run.json"));
        Files.copy(fixture("y", r -> step(r, "sweep", "c16").put("throughput", 1.0)), newer.resolve("run.json"));
        assertEquals(Compare.REGRESSION, compare(older, runs).status(), "the newest run is the candidate");
    }

    @Test
    void badArgumentsExitTwo() {
        assertEquals(Compare.NOT_COMPARABLE, run("only-one.json").status());
        assertEquals(Compare.NOT_COMPARABLE, run(dir.resolve("missing.json").toString(), dir.resolve("missing.json").toString()).status());
    }

    private Outcome compare(Path baseline, Path candidate, String... options) {
        String[] args = new String[options.length + 2];
        System.arraycopy(options, 0, args, 0, options.length);
        args[options.length] = baseline.toString();
        args[options.length + 1] = candidate.toString();
        return run(args);
    }

    private static Outcome run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Compare.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        return new Outcome(status, out.toString(StandardCharsets.UTF_8));
    }

    private static boolean row(Outcome o, String prefix) {
        return o.markdown().lines().anyMatch(l -> l.startsWith(prefix));
    }

    /** The golden record, changed by {@code edit}, written to the test's folder. */
    private Path fixture(String name, Consumer<ObjectNode> edit) throws IOException {
        return GoldenFixtures.fixture(dir, name, edit);
    }

    private static ObjectNode step(ObjectNode run, String scenario, int index) {
        return (ObjectNode) stack(run).path("workloads").path("tabular").path("scenarios").path(scenario).path("steps").get(index);
    }

    private static ObjectNode scenario(ObjectNode run, String scenario) {
        return (ObjectNode) stack(run).path("workloads").path("tabular").path("scenarios").path(scenario);
    }

    /** The first stack's tabular step of that name. */
    static ObjectNode step(ObjectNode run, String scenario, String name) {
        for (com.fasterxml.jackson.databind.JsonNode st : stack(run).path("workloads").path("tabular").path("scenarios").path(scenario)
                .path("steps")) {
            if (st.path("name").asText().equals(name)) {
                return (ObjectNode) st;
            }
        }
        throw new IllegalArgumentException("no step " + name + " in " + scenario);
    }
}
