package dev.predictbench.results.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.predictbench.results.RunRecords;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report is one self-contained file made from the template and the run record. */
class ReportTest {
    @TempDir
    Path results;

    @Test
    void writesASelfContainedReportAndTheComparisonIntoTheRunFolder() throws IOException {
        Path run = runFolder("20260101T000000Z-abcdef123456", root -> { });
        Path html = Report.write(run, results);
        String page = Files.readString(html);
        assertFalse(Pattern.compile("<(script|link|img)[^>]+(src|href)=\"?https?:").matcher(page).find(),
                "nothing is loaded from the network");
        assertTrue(page.contains("Apache ECharts"), "the charts library is inlined");
        assertEquals(2, count(page, "<script>"), "echarts and the page's own script, inline");

        JsonNode data = embedded(page);
        assertEquals(Report.TEMPLATE, data.path("template").asText());
        assertEquals("20260101T000000Z-abcdef123456", data.path("run").path("runId").asText());
        assertEquals("tabular", data.path("comparison").path("workload").asText());
        assertEquals(6, data.path("comparison").path("rows").size());
        assertTrue(data.path("figures").has("tabular"));

        String md = Files.readString(run.resolve(Report.MARKDOWN));
        assertTrue(md.contains("| **Speed** |"));
        assertTrue(md.contains("## How each verdict is derived"));
        assertTrue(md.contains("## Raw figures"));
        assertTrue(md.contains("Framework tax = "));
    }

    @Test
    void handlesWorkloadsItHasNeverHeardOf() throws IOException {
        Path run = runFolder("20260101T000000Z-abcdef123456", root -> {
            ObjectNode workloads = (ObjectNode) root.path("stacks").get(0).path("workloads");
            workloads.set("embed", workloads.path("tabular").deepCopy());
            ((ObjectNode) workloads.path("embed")).put("endpoint", "/embed");
        });
        JsonNode data = embedded(Files.readString(Report.write(run, results)));
        assertTrue(data.path("figures").has("tabular"));
        assertTrue(data.path("figures").has("embed"));
    }

    @Test
    void embeddedDataCannotCloseTheScriptElement() throws IOException {
        Path run = runFolder("20260101T000000Z-abcdef123456", root ->
                ((ObjectNode) root.path("stacks").get(1)).putArray("reasons").add("</script><script>alert(1)</script>"));
        String page = Files.readString(Report.write(run, results));
        assertFalse(page.contains("</script><script>alert"));
        assertEquals("</script><script>alert(1)</script>",
                embedded(page).path("run").path("stacks").get(1).path("reasons").get(0).asText());
    }

    @Test
    void latestPointsAtTheNewestCompleteRunOnly() throws IOException {
        Path older = runFolder("20260101T000000Z-aaa", r -> { });
        Path newer = runFolder("20260102T000000Z-bbb", r -> { });
        Files.createDirectories(results.resolve("runs/.partial-20260103T000000Z-ccc"));
        // A run that stopped early has its record and report, but is never the newest complete run.
        Path incomplete = runFolder("20260104T000000Z-ddd-incomplete", r -> r.with("conduct").put("complete", false)
                .put("incomplete", "the runner stopped"));
        Report.write(incomplete, results);
        assertFalse(Files.exists(results.resolve("latest")), "an incomplete run does not move latest");
        assertEquals(newer.resolve("run.json"), Report.newestRecord(results.resolve("runs")));
        Report.write(newer, results);
        Path latest = results.resolve("latest");
        assertTrue(Files.isRegularFile(latest.resolve("index.html")));
        assertEquals(newer.toRealPath(), latest.toRealPath());
        Report.write(older, results);
        assertEquals(newer.toRealPath(), latest.toRealPath(), "a report of an older run leaves latest alone");
    }

    @Test
    void theFrameworkTaxDividesHttpThroughputPerCoreByTheInProcessThroughputPerThread() {
        assertEquals(1e6 / 46.39, JmhCeiling.perSecondPerThread(46.39, "us/op", 1), 1e-6);
        assertEquals(2.0e6, JmhCeiling.perSecondPerThread(4.0, "ops/us", 2), 1e-6);
        assertEquals(4, Figures.cores("0-3"));
        assertEquals(3, Figures.cores("0,2-3"));
        assertEquals(1, Figures.cores("0"));
    }

    @Test
    void showsStepLatencyWithTheRequestsBehindItItsSourceAndTheOpenModelSteps() throws IOException {
        // The golden record's SLO steps (r1000, r1400), copied into a rate scenario at the absolute rates it asked for.
        Path run = runFolder("20260101T000000Z-abcdef123456", ReportTest::withRateScenario);
        String page = Files.readString(Report.write(run, results));
        String md = Files.readString(run.resolve(Report.MARKDOWN));
        // r1400 is 70% of the 2011.8 req/s peak, nearer 75% than r1000 (50%).
        assertTrue(md.contains("p99 at 70% load 8.913 ms (n=10,204)"), md);
        assertTrue(md.contains("| p99 at 75% load | 8.913 ms (n=10,204) | - |"), md);
        assertTrue(md.contains("| step latency from | load client, 1 us (HdrHistogram, 3 significant digits) | - |"), md);
        assertTrue(md.contains("\n## Open-model steps (rate and SLO search)\n"), md);
        assertTrue(md.contains("intended send time on its Poisson schedule (corrected for coordinated omission)"), md);
        assertTrue(md.contains("resolution 1 us (HdrHistogram, 3 significant digits)"), md);
        assertTrue(md.contains("\n### tabular: javalin\n"), md);
        assertFalse(md.contains("### tabular: quarkus"), "a stack without open-model steps has no table");
        assertTrue(md.contains("| rate r1000 | 1,000 | 998 | 0.388 | 0.602 | 1.214 | 3.072 | 7,985 | 310 | 6 | 3 | 41.7 "
                + "| [tabular-slo-r1000.hlog](javalin/load/tabular-slo-r1000.hlog) |"), md);
        assertTrue(md.contains("| slo r1000 (SLO result) | 1,000 | 998 | 0.388 |"), md);
        assertTrue(md.contains("| slo r1400 (INVALID) | 1,400 | 1,290 | 0.951 | 3.406 | 8.913 | 21.770 | 10,204 |"), md);
        assertTrue(md.contains("\nslo r1400 INVALID: 31 requests without a good answer"), md);
        assertTrue(md.contains("\nrate r1000: the figures are attempt 2 of 2; set aside: attempt 1: r1000: the load client sent "
                + "1.6% of its requests more than 1 ms late (allowed 1.0%)\n"), md);
        assertFalse(md.contains("slo r1000: the figures are attempt"), "a step measured once says nothing of attempts");
        assertTrue(md.indexOf("## Open-model steps") < md.indexOf("## Overload"), "the open-model steps before the overload");

        JsonNode open = embedded(page).path("openModel");
        assertEquals(4, open.path("rows").size());
        JsonNode r1400 = open.path("rows").get(1);
        assertEquals("rate", r1400.path("scenario").asText());
        assertEquals(10204, r1400.path("latencyRequests").asLong());
        assertEquals(8.913, r1400.path("p99").asDouble());
        assertEquals(310.2, r1400.path("scheduleLagP99Micros").asDouble());
        assertEquals("javalin/load/tabular-slo-r1400.hlog", r1400.path("histogramLog").asText());
        assertEquals(2, open.path("rows").get(0).path("attempts").asInt());
        assertEquals(1, open.path("rows").get(0).path("earlierAttempts").size());
        assertTrue(page.contains("': the figures are attempt '"), "the page draws the attempts note");
        assertTrue(open.path("rows").get(2).path("sloResult").asBoolean());
        assertTrue(open.path("sources").get(0).asText().contains("corrected for coordinated omission"));
        // What the page's script draws from: the sweep labelled as not corrected, the counts beside the percentiles.
        assertTrue(page.contains("closed model: not corrected for coordinated omission"));
        assertTrue(page.contains("' (n=' + count("));
        assertTrue(page.contains("'schedule lag p99 \\u00b5s'"));
        assertTrue(page.contains("'HdrHistogram logs (load client)'"));
    }

    @Test
    void aGatlingRecordSaysSoAndHasNoRequestCounts() throws IOException {
        Path run = runFolder("20260101T000000Z-abcdef123456", "/dev/predictbench/results/run-v1-before-load-client.json",
                root -> {
                    ObjectNode scenarios = (ObjectNode) root.path("stacks").get(0).path("workloads").path("tabular").path("scenarios");
                    ObjectNode rate = scenarios.path("slo").deepCopy();
                    rate.remove("slo");
                    scenarios.set("rate", rate);
                });
        Report.write(run, results);
        String md = Files.readString(run.resolve(Report.MARKDOWN));
        assertTrue(md.contains("| step latency from | Gatling, whole ms (median of windows) | - |"), md);
        assertTrue(md.contains("Gatling (records made before the load client): whole milliseconds"), md);
        assertTrue(md.contains("| rate r1000 | 1,000 | 998 | 1 | 2 | 4 | 7 | - | - | - | - | - | - |"), md);
        assertFalse(md.contains("(n="), md);
        assertFalse(md.contains(".hlog"), md);
    }

    @Test
    void latencyGrowthAcrossTheSweepUsesTheMicrosecondFigures() throws IOException {
        // 0.2 ms at c16, 0.8 ms at c64: x4. Gatling's whole milliseconds needed a 0.5 ms floor (x1.6 here); the load client's do not.
        Path run = runFolder("20260101T000000Z-abcdef123456", root -> {
            com.fasterxml.jackson.databind.node.ArrayNode steps = (com.fasterxml.jackson.databind.node.ArrayNode)
                    root.path("stacks").get(0).path("workloads").path("tabular").path("scenarios").path("sweep").path("steps");
            ObjectNode c16 = (ObjectNode) steps.get(1);
            c16.with("latency").put("p99", 0.2);
            ObjectNode c64 = c16.deepCopy();
            c64.put("name", "c64").put("concurrency", 64);
            c64.with("latency").put("p99", 0.8);
            steps.add(c64);
        });
        JsonNode javalin = embedded(Files.readString(Report.write(run, results))).path("figures").path("tabular").get(0);
        assertEquals(4.0, javalin.path("p99Growth").asDouble(), 1e-9);
    }

    @Test
    void anIncompleteRunSaysSoBeforeAnythingElse() throws IOException {
        Path run = runFolder("20260101T000000Z-abcdef123456", root ->
                root.with("conduct").put("complete", false).put("incomplete", "stopped after javalin: the time budget ran out"));
        String page = Files.readString(Report.write(run, results));
        String md = Files.readString(run.resolve(Report.MARKDOWN));
        assertTrue(md.startsWith("# Which Java stack should serve your model?\n\n> **Incomplete run: stopped after javalin: the "
                + "time budget ran out."), md);
        assertTrue(md.contains("\n## Run conduct\n\n**Incomplete run: stopped after javalin"), md);
        assertTrue(embedded(page).path("banner").asText().startsWith("Incomplete run: stopped after javalin"));
        assertTrue(page.contains("<section id=\"banner\">"));
        Path complete = runFolder("20260102T000000Z-abcdef123456", root -> { });
        Report.write(complete, results);
        assertFalse(Files.readString(complete.resolve(Report.MARKDOWN)).contains("Incomplete run"));
    }

    @Test
    void showsTheRoundsTheControlWhereTheTimeWentAndTheBudget() throws IOException {
        Path run = runFolder("20260101T000000Z-abcdef123456", root -> { });
        JsonNode data = embedded(Files.readString(Report.write(run, results)));
        String md = Files.readString(run.resolve(Report.MARKDOWN));
        assertTrue(md.contains("| 2 | quarkus -> javalin | sweep |"), md);
        assertTrue(md.contains("| tabular | sweep peak throughput (req/s) | 2,012 | 1,976 | 1.8% |"), md);
        assertTrue(md.contains("| stack | start | conformance | probes | warm-up | sweep | slo | overload | other | total |"), md);
        assertTrue(md.contains("| javalin (rounds 1, 2, 3) | 5.6 | 3.4 | 4.1 | 100.0 | 154.6 | 61.8 | 27.5 | 1.6 | 358.6 |"), md);
        assertTrue(md.contains("| quarkus (round 1) | 2.2 | - | - | - | - | - | - | 0.1 | 2.3 |"), md);
        assertTrue(md.contains("| javalin (control) | 1.8 | - | - | 30.0 | 51.1 | - | - | 0.5 | 83.4 |"), md);
        assertTrue(md.contains("| **all stacks** | 9.6 | 3.4 | 4.1 | 130.0 | 205.7 | 61.8 | 27.5 | 2.2 | 444.3 |"), md);
        assertTrue(md.contains("The run's own phases: load client warm-up 6.2 s, report 1.3 s. Altogether 451.8 s (7.5 min)."), md);
        assertTrue(md.contains("- 3 rounds + the control x 2 stacks: at most 31 min\n"), md);
        assertTrue(md.contains("Open files: soft limit 1,024, hard 524,288, used 65,536"), md);
        // The control's drift beside the ranking, in the comparison table and its raw figures.
        assertTrue(md.contains("r = 1.00 (control drift 1.8%)"), md);
        assertTrue(md.contains("| control drift (differences up to it are not significant) | 1.8% | 1.8% |"), md);
        assertTrue(md.contains("**Control (tabular)**: javalin measured again at the end of the run: sweep peak throughput (req/s) "
                + "2,012 -> 1,976, drift 1.8%."), md);
        JsonNode timing = data.path("conduct").path("timing");
        assertEquals("[\"start\",\"conformance\",\"probes\",\"warm-up\",\"sweep\",\"slo\",\"overload\",\"other\"]",
                timing.path("columns").toString());
        assertEquals(451.8, timing.path("allSeconds").asDouble(), 1e-9);
        assertEquals(1, data.path("comparison").path("controls").size());
    }

    @Test
    void aRecordWithoutConductHasNoneOfItsSections() throws IOException {
        Path run = runFolder("20260101T000000Z-abcdef123456", "/dev/predictbench/results/run-v1-before-conduct.json", root -> { });
        JsonNode data = embedded(Files.readString(Report.write(run, results)));
        String md = Files.readString(run.resolve(Report.MARKDOWN));
        assertFalse(md.contains("## Run conduct"), md);
        assertFalse(md.contains("## Steps: validity"), md);
        assertFalse(md.contains("| control drift"), md);
        assertFalse(md.contains("**Control ("), md);
        assertTrue(data.path("conduct").isNull());
        assertEquals(0, data.path("steps").path("rows").size());
    }

    @Test
    void everyStepShowsItsValidityRoundsHealthAndTheWarmUp() throws IOException {
        Path run = runFolder("20260101T000000Z-abcdef123456", root -> { });
        JsonNode data = embedded(Files.readString(Report.write(run, results)));
        String md = Files.readString(run.resolve(Report.MARKDOWN));
        assertTrue(md.contains("\n## Steps: validity, rounds and health\n"), md);
        assertTrue(md.contains("Warm-up: 40 s, 81,234 requests; JIT compiles per chunk 1893, 412, 61, 4; settled (last chunk < 5)."), md);
        assertTrue(md.contains("| sweep c16 | VALID | 2,012 | r1 2,012, r2 1,968, r3 2,040 | 3.6% | 2.347 (n=16,100) | 2 | 14.2 | 0.3% "
                + "| 4 (stable) |"), md);
        assertTrue(md.contains("| slo r1400 | INVALID: 31 requests without a good answer (503: 25, bad body: 1, timeouts: 4, connection "
                + "errors: 1) | 1,290 | - | - |"), md);
        JsonNode c16 = data.path("steps").path("rows").get(1);
        assertEquals("c16", c16.path("step").asText());
        assertEquals((2040.1 - 1968.3) / 2011.8, c16.path("roundSpread").asDouble(), 1e-9);
        assertEquals(4, c16.path("windowsNeeded").asInt());
        assertTrue(data.path("steps").path("warmups").get(0).path("settled").asBoolean());
    }

    @Test
    void aWithheldPercentileReadsTooFewRequestsAndBacksNoVerdict() throws IOException {
        // The rate step nearest 75% load (r1400) with 500 requests: its p99 and p99.9 are withheld.
        Path run = runFolder("20260101T000000Z-abcdef123456", root -> {
            withRateScenario(root);
            ObjectNode latency = ((ObjectNode) root.path("stacks").get(0).path("workloads").path("tabular").path("scenarios")
                    .path("rate").path("steps").get(1)).with("latency");
            latency.put("requests", 500).remove(List.of("p99", "p999"));
            latency.put("withheld", "p99: too few requests (500 < 662); p99.9: too few requests (500 < 6,636)");
        });
        String page = Files.readString(Report.write(run, results));
        String md = Files.readString(run.resolve(Report.MARKDOWN));
        assertTrue(md.contains("| rate r1400 | 1,400 | 1,290 | 0.951 | 3.406 | too few requests (n=500) | too few requests (n=500) | 500 |"),
                md);
        assertTrue(md.contains("| **Speed** | **not measured (rate r1400 p99: too few requests (n=500))** |"), md);
        assertTrue(md.contains("| p99 at 75% load | not measured (rate r1400 p99: too few requests (n=500)) |"), md);
        assertTrue(md.contains("| rate r1400 | VALID | 1,290 | - | - | too few requests (n=500) |"), md);
        assertTrue(page.contains("function tooFew(n)"));
    }

    @Test
    void aComparisonCellFromAnInvalidStepReadsNotMeasuredWithItsReason() throws IOException {
        // The SLO search's result step did not settle: no Speed verdict, and no "!" anywhere.
        Path run = runFolder("20260101T000000Z-abcdef123456", root -> ((ObjectNode) root.path("stacks").get(0).path("workloads")
                .path("tabular").path("scenarios").path("slo").path("steps").get(0)).putArray("reasons")
                .add("did not settle: the last three windows never agreed within 15% (cap of 8 windows)"));
        Report.write(run, results);
        String md = Files.readString(run.resolve(Report.MARKDOWN));
        assertTrue(md.contains("| **Speed** | **not measured (slo r1000 INVALID: did not settle: the last three windows never agreed "
                + "within 15% (cap of 8 windows))** |"), md);
        assertTrue(md.contains("| SLO-bounded throughput (req/s) | not measured (slo r1000 INVALID: did not settle"), md);
        assertFalse(md.contains(" !"), md);
        assertFalse(md.contains("**fast"), md);
    }

    /**
     * The golden record with a rate scenario: its SLO steps again, at the rates settings.load.rates
     * asks for; r1400 without the SLO search's errors, so that both rate steps are VALID.
     */
    private static void withRateScenario(ObjectNode root) {
        ObjectNode scenarios = (ObjectNode) root.path("stacks").get(0).path("workloads").path("tabular").path("scenarios");
        ObjectNode rate = scenarios.path("slo").deepCopy();
        rate.remove("slo");
        ((ObjectNode) rate.path("steps").get(1)).put("errors", 0).putArray("reasons");
        // r1000 measured twice: the load client sent the first attempt late.
        ((ObjectNode) rate.path("steps").get(0)).put("attempts", 2).putArray("earlierAttempts")
                .add("attempt 1: r1000: the load client sent 1.6% of its requests more than 1 ms late (allowed 1.0%)");
        scenarios.set("rate", rate);
        root.with("settings").with("load").putArray("rates").add(1000.0).add(1400.0);
    }

    private Path runFolder(String id, java.util.function.Consumer<ObjectNode> edit) throws IOException {
        return runFolder(id, "/dev/predictbench/results/run-v1.json", edit);
    }

    private Path runFolder(String id, String record, java.util.function.Consumer<ObjectNode> edit) throws IOException {
        Path run = results.resolve("runs").resolve(id);
        Files.createDirectories(run.resolve("jmh"));
        ObjectNode root;
        try (InputStream in = getClass().getResourceAsStream(record)) {
            root = (ObjectNode) RunRecords.mapper().readTree(in);
        }
        root.put("runId", id);
        edit.accept(root);
        Files.writeString(run.resolve("run.json"), RunRecords.mapper().writeValueAsString(root));
        Files.writeString(run.resolve("jmh/jmh-results.json"), """
                [ { "benchmark" : "dev.predictbench.benchmarks.PipelineBenchmark.requestToResponse", "mode" : "avgt",
                    "threads" : 1, "params" : { "rows" : "1" },
                    "primaryMetric" : { "score" : 50.0, "scoreUnit" : "us/op" } } ]
                """);
        return run;
    }

    private static JsonNode embedded(String page) throws IOException {
        Matcher m = Pattern.compile("<script id=\"report-data\" type=\"application/json\">(.*?)</script>", Pattern.DOTALL).matcher(page);
        assertTrue(m.find(), "the run's data is embedded");
        return RunRecords.mapper().readTree(m.group(1));
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
