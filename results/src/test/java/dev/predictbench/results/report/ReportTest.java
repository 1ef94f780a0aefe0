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

    private Path runFolder(String id, java.util.function.Consumer<ObjectNode> edit) throws IOException {
        Path run = results.resolve("runs").resolve(id);
        Files.createDirectories(run.resolve("jmh"));
        ObjectNode root;
        try (InputStream in = getClass().getResourceAsStream("/dev/predictbench/results/run-v1.json")) {
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
