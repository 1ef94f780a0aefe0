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
    static final List<String> LOGS = List.of("javalin/load/tabular-sweep-c1.hlog", "javalin/load/tabular-sweep-c16.hlog",
            "javalin/load/tabular-slo-r1000.hlog", "javalin/load/tabular-slo-r1400.hlog");
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
        Path run = runFolder(GOLDEN, r -> { }, LOGS.subList(0, 3));
        assertEquals(List.of("javalin tabular slo r1400: histogram log javalin/load/tabular-slo-r1400.hlog missing from the run folder"),
                RunRecordCheck.check(run.resolve(RunFolder.RECORD)));
    }

    @Test
    void aHistogramLogOutsideTheRunFolderOrNotNamedIsAProblem() throws IOException {
        Files.writeString(dir.resolve("outside.hlog"), "#[Histogram log format version 1.3]\n");
        Path run = runFolder(GOLDEN, r -> {
            generator(step(r, "sweep", 1)).put("histogramLog", "../outside.hlog");
            generator(step(r, "slo", 0)).remove("histogramLog");
        }, LOGS);
        assertEquals(List.of("javalin tabular sweep c16: histogram log ../outside.hlog missing from the run folder",
                "javalin tabular slo r1000: histogram log not named"), RunRecordCheck.check(run.resolve(RunFolder.RECORD)));
    }

    @Test
    void latencyWithoutItsRequestCountIsAProblem() throws IOException {
        Path run = runFolder(GOLDEN, r -> step(r, "sweep", 1).with("latency").remove("requests"), LOGS);
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

    @Test
    void aTailPercentileWithTooFewRequestsMustBeWithheld() throws IOException {
        // c1 has 1,523 requests: p99 (662) may be published, p99.9 (6,636) may not.
        Path published = runFolder(GOLDEN, r -> step(r, "sweep", 0).with("latency").put("p999", 9.9), LOGS);
        assertEquals(List.of("javalin tabular sweep c1: p99.9 published from 1523 requests (early stopping needs 6636)"),
                RunRecordCheck.check(published.resolve(RunFolder.RECORD)));
        Path silent = runFolder(GOLDEN, r -> step(r, "sweep", 0).with("latency").remove("withheld"), LOGS);
        assertEquals(List.of("javalin tabular sweep c1: p99.9 missing without latency.withheld saying why"),
                RunRecordCheck.check(silent.resolve(RunFolder.RECORD)));
        // 600 requests behind a published p99: too few (662).
        Path p99 = runFolder(GOLDEN, r -> step(r, "sweep", 0).with("latency").put("requests", 600), LOGS);
        assertEquals(List.of("javalin tabular sweep c1: p99 published from 600 requests (early stopping needs 662)"),
                RunRecordCheck.check(p99.resolve(RunFolder.RECORD)));
        Path withheldP99 = runFolder(GOLDEN, r -> {
            ObjectNode l = step(r, "sweep", 0).with("latency");
            l.put("requests", 600).remove("p99");
            l.put("withheld", "p99: too few requests (600 < 662); p99.9: too few requests (600 < 6,636)");
        }, LOGS);
        assertEquals(List.of(), RunRecordCheck.check(withheldP99.resolve(RunFolder.RECORD)), "withheld p99 is still a latency");
        // Enough requests: the percentile must be there.
        Path missing = runFolder(GOLDEN, r -> step(r, "sweep", 1).with("latency").remove("p999"), LOGS);
        assertEquals(List.of("javalin tabular sweep c16: p99.9 missing although 16100 requests are behind it (early stopping needs 6636)"),
                RunRecordCheck.check(missing.resolve(RunFolder.RECORD)));
    }

    @Test
    void recordsMadeBeforeTheRunsConductAreNotHeldToEarlyStopping() throws IOException {
        Path old = runFolder(GOLDEN, r -> {
            r.remove("conduct");
            step(r, "sweep", 0).with("latency").put("p999", 9.9).remove("withheld");
        }, LOGS);
        assertEquals(List.of(), RunRecordCheck.check(old.resolve(RunFolder.RECORD)));
    }

    @Test
    void anIncompleteRunIsAProblemAndMustSayWhy() throws IOException {
        Path said = runFolder(GOLDEN, r -> {
            r.with("conduct").put("complete", false).put("incomplete", "stopped after javalin: the time budget ran out");
            ((ArrayNode) r.with("settings").withArray("stacks")).add("quarkus");
        }, LOGS);
        assertEquals(List.of("run incomplete: stopped after javalin: the time budget ran out"),
                RunRecordCheck.check(said.resolve(RunFolder.RECORD)), "the stack never reached is the reason, not another problem");
        Path silent = runFolder(GOLDEN, r -> r.with("conduct").put("complete", false), LOGS);
        assertEquals(List.of("run incomplete without a reason (conduct.incomplete)"),
                RunRecordCheck.check(silent.resolve(RunFolder.RECORD)));
    }

    @Test
    void noPhaseTakesNegativeTime() throws IOException {
        Path run = runFolder(GOLDEN, r -> ((ObjectNode) r.with("conduct").withArray("timing").get(1)).put("seconds", -0.2), LOGS);
        assertEquals(List.of("conduct.timing javalin round 1 start: -0.2 s (must be 0 or more)"),
                RunRecordCheck.check(run.resolve(RunFolder.RECORD)));
    }

    @Test
    void theControlsDriftAndTheSloBracketAreWhatTheirFiguresSay() throws IOException {
        Path drift = runFolder(GOLDEN, r -> ((ObjectNode) r.with("conduct").with("control").with("workloads").with("tabular"))
                .put("drift", 0.18), LOGS);
        assertEquals(List.of("conduct.control tabular: drift 0.18 is not |last - first| / first = 0.0180"),
                RunRecordCheck.check(drift.resolve(RunFolder.RECORD)));
        Path bracket = runFolder(GOLDEN, r -> scenario(r, "slo").with("slo").put("bracket", 0.1), LOGS);
        assertEquals(List.of("javalin tabular slo: bracket 0.1 is not (failRate - maxRate) / maxRate = 0.4000"),
                RunRecordCheck.check(bracket.resolve(RunFolder.RECORD)));
        Path below = runFolder(GOLDEN, r -> scenario(r, "slo").with("slo").put("failRate", 900.0).put("bracket", -0.1), LOGS);
        assertEquals(List.of("javalin tabular slo: failRate 900.0 not above maxRate 1000.0"),
                RunRecordCheck.check(below.resolve(RunFolder.RECORD)));
    }

    @Test
    void aStepMeasuredInRoundsHasTheMedianOfItsValidRounds() throws IOException {
        // c16's rounds: 2011.8, 1968.3, 2040.1. Round 1 INVALID leaves 1968.3 and 2040.1: their median is 2004.2.
        Path run = runFolder(GOLDEN, r -> ((ObjectNode) step(r, "sweep", 1).withArray("rounds").get(0)).put("valid", false), LOGS);
        assertEquals(List.of("javalin tabular sweep c16: throughput 2011.8 is not the median of its valid rounds' (2004.2000)"),
                RunRecordCheck.check(run.resolve(RunFolder.RECORD)));
    }

    @Test
    void aMedianHalfwayBetweenTwoTenthsMayBeRoundedUp() throws IOException {
        // Two valid rounds of 89.8 and 89.9 req/s: their median 89.85 is published to one decimal as 89.9.
        Path run = runFolder(GOLDEN, r -> {
            ObjectNode step = step(r, "sweep", 1);
            step.put("throughput", 89.9);
            ((ObjectNode) step.withArray("rounds").get(0)).put("valid", false);
            ((ObjectNode) step.withArray("rounds").get(1)).put("throughput", 89.8);
            ((ObjectNode) step.withArray("rounds").get(2)).put("throughput", 89.9);
        }, LOGS);
        assertEquals(List.of(), RunRecordCheck.check(run.resolve(RunFolder.RECORD)));
    }

    /**
     * A run folder holding the record, the JMH results it names and the given files. The golden
     * record is a format sample, not a complete run: its never-started quarkus is left out (the
     * check wants start-up figures of every stack), and its sweep asks for the steps it has.
     */
    private Path runFolder(String record, Consumer<ObjectNode> edit, List<String> files) throws IOException {
        Path run = Files.createTempDirectory(dir, "run");
        ObjectNode root;
        try (InputStream in = getClass().getResourceAsStream(record)) {
            root = (ObjectNode) RunRecords.mapper().readTree(in);
        }
        ((ArrayNode) root.path("stacks")).remove(1);
        ((ArrayNode) root.with("settings").withArray("stacks")).remove(1);
        ArrayNode concurrency = root.with("settings").putArray("concurrency");
        scenario(root, "sweep").path("steps").forEach(st -> concurrency.add(st.path("concurrency").asInt()));
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
