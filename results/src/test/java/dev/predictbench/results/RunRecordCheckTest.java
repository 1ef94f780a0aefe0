package dev.predictbench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shape check CI runs after a smoke benchmark, on run folders made from the golden records. */
class RunRecordCheckTest {
    static final String GOLDEN = "/dev/predictbench/results/run-v1.json";
    static final String BEFORE_LOAD_CLIENT = "/dev/predictbench/results/run-v1-before-load-client.json";
    static final List<String> LOGS = List.of("javalin/load/tabular-sweep-c16.hlog", "javalin/load/tabular-slo-r1000.hlog",
            "javalin/load/tabular-slo-r1400.hlog");
    static final List<String> GATLING_REPORTS = List.of("javalin/gatling/sweepsimulation-1/index.html",
            "javalin/gatling/slosimulation-1/index.html", "javalin/gatling/overloadsimulation-1/index.html");

    @TempDir
    Path dir;

    @Test
    void aLoadClientRecordWithItsHistogramLogsIsWellFormed() throws IOException {
        Path run = runFolder(GOLDEN, r -> { }, LOGS);
        assertEquals(List.of(), RunRecordCheck.check(run.resolve(RunFolder.RECORD)));
    }

    @Test
    void aMissingHistogramLogIsAProblem() throws IOException {
        Path run = runFolder(GOLDEN, r -> { }, LOGS.subList(0, 2));
        assertEquals(List.of("javalin tabular slo r1400: histogram log javalin/load/tabular-slo-r1400.hlog missing from the run folder"),
                RunRecordCheck.check(run.resolve(RunFolder.RECORD)));
    }

    @Test
    void aHistogramLogOutsideTheRunFolderOrNotNamedIsAProblem() throws IOException {
        Files.writeString(dir.resolve("outside.hlog"), "#[Histogram log format version 1.3]\n");
        Path run = runFolder(GOLDEN, r -> {
            generator(step(r, "sweep", 0)).put("histogramLog", "../outside.hlog");
            generator(step(r, "slo", 0)).remove("histogramLog");
        }, LOGS);
        assertEquals(List.of("javalin tabular sweep c16: histogram log ../outside.hlog missing from the run folder",
                "javalin tabular slo r1000: histogram log not named"), RunRecordCheck.check(run.resolve(RunFolder.RECORD)));
    }

    @Test
    void latencyWithoutItsRequestCountIsAProblem() throws IOException {
        Path run = runFolder(GOLDEN, r -> step(r, "sweep", 0).with("latency").remove("requests"), LOGS);
        assertEquals(List.of("javalin tabular sweep c16: latency without the number of requests behind it"),
                RunRecordCheck.check(run.resolve(RunFolder.RECORD)));
        Path zero = runFolder(GOLDEN, r -> step(r, "slo", 1).with("latency").put("requests", 0), LOGS);
        assertEquals(List.of("javalin tabular slo r1400: latency without the number of requests behind it"),
                RunRecordCheck.check(zero.resolve(RunFolder.RECORD)));
    }

    @Test
    void aStepWhoseEveryRequestFailedNeedsNoLatency() throws IOException {
        // No good answer to time: the load client writes no latency; the server's failure, not the harness's.
        Path run = runFolder(GOLDEN, r -> {
            ObjectNode r1400 = step(r, "slo", 1);
            r1400.put("requests", 0);
            r1400.remove("latency");
        }, LOGS);
        assertEquals(List.of(), RunRecordCheck.check(run.resolve(RunFolder.RECORD)));
    }

    @Test
    void aLoadClientRecordNeedsTheGeneratorOnEveryStep() throws IOException {
        Path run = runFolder(GOLDEN, r -> step(r, "slo", 0).remove("generator"), LOGS);
        assertEquals(List.of("javalin tabular slo r1000: no load-client details (generator) in a load-client record"),
                RunRecordCheck.check(run.resolve(RunFolder.RECORD)));
    }

    @Test
    void aGatlingRecordStillNeedsItsReportsAndNoHistogramLogs() throws IOException {
        Path run = runFolder(BEFORE_LOAD_CLIENT, r -> { }, GATLING_REPORTS);
        assertEquals(List.of(), RunRecordCheck.check(run.resolve(RunFolder.RECORD)));
        Path missing = runFolder(BEFORE_LOAD_CLIENT, r -> { }, GATLING_REPORTS.subList(0, 2));
        assertEquals(List.of("javalin: Gatling report javalin/gatling/overloadsimulation-1/index.html missing"),
                RunRecordCheck.check(missing.resolve(RunFolder.RECORD)));
        Path none = runFolder(BEFORE_LOAD_CLIENT, r -> scenario(r, "slo").putArray("gatlingReports"), GATLING_REPORTS);
        assertEquals(List.of("javalin slo: no Gatling report"), RunRecordCheck.check(none.resolve(RunFolder.RECORD)));
    }

    /**
     * A run folder holding the record, the JMH results it names and the given files. The golden
     * record is a format sample, not a complete run: its never-started quarkus is left out (the
     * check wants start-up figures of every stack), and its sweep asks for the one step it has.
     */
    private Path runFolder(String record, Consumer<ObjectNode> edit, List<String> files) throws IOException {
        Path run = Files.createTempDirectory(dir, "run");
        ObjectNode root;
        try (InputStream in = getClass().getResourceAsStream(record)) {
            root = (ObjectNode) RunRecords.mapper().readTree(in);
        }
        ((ArrayNode) root.path("stacks")).remove(1);
        ((ArrayNode) root.with("settings").withArray("stacks")).remove(1);
        root.with("settings").putArray("concurrency").add(16);
        edit.accept(root);
        Files.writeString(run.resolve(RunFolder.RECORD), RunRecords.mapper().writeValueAsString(root));
        Files.createDirectories(run.resolve("jmh"));
        Files.writeString(run.resolve("jmh/jmh-results.json"), "[]");
        for (String f : files) {
            Files.createDirectories(run.resolve(f).getParent());
            Files.writeString(run.resolve(f), "x");
        }
        return run;
    }

    private static ObjectNode scenario(ObjectNode run, String name) {
        return (ObjectNode) run.path("stacks").get(0).path("workloads").path("tabular").path("scenarios").path(name);
    }

    private static ObjectNode step(ObjectNode run, String scenario, int index) {
        return (ObjectNode) scenario(run, scenario).path("steps").get(index);
    }

    private static ObjectNode generator(ObjectNode step) {
        return (ObjectNode) step.path("generator");
    }
}
