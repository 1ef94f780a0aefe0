package dev.predictbench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pins run.json's format against a golden file made from fixed, dummy values. */
class RunRecordGoldenTest {
    static final String GOLDEN = "/dev/predictbench/results/run-v1.json";

    /** A record with every field set, from fixed values. */
    static RunRecord sample() {
        return sample(true, true, true);
    }

    /** The sample before the run's conduct (rounds, the control, timing), warm-up, step health and validity existed. */
    static RunRecord sample(boolean overload, boolean loadClient) {
        return sample(overload, loadClient, false);
    }

    /**
     * The sample as the golden file held it at an earlier stage: without the overload scenario,
     * before it existed; without the load client (Gatling's whole-millisecond figures and reports),
     * before it replaced Gatling; without the run's conduct, the workload's warm-up, the steps'
     * validity, health and rounds, withheld percentiles and the SLO search's bracket, before they existed.
     */
    static RunRecord sample(boolean overload, boolean loadClient, boolean conduct) {
        RunRecord.Latency ms = new RunRecord.Latency(1.0, 2.0, 4.0, 7.0, 12.0, 1.4, "ms", "gatling (whole ms), median of windows");
        RunRecord.Window w1 = new RunRecord.Window(4.002, 8000, 0, 1999.0, ms, 3.9, 200_000_000L, 1.2);
        RunRecord.Window w2 = new RunRecord.Window(4.001, 8100, 0, 2024.5, ms, 3.95, 201_000_000L, 1.25);
        Map<String, String> sources = new LinkedHashMap<>();
        sources.put("throughput", "gatling");
        RunRecord.Step c16 = new RunRecord.Step("c16", 16, null, 2011.8, 16100, 0, ms, 0.4876, 201_000_000L, 0.31, false,
                0.0127, true, 1, List.of(w1, w2), sources);
        RunRecord.Step r1000 = new RunRecord.Step("r1000", null, 1000.0, 998.1, 7985, 0, ms, 0.5, 199_000_000L, 0.2, false,
                0.01, true, 1, List.of(w1), sources);
        List<RunRecord.Step> sloSteps = List.of(r1000);
        RunRecord.Latency servedLatency = ms;
        RunRecord.LoadSettings load = null;
        if (loadClient) {
            c16 = loadClientStep("c16", 16, null, 2011.8, 16100, 0, new double[] {0.412, 0.874, 2.347, 4.871, 9.502, 0.503},
                    List.of(new RunRecord.Window(4.002, 8000, 0, 1999.0, loadLatency(new double[] {0.41, 0.871, 2.331, 4.69, 9.502,
                                    0.501}, 8000, "load client: this window's requests"), 3.9, 200_000_000L, 1.2),
                            new RunRecord.Window(4.001, 8100, 0, 2024.5, loadLatency(new double[] {0.414, 0.877, 2.362, 4.871, 8.3,
                                    0.505}, 8100, "load client: this window's requests"), 3.95, 201_000_000L, 1.25)),
                    new RunRecord.Failures(Map.of(), 0, 0, 0, 0, null));
            r1000 = loadClientStep("r1000", null, 1000.0, 998.1, 7985, 0, new double[] {0.388, 0.602, 1.214, 3.072, 5.9, 0.421},
                    List.of(new RunRecord.Window(4.002, 7985, 0, 998.1, loadLatency(new double[] {0.388, 0.602, 1.214, 3.072, 5.9,
                            0.421}, 7985, "load client: this window's requests"), 1.9, 199_000_000L, 0.8)),
                    new RunRecord.Failures(Map.of(), 0, 0, 0, 0, null));
            Map<String, Long> byStatus = new LinkedHashMap<>();
            byStatus.put("503", 25L);
            // The SLO search's failing rate: errors of every kind, so that each field of Failures is pinned.
            RunRecord.Step r1400 = loadClientStep("r1400", null, 1400.0, 1290.4, 10204, 31,
                    new double[] {0.951, 3.406, 8.913, 21.77, 48.1, 1.62},
                    List.of(new RunRecord.Window(4.002, 10204, 31, 1290.4, loadLatency(new double[] {0.951, 3.406, 8.913, 21.77,
                            48.1, 1.62}, 10204, "load client: this window's requests"), 3.1, 203_000_000L, 1.1)),
                    new RunRecord.Failures(byStatus, 1, 4, 1, 0, "503 from POST /predict: {\"error\":\"OVERLOADED\"}"));
            sloSteps = List.of(r1000, r1400);
            servedLatency = loadLatency(new double[] {1.0, 2.0, 4.0, 7.0, 12.0, 1.4}, 5200,
                    "load client: pooled histogram of the served requests, from the intended send time");
            load = new RunRecord.LoadSettings(CLIENT, List.of("-Xms256m", "-Xmx256m"), 64, 512, 5.0, 1.0,
                    List.of(500.0, 1000.0));
        }
        List<RunRecord.Step> sweepSteps = List.of(c16);
        RunRecord.Slo sloResult = new RunRecord.Slo(5.0, 1000.0, "r1000", loadClient ? 1.214 : 4.0, List.of(600.0, 1000.0, 1400.0),
                "highest passing rate below the lowest failing one");
        RunRecord.Warmup warmup = null;
        if (conduct) {
            // One user: few requests, so p99.9 is withheld (early stopping needs 6,636 behind it).
            String withheld = "p99.9: too few requests (1,523 < 6,636)";
            RunRecord.Step c1 = loadClientStep("c1", 1, null, 190.4, 1523, 0, new double[] {5.012, 5.731, 7.904, Double.NaN, 11.2, 5.25},
                    List.of(new RunRecord.Window(4.002, 761, 0, 190.2, loadLatency(new double[] {5.01, 5.73, 7.9, Double.NaN, 11.2, 5.25},
                                    761, "load client: this window's requests", "p99.9: too few requests (761 < 6,636)"), 3.2,
                                    198_000_000L, 0.4),
                            new RunRecord.Window(4.001, 762, 0, 190.5, loadLatency(new double[] {5.014, 5.732, 7.91, Double.NaN, 10.8,
                                    5.25}, 762, "load client: this window's requests", "p99.9: too few requests (762 < 6,636)"), 3.2,
                                    198_500_000L, 0.4)),
                    new RunRecord.Failures(Map.of(), 0, 0, 0, 0, null), withheld);
            c1 = conduct(c1, List.of(), new RunRecord.Health(0L, 0.0, 0.0, 3, "stable"), List.of(
                    new RunRecord.StepRound(1, 190.4, 5.012, 7.904, 1523L, true),
                    new RunRecord.StepRound(2, 187.9, 5.08, 8.01, 1503L, true),
                    new RunRecord.StepRound(3, 193.0, 4.95, 7.7, 1544L, true)));
            c16 = conduct(c16, List.of(), new RunRecord.Health(2L, 14.2, 0.0031, 4, "stable"), List.of(
                    new RunRecord.StepRound(1, 2011.8, 0.412, 2.347, 16100L, true),
                    new RunRecord.StepRound(2, 1968.3, 0.421, 2.398, 15750L, true),
                    new RunRecord.StepRound(3, 2040.1, 0.405, 2.301, 16320L, true)));
            sweepSteps = List.of(c1, c16);
            sloSteps = List.of(conduct(sloSteps.get(0), List.of(), new RunRecord.Health(0L, 3.1, 0.0012, 3, "stable"), null),
                    conduct(sloSteps.get(1), List.of("31 requests without a good answer (503: 25, bad body: 1, timeouts: 4, "
                            + "connection errors: 1)"), new RunRecord.Health(1L, 22.6, 0.0044, 3, "stable"), null));
            sloResult = new RunRecord.Slo(5.0, 1000.0, "r1000", 1.214, List.of(600.0, 1000.0, 1400.0),
                    "highest passing rate below the lowest failing one", 1400.0, 0.4);
            warmup = new RunRecord.Warmup(40.0, 81_234, List.of(1893L, 412L, 61L, 4L), true, 5, 120.0,
                    "settled after 4 chunks of 10 s: the last compiled 4 methods (at most 5); compiles from sun.ci.totalCompiles "
                            + "in the server's hsperfdata");
        }
        List<String> noReports = List.of();
        RunRecord.Scenario sweep = new RunRecord.Scenario(RunRecord.Status.VALID, List.of(),
                loadClient ? noReports : List.of("javalin/gatling/sweepsimulation-1/index.html"), sweepSteps, null);
        RunRecord.Scenario slo = new RunRecord.Scenario(RunRecord.Status.VALID, List.of(),
                loadClient ? noReports : List.of("javalin/gatling/slosimulation-1/index.html"), sloSteps, sloResult);
        RunRecord.Probe probe = new RunRecord.Probe(3000, 0, 2500.0,
                new RunRecord.Latency(350.5, 410.0, 700.2, 1500.0, 2500.0, 380.0, "us", "sequential probe"));
        Map<String, RunRecord.Scenario> scenarios = new LinkedHashMap<>();
        scenarios.put("sweep", sweep);
        scenarios.put("slo", slo);
        if (overload) {
            Map<String, Long> byStatus = new LinkedHashMap<>();
            byStatus.put("200", 5200L);
            byStatus.put("503", 6700L);
            RunRecord.Recovery recovery = new RunRecord.Recovery(true, 812.5, 310.0, 700.2, 2.0, 10.0, 200,
                    List.of(2900.5, 1300.0), "windows of 200 sequential requests until p99 <= 2 x the unloaded p99");
            RunRecord.Overload figures = new RunRecord.Overload(6000.0, 2.0, 12000.0, 15.0, 5.0, 12000, 800.0, 5200, 0.4333,
                    servedLatency, new RunRecord.OverloadErrors(6700, 0, 0, 0, 0, 60, 40, byStatus), 200_000_000L, 260_000_000L, 0.62,
                    true, false, "process alive, /health/ready 200, no OutOfMemoryError in the log", recovery, sources);
            scenarios.put("overload", new RunRecord.Scenario(RunRecord.Status.VALID, List.of(),
                    loadClient ? noReports : List.of("javalin/gatling/overloadsimulation-1/index.html"), null, null, figures));
        }
        RunRecord.StackResult javalin = new RunRecord.StackResult("javalin", RunRecord.Status.VALID, List.of(),
                new RunRecord.Startup(1800.5, 1850.25, 190_000_000L, "launch to first 200"),
                Map.of("stack", "javalin"), new RunRecord.Conformance(true, 62, 0, List.of()),
                Map.of("tabular", new RunRecord.Workload("/predict", scenarios, probe, warmup)), "javalin/server.log", true)
                .withProbes(new RunRecord.Probes("contract-file", 200, 120, 1, List.of("chat-model API: LangChain4j"),
                        Map.of("/embed", 404), Map.of("openapi", "GET /openapi compared with the contract file")));
        RunRecord.StackResult broken = new RunRecord.StackResult("quarkus", RunRecord.Status.INVALID,
                List.of("server exited with status 137 during sweep"), null, null, null, null, "quarkus/server.log", null);
        return new RunRecord(1, "20260101T000000Z-abcdef123456", "2026-01-01T00:00:00Z", "2026-01-01T00:10:00Z", "bench",
                new RunRecord.Settings(List.of("javalin", "quarkus"), overload ? List.of("sweep", "slo", "overload") : List.of("sweep", "slo"),
                        List.of("tabular"), 8, 4, 3, List.of(1, 16), List.of(0.5, 0.75, 0.9), 5, 2, 0.15, 1, 3000, 42,
                        "closed and open models", null, null,
                        overload ? new RunRecord.OverloadSettings(List.of("tabular"), 2.0, 15.0, 5.0, 2.0, 10.0, 200) : null,
                        load, conduct ? new RunRecord.Rules(200, 8, 10.0, 0.01, 0.99, 3, List.of("sweep"), true, 120.0, 10.0, 5,
                        0.10, 6, List.of("tabular"), List.of(0.5, 0.75)) : null),
                new RunRecord.Environment("Test CPU @ 2.00GHz", 2, 25_000_000_000L, "Debian GNU/Linux 12 (bookworm)",
                        "Linux 6.1.0 amd64", "Eclipse Adoptium 25.0.3+9-LTS", List.of("server: -Xmx512m"), "0", "1",
                        "abcdef123456", false, Map.of("javalin", "Javalin 7.2.3")),
                new RunRecord.Jmh("jmh/jmh-results.json", 31, "bench profile: -wi 1 -w 1s -i 3 -r 1s -f 1, -prof gc"),
                List.of(javalin, broken), conduct ? conduct() : null);
    }

    /** How the sample run was conducted: three rounds, the control, where the time went, limits and budget. */
    static RunRecord.Conduct conduct() {
        List<RunRecord.Round> rounds = List.of(
                new RunRecord.Round(1, List.of("javalin", "quarkus"), List.of("sweep", "slo", "overload")),
                new RunRecord.Round(2, List.of("quarkus", "javalin"), List.of("sweep")),
                new RunRecord.Round(3, List.of("javalin", "quarkus"), List.of("sweep")));
        RunRecord.Control control = new RunRecord.Control("javalin", RunRecord.Status.VALID, List.of(),
                Map.of("tabular", new RunRecord.Drift("sweep peak throughput (req/s)", 2011.8, 1975.6, 0.018)));
        List<RunRecord.Phase> timing = List.of(
                new RunRecord.Phase(null, null, "load client warm-up", 6.2),
                new RunRecord.Phase("javalin", 1, "start", 1.9),
                new RunRecord.Phase("javalin", 1, "conformance", 3.4),
                new RunRecord.Phase("javalin", 1, "probes", 4.1),
                new RunRecord.Phase("javalin", 1, "tabular warm-up", 40.0),
                new RunRecord.Phase("javalin", 1, "tabular sweep", 52.3),
                new RunRecord.Phase("javalin", 1, "tabular slo", 61.8),
                new RunRecord.Phase("javalin", 1, "tabular overload", 27.5),
                new RunRecord.Phase("javalin", 1, "stop", 0.6),
                new RunRecord.Phase("quarkus", 1, "start", 2.2),
                new RunRecord.Phase("quarkus", 1, "stop", 0.1),
                new RunRecord.Phase("javalin", 2, "start", 1.8),
                new RunRecord.Phase("javalin", 2, "tabular warm-up", 30.0),
                new RunRecord.Phase("javalin", 2, "tabular sweep", 50.9),
                new RunRecord.Phase("javalin", 2, "stop", 0.5),
                new RunRecord.Phase("javalin", 3, "start", 1.9),
                new RunRecord.Phase("javalin", 3, "tabular warm-up", 30.0),
                new RunRecord.Phase("javalin", 3, "tabular sweep", 51.4),
                new RunRecord.Phase("javalin", 3, "stop", 0.5),
                new RunRecord.Phase("javalin", 0, "start", 1.8),
                new RunRecord.Phase("javalin", 0, "tabular warm-up", 30.0),
                new RunRecord.Phase("javalin", 0, "tabular sweep", 51.1),
                new RunRecord.Phase("javalin", 0, "stop", 0.5),
                new RunRecord.Phase(null, null, "report", 1.3));
        RunRecord.Limits limits = new RunRecord.Limits(1024L, 524_288L, 65_536L,
                "the soft limit on open files (1,024) is below what the overload's 512 connections and the servers need: "
                        + "raised to 65,536 for the load client and the servers (the hard limit allows 524,288)");
        List<String> budget = List.of(
                "sweep: 2 steps x (3 to 8 windows x 4 s) = 24 to 64 s per stack and round",
                "slo: 3 rates x (3 to 8 windows x 4 s) = 36 to 96 s per stack (round 1)",
                "warm-up: at most 120 s per stack, workload and round",
                "3 rounds + the control x 2 stacks: at most 31 min");
        return new RunRecord.Conduct(true, null, rounds, control, timing, limits, budget);
    }

    /** The step with its validity reasons, health and rounds. */
    static RunRecord.Step conduct(RunRecord.Step s, List<String> reasons, RunRecord.Health health, List<RunRecord.StepRound> rounds) {
        return new RunRecord.Step(s.name(), s.concurrency(), s.targetRate(), s.throughput(), s.requests(), s.errors(), s.latency(),
                s.serverCpuMillisPerRequest(), s.serverRssBytes(), s.generatorCpuShare(), s.generatorSaturated(), s.spread(),
                s.stable(), s.attempts(), s.windows(), s.sources(), s.generator(), reasons, health, rounds);
    }

    static final String CLIENT = "predict-bench load client (test)";
    static final String RESOLUTION = "1 us (HdrHistogram, 3 significant digits)";

    /** Percentiles p50, p90, p99, p99.9, max, mean in ms to the microsecond, from a histogram of {@code n} values. */
    static RunRecord.Latency loadLatency(double[] p, long n, String source) {
        return loadLatency(p, n, source, null);
    }

    /** The same, with percentiles withheld (NaN) and why. */
    static RunRecord.Latency loadLatency(double[] p, long n, String source, String withheld) {
        return new RunRecord.Latency(orNull(p[0]), orNull(p[1]), orNull(p[2]), orNull(p[3]), orNull(p[4]), orNull(p[5]), "ms", source,
                n, RESOLUTION, withheld);
    }

    private static Double orNull(double v) {
        return Double.isNaN(v) ? null : v;
    }

    /** A step as the load client writes it: closed model with a concurrency, open model with a target rate. */
    static RunRecord.Step loadClientStep(String name, Integer concurrency, Double rate, double throughput, long requests, long errors,
                                         double[] latency, List<RunRecord.Window> windows, RunRecord.Failures failures) {
        return loadClientStep(name, concurrency, rate, throughput, requests, errors, latency, windows, failures, null);
    }

    /** The same, with percentiles withheld (NaN in {@code latency}) and why. */
    static RunRecord.Step loadClientStep(String name, Integer concurrency, Double rate, double throughput, long requests, long errors,
                                         double[] latency, List<RunRecord.Window> windows, RunRecord.Failures failures,
                                         String withheld) {
        boolean open = rate != null;
        String from = open ? "intended send time" : "send time";
        Map<String, String> sources = new LinkedHashMap<>();
        sources.put("throughput", "load client: good answers completed in each window / window length; mean of windows");
        sources.put("latency", "load client: one HdrHistogram pooled over the step's windows, from the " + from);
        double[] service = {latency[0] * 0.9, latency[1] * 0.9, latency[2] * 0.9, latency[3] * 0.9, latency[4], latency[5] * 0.9};
        for (int i = 0; i < service.length; i++) {
            service[i] = Double.isNaN(service[i]) ? service[i] : Math.round(service[i] * 1000) / 1000.0;
        }
        RunRecord.Generator generator = new RunRecord.Generator(CLIENT, open ? "open" : "closed", from, open,
                open ? 64 : concurrency, requests + errors,
                loadLatency(service, requests, "load client: actual send to last byte", withheld),
                open ? new RunRecord.Latency(12.0, 41.5, 310.2, 1204.0, 2250.0, 19.8, "us",
                        "load client: actual send time - intended send time, each request", requests + errors, RESOLUTION) : null,
                open ? 6 : 0, open ? 3 : 0, open ? 41.7 : 28.3, failures,
                "javalin/load/tabular-" + (open ? "slo" : "sweep") + "-" + name + ".hlog", open ? 1.734 : 0.0);
        return new RunRecord.Step(name, concurrency, rate, throughput, requests, errors,
                loadLatency(latency, requests, "load client: pooled histogram of the step, from the " + from, withheld),
                open ? 0.5 : 0.4876, open ? 199_000_000L : 201_000_000L, open ? 0.2 : 0.31, false, open ? 0.01 : 0.0127, true, 1,
                windows, sources, generator);
    }

    @Test
    void writesTheGoldenFileByteForByte() throws IOException {
        if (Boolean.getBoolean("golden.write")) {
            // After a deliberate format change (with a schema version bump): -Dgolden.write=true
            Files.writeString(Path.of("src/test/resources" + GOLDEN), RunRecords.toJson(sample()));
        }
        assertEquals(golden(), RunRecords.toJson(sample()));
    }

    @Test
    void readsTheGoldenFileBackToTheSameRecord(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("run.json");
        Files.writeString(file, golden());
        assertEquals(sample(), RunRecords.read(file));
    }

    @Test
    void readsARecordWrittenBeforeProbesExisted() throws IOException {
        // The format as the runner wrote it at commit 49547a0: schema 1, no probes. It must still read.
        RunRecord old = RunRecords.read(resource("/dev/predictbench/results/run-v1-before-probes.json"));
        assertEquals(null, old.stacks().getFirst().probes());
        RunRecord.StackResult now = sample(false, false).stacks().getFirst();
        assertEquals(now.withProbes(null), old.stacks().getFirst());
    }

    @Test
    void readsARecordWrittenBeforeTheOverloadScenarioExisted() throws IOException {
        // The golden file as it was before the overload scenario (commit b83b541): it must still read, without one.
        RunRecord old = RunRecords.read(resource("/dev/predictbench/results/run-v1-before-overload.json"));
        assertEquals(null, old.settings().overload());
        assertFalse(old.stacks().getFirst().workloads().get("tabular").scenarios().containsKey("overload"));
        assertEquals(sample(false, false), old);
    }

    @Test
    void readsARecordWrittenBeforeTheLoadClientExisted() throws IOException {
        // The golden file as it was before the load client replaced Gatling (commit c0f5978): whole-millisecond
        // latency without its request count, Gatling reports, no settings.load and no step generator. It must still read.
        RunRecord old = RunRecords.read(resource("/dev/predictbench/results/run-v1-before-load-client.json"));
        assertNull(old.settings().load());
        RunRecord.Scenario sweep = old.stacks().getFirst().workloads().get("tabular").scenarios().get("sweep");
        assertNull(sweep.steps().getFirst().generator());
        assertNull(sweep.steps().getFirst().latency().requests());
        assertNull(sweep.steps().getFirst().latency().resolution());
        assertFalse(sweep.gatlingReports().isEmpty());
        assertEquals(sample(true, false), old);
    }

    @Test
    void theGoldenRecordPinsTheLoadClientsFields() {
        // Guards the sample itself: every new field is set somewhere, so that the golden file holds it.
        RunRecord run = sample();
        assertNotNull(run.settings().load().rates());
        Map<String, RunRecord.Scenario> scenarios = run.stacks().getFirst().workloads().get("tabular").scenarios();
        RunRecord.Step closed = scenarios.get("sweep").steps().getFirst();
        RunRecord.Step failing = scenarios.get("slo").steps().getLast();
        assertEquals("closed", closed.generator().model());
        assertEquals("open", failing.generator().model());
        assertNotNull(failing.generator().scheduleLag().requests());
        assertNotNull(failing.generator().failures().firstError());
        assertEquals(failing.errors(), failing.generator().failures().byStatus().values().stream().mapToLong(Long::longValue).sum()
                + failing.generator().failures().badBody() + failing.generator().failures().timeouts()
                + failing.generator().failures().connectionErrors() + failing.generator().failures().protocolErrors());
        assertEquals(closed.requests(), closed.latency().requests());
        assertNotNull(closed.windows().getFirst().latency().resolution());
        assertTrue(scenarios.get("sweep").gatlingReports().isEmpty());
    }

    @Test
    void readsARecordWrittenBeforeTheRunsConductExisted() throws IOException {
        // The golden file as it was before rounds, the control, the time breakdown, warm-up, step validity and health,
        // withheld percentiles and the SLO bracket (commit db2aa36). It must still read, without them.
        RunRecord old = RunRecords.read(resource("/dev/predictbench/results/run-v1-before-conduct.json"));
        assertNull(old.conduct());
        assertTrue(old.complete(), "a record without conduct finished every stack");
        RunRecord.Workload tabular = old.stacks().getFirst().workloads().get("tabular");
        assertNull(tabular.warmup());
        RunRecord.Step c16 = tabular.scenarios().get("sweep").steps().getFirst();
        assertNull(c16.reasons());
        assertNull(c16.health());
        assertNull(c16.rounds());
        assertNull(c16.latency().withheld());
        assertTrue(c16.valid(), "settled, no errors, the generator kept up");
        assertFalse(tabular.scenarios().get("slo").steps().getLast().valid(), "31 errors");
        assertNull(tabular.scenarios().get("slo").slo().bracket());
        assertNull(old.settings().rules());
        assertEquals(sample(true, true, false), old);
    }

    @Test
    void theGoldenRecordPinsTheRunsConduct() {
        // Guards the sample itself: every field of the conduct, warm-up, health and rounds is set, so that the golden file holds it.
        RunRecord run = sample();
        RunRecord.Conduct c = run.conduct();
        assertTrue(c.complete());
        assertEquals(3, c.rounds().size());
        assertNotNull(c.control().workloads().get("tabular").drift());
        assertTrue(c.timing().stream().anyMatch(p -> p.stack() == null));
        assertTrue(c.timing().stream().anyMatch(p -> Integer.valueOf(0).equals(p.round())), "the control's phases");
        assertNotNull(c.limits().openFilesUsed());
        assertFalse(c.budget().isEmpty());
        RunRecord.Workload tabular = run.stacks().getFirst().workloads().get("tabular");
        assertNotNull(tabular.warmup().compiles());
        RunRecord.Step c1 = tabular.scenarios().get("sweep").steps().getFirst();
        assertNull(c1.latency().p999());
        assertTrue(c1.latency().withheld().startsWith("p99.9: too few requests"));
        assertTrue(c1.latency().requests() < Validity.EARLY_STOPPING.get("p99.9"));
        assertEquals(3, c1.rounds().size());
        assertNotNull(c1.health().windowsNeeded());
        RunRecord.Step r1400 = tabular.scenarios().get("slo").steps().getLast();
        assertFalse(r1400.valid());
        assertFalse(r1400.reasons().isEmpty());
        assertNotNull(tabular.scenarios().get("slo").slo().bracket());
        assertNotNull(run.settings().rules());
    }

    static Path resource(String name) {
        try {
            return Path.of(RunRecordGoldenTest.class.getResource(name).toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void refusesANewerSchemaAndNonRecords(@TempDir Path dir) throws IOException {
        Path newer = dir.resolve("newer.json");
        Files.writeString(newer, golden().replace("\"schemaVersion\" : 1", "\"schemaVersion\" : 99"));
        IOException e = assertThrows(IOException.class, () -> RunRecords.read(newer));
        assertTrue(e.getMessage().contains("schema version 99"), e.getMessage());
        Path other = dir.resolve("other.json");
        Files.writeString(other, "{\"hello\": 1}");
        assertThrows(IOException.class, () -> RunRecords.read(other));
    }

    @Test
    void aRunFolderIsPartialUntilCompleteAndNeverReplacesAnother(@TempDir Path runs) throws IOException {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        RunFolder first = RunFolder.create(runs, "abc", now);
        assertTrue(first.dir().getFileName().toString().startsWith(".partial-"));
        assertThrows(IOException.class, first::complete, "no run.json yet");
        first.write(sample());
        Path done = first.complete();
        assertEquals("20260101T000000Z-abc", done.getFileName().toString());
        RunFolder second = RunFolder.create(runs, "abc", now);
        assertEquals("20260101T000000Z-abc-1", second.id(), "same second and commit: a new id, not the old folder");
        second.write(sample());
        second.complete();
        assertEquals(golden(), Files.readString(done.resolve("run.json")));
        RunFolder interrupted = RunFolder.create(runs, "abc", now);
        assertFalse(interrupted.isComplete());
        assertTrue(Files.exists(interrupted.dir()));
    }

    static String golden() throws IOException {
        try (InputStream in = RunRecordGoldenTest.class.getResourceAsStream(GOLDEN)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

}
