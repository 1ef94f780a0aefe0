package dev.predictbench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        return sample(true);
    }

    /** The sample; without the overload scenario it is what the golden file held before that scenario existed. */
    static RunRecord sample(boolean overload) {
        RunRecord.Latency ms = new RunRecord.Latency(1.0, 2.0, 4.0, 7.0, 12.0, 1.4, "ms", "gatling (whole ms), median of windows");
        RunRecord.Window w1 = new RunRecord.Window(4.002, 8000, 0, 1999.0, ms, 3.9, 200_000_000L, 1.2);
        RunRecord.Window w2 = new RunRecord.Window(4.001, 8100, 0, 2024.5, ms, 3.95, 201_000_000L, 1.25);
        Map<String, String> sources = new LinkedHashMap<>();
        sources.put("throughput", "gatling");
        RunRecord.Step c16 = new RunRecord.Step("c16", 16, null, 2011.8, 16100, 0, ms, 0.4876, 201_000_000L, 0.31, false,
                0.0127, true, 1, List.of(w1, w2), sources);
        RunRecord.Step r1000 = new RunRecord.Step("r1000", null, 1000.0, 998.1, 7985, 0, ms, 0.5, 199_000_000L, 0.2, false,
                0.01, true, 1, List.of(w1), sources);
        RunRecord.Scenario sweep = new RunRecord.Scenario(RunRecord.Status.VALID, List.of(),
                List.of("javalin/gatling/sweepsimulation-1/index.html"), List.of(c16), null);
        RunRecord.Scenario slo = new RunRecord.Scenario(RunRecord.Status.VALID, List.of(), List.of("javalin/gatling/slosimulation-1/index.html"),
                List.of(r1000), new RunRecord.Slo(5.0, 1000.0, "r1000", 4.0, List.of(600.0, 1000.0, 1400.0), "highest passing rate below the lowest failing one"));
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
                    ms, new RunRecord.OverloadErrors(6700, 0, 0, 0, 0, 60, 40, byStatus), 200_000_000L, 260_000_000L, 0.62,
                    true, false, "process alive, /health/ready 200, no OutOfMemoryError in the log", recovery, sources);
            scenarios.put("overload", new RunRecord.Scenario(RunRecord.Status.VALID, List.of(),
                    List.of("javalin/gatling/overloadsimulation-1/index.html"), null, null, figures));
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
                        overload ? new RunRecord.OverloadSettings(List.of("tabular"), 2.0, 15.0, 5.0, 2.0, 10.0, 200) : null),
                new RunRecord.Environment("Test CPU @ 2.00GHz", 2, 25_000_000_000L, "Debian GNU/Linux 12 (bookworm)",
                        "Linux 6.1.0 amd64", "Eclipse Adoptium 25.0.3+9-LTS", List.of("server: -Xmx512m"), "0", "1",
                        "abcdef123456", false, Map.of("javalin", "Javalin 7.2.3")),
                new RunRecord.Jmh("jmh/jmh-results.json", 31, "bench profile: -wi 1 -w 1s -i 3 -r 1s -f 1, -prof gc"),
                List.of(javalin, broken));
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
        RunRecord.StackResult now = sample(false).stacks().getFirst();
        assertEquals(now.withProbes(null), old.stacks().getFirst());
    }

    @Test
    void readsARecordWrittenBeforeTheOverloadScenarioExisted() throws IOException {
        // The golden file as it was before the overload scenario (commit b83b541): it must still read, without one.
        RunRecord old = RunRecords.read(resource("/dev/predictbench/results/run-v1-before-overload.json"));
        assertEquals(null, old.settings().overload());
        assertFalse(old.stacks().getFirst().workloads().get("tabular").scenarios().containsKey("overload"));
        assertEquals(sample(false), old);
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
