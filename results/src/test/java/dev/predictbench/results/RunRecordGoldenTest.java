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
        return sample(true, true);
    }

    /**
     * The sample as the golden file held it at an earlier stage: without the overload scenario,
     * before it existed; without the load client (Gatling's whole-millisecond figures and reports),
     * before it replaced Gatling.
     */
    static RunRecord sample(boolean overload, boolean loadClient) {
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
        List<String> noReports = List.of();
        RunRecord.Scenario sweep = new RunRecord.Scenario(RunRecord.Status.VALID, List.of(),
                loadClient ? noReports : List.of("javalin/gatling/sweepsimulation-1/index.html"), List.of(c16), null);
        RunRecord.Scenario slo = new RunRecord.Scenario(RunRecord.Status.VALID, List.of(),
                loadClient ? noReports : List.of("javalin/gatling/slosimulation-1/index.html"),
                sloSteps, new RunRecord.Slo(5.0, 1000.0, "r1000", loadClient ? 1.214 : 4.0, List.of(600.0, 1000.0, 1400.0),
                "highest passing rate below the lowest failing one"));
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
                Map.of("tabular", new RunRecord.Workload("/predict", scenarios, probe)), "javalin/server.log", true)
                .withProbes(new RunRecord.Probes("contract-file", 200, 120, 1, List.of("chat-model API: LangChain4j"),
                        Map.of("/embed", 404), Map.of("openapi", "GET /openapi compared with the contract file")));
        RunRecord.StackResult broken = new RunRecord.StackResult("quarkus", RunRecord.Status.INVALID,
                List.of("server exited with status 137 during sweep"), null, null, null, null, "quarkus/server.log", null);
        return new RunRecord(1, "20260101T000000Z-abcdef123456", "2026-01-01T00:00:00Z", "2026-01-01T00:10:00Z", "bench",
                new RunRecord.Settings(List.of("javalin", "quarkus"), overload ? List.of("sweep", "slo", "overload") : List.of("sweep", "slo"),
                        List.of("tabular"), 8, 4, 3, List.of(1, 16), List.of(0.5, 0.75, 0.9), 5, 2, 0.15, 1, 3000, 42,
                        "closed and open models", null, null,
                        overload ? new RunRecord.OverloadSettings(List.of("tabular"), 2.0, 15.0, 5.0, 2.0, 10.0, 200) : null,
                        load),
                new RunRecord.Environment("Test CPU @ 2.00GHz", 2, 25_000_000_000L, "Debian GNU/Linux 12 (bookworm)",
                        "Linux 6.1.0 amd64", "Eclipse Adoptium 25.0.3+9-LTS", List.of("server: -Xmx512m"), "0", "1",
                        "abcdef123456", false, Map.of("javalin", "Javalin 7.2.3")),
                new RunRecord.Jmh("jmh/jmh-results.json", 31, "bench profile: -wi 1 -w 1s -i 3 -r 1s -f 1, -prof gc"),
                List.of(javalin, broken));
    }

    static final String CLIENT = "predict-bench load client (test)";
    static final String RESOLUTION = "1 us (HdrHistogram, 3 significant digits)";

    /** Percentiles p50, p90, p99, p99.9, max, mean in ms to the microsecond, from a histogram of {@code n} values. */
    static RunRecord.Latency loadLatency(double[] p, long n, String source) {
        return new RunRecord.Latency(p[0], p[1], p[2], p[3], p[4], p[5], "ms", source, n, RESOLUTION);
    }

    /** A step as the load client writes it: closed model with a concurrency, open model with a target rate. */
    static RunRecord.Step loadClientStep(String name, Integer concurrency, Double rate, double throughput, long requests, long errors,
                                         double[] latency, List<RunRecord.Window> windows, RunRecord.Failures failures) {
        boolean open = rate != null;
        String from = open ? "intended send time" : "send time";
        Map<String, String> sources = new LinkedHashMap<>();
        sources.put("throughput", "load client: good answers completed in each window / window length; mean of windows");
        sources.put("latency", "load client: one HdrHistogram pooled over the step's windows, from the " + from);
        double[] service = {latency[0] * 0.9, latency[1] * 0.9, latency[2] * 0.9, latency[3] * 0.9, latency[4], latency[5] * 0.9};
        for (int i = 0; i < service.length; i++) {
            service[i] = Math.round(service[i] * 1000) / 1000.0;
        }
        RunRecord.Generator generator = new RunRecord.Generator(CLIENT, open ? "open" : "closed", from, open,
                open ? 64 : concurrency, requests + errors,
                loadLatency(service, requests, "load client: actual send to last byte"),
                open ? new RunRecord.Latency(12.0, 41.5, 310.2, 1204.0, 2250.0, 19.8, "us",
                        "load client: actual send time - intended send time, each request", requests + errors, RESOLUTION) : null,
                open ? 6 : 0, open ? 3 : 0, open ? 41.7 : 28.3, failures,
                "javalin/load/tabular-" + (open ? "slo" : "sweep") + "-" + name + ".hlog", open ? 1.734 : 0.0);
        return new RunRecord.Step(name, concurrency, rate, throughput, requests, errors,
                loadLatency(latency, requests, "load client: pooled histogram of the step, from the " + from),
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
