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
        assertTrue(md.contains("| slo r1400 | 1,400 | 1,290 | 0.951 | 3.406 | 8.913 | 21.770 | 10,204 |"), md);
        assertTrue(md.indexOf("## Open-model steps") < md.indexOf("## Overload"), "the open-model steps before the overload");

        JsonNode open = embedded(page).path("openModel");
        assertEquals(4, open.path("rows").size());
        JsonNode r1400 = open.path("rows").get(1);
        assertEquals("rate", r1400.path("scenario").asText());
        assertEquals(10204, r1400.path("latencyRequests").asLong());
        assertEquals(8.913, r1400.path("p99").asDouble());
        assertEquals(310.2, r1400.path("scheduleLagP99Micros").asDouble());
        assertEquals("javalin/load/tabular-slo-r1400.hlog", r1400.path("histogramLog").asText());
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
            ObjectNode c16 = (ObjectNode) steps.get(0);
            c16.with("latency").put("p99", 0.2);
            ObjectNode c64 = c16.deepCopy();
            c64.put("name", "c64").put("concurrency", 64);
            c64.with("latency").put("p99", 0.8);
            steps.add(c64);
        });
        JsonNode javalin = embedded(Files.readString(Report.write(run, results))).path("figures").path("tabular").get(0);
        assertEquals(4.0, javalin.path("p99Growth").asDouble(), 1e-9);
    }

    /** The golden record with a rate scenario: its SLO steps again, at the rates settings.load.rates asks for. */
    private static void withRateScenario(ObjectNode root) {
        ObjectNode scenarios = (ObjectNode) root.path("stacks").get(0).path("workloads").path("tabular").path("scenarios");
        ObjectNode rate = scenarios.path("slo").deepCopy();
        rate.remove("slo");
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
