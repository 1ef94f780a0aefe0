package dev.predictbench.results.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.predictbench.results.RunRecord;
import dev.predictbench.results.RunRecords;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each workload's framework tax is measured against its own in-process ceiling, or reads "not measured". */
class JmhCeilingTest {
    @TempDir
    Path dir;

    /** One JMH result as the benchmarks module's pinned, warmed pass writes it. */
    private static String result(String benchmark, String params, String mode, double score, String unit, String pinned) {
        return String.format(Locale.ROOT, """
                { "benchmark" : "dev.predictbench.benchmarks.%s", "mode" : "%s", "threads" : 1, "forks" : 1,
                  "jvmArgs" : [ "-Xms512m", "-Xmx512m"%s ],
                  "warmupIterations" : 5, "warmupTime" : "2 s", "measurementIterations" : 3, "measurementTime" : "2 s",
                  "params" : { %s },
                  "primaryMetric" : { "score" : %s, "scoreUnit" : "%s" } }""",
                benchmark, mode, pinned == null ? "" : ", \"-Dpredictbench.jmh.pinnedCpus=" + pinned + "\"", params, score, unit);
    }

    private JmhCeiling read(String... results) throws IOException {
        Path file = dir.resolve("jmh-results.json");
        Files.writeString(file, "[" + String.join(",\n", results) + "]");
        return JmhCeiling.read(file);
    }

    /** Every benchmark an -Pjmh run writes that could be mistaken for a ceiling, plus the three ceilings. */
    private static final List<String> FULL_PASS = List.of(
            result("PipelineBenchmark.requestToResponse", "\"rows\" : \"1\"", "avgt", 20.0, "us/op", "0"),
            result("PipelineBenchmark.requestToResponse", "\"rows\" : \"64\"", "avgt", 300.0, "us/op", "0"),
            result("EmbeddingBenchmark.embed", "\"text\" : \"query\"", "avgt", 4000.0, "us/op", "0"),
            result("NearestNeighbourBenchmark.top5", "", "avgt", 9000.0, "us/op", "0"),
            result("CeilingBenchmark.requestToResponse", "\"workload\" : \"search\"", "thrpt", 60.0, "ops/s", "0"),
            result("CeilingBenchmark.requestToResponse", "\"workload\" : \"tabular\"", "thrpt", 90000.0, "ops/s", "0"),
            result("CeilingBenchmark.requestToResponse", "\"workload\" : \"embed\"", "thrpt", 170.0, "ops/s", "0"));

    @Test
    void eachWorkloadGetsItsOwnCeilingBenchmark() throws IOException {
        JmhCeiling jmh = read(FULL_PASS.toArray(String[]::new));
        assertEquals(7, jmh.results().size());
        for (var expected : List.of(List.of("tabular", 90000.0), List.of("embed", 170.0), List.of("search", 60.0))) {
            String workload = (String) expected.get(0);
            JmhCeiling.Ceiling ceiling = jmh.ceiling(workload);
            assertEquals(workload, ceiling.workload());
            assertTrue(ceiling.result().benchmark().endsWith(".CeilingBenchmark.requestToResponse"));
            assertEquals(workload, ceiling.result().params().get("workload"));
            assertEquals((Double) expected.get(1), ceiling.opsPerSecondPerThread(), 1e-9);
        }
        JmhCeiling.Ceiling embed = jmh.ceiling("embed");
        assertEquals("0", embed.result().pinnedCpus());
        assertEquals("JMH CeilingBenchmark.requestToResponse {workload=embed} = 170 requests/s on one thread; "
                + "pinned to CPU 0; warm-up 5 x 2 s, measured 3 x 2 s, 1 fork", embed.description());
    }

    @Test
    void aPythonStacksCeilingIsThePythonTimingOfTheSameRequestAndNeverAJvmOne() throws IOException {
        String python = """
                { "benchmark" : "predictbench_python.ceiling.request_to_response", "mode" : "thrpt", "threads" : 1, "forks" : 1,
                  "jvmArgs" : [ "-Dpredictbench.jmh.pinnedCpus=0" ],
                  "warmupIterations" : 3, "warmupTime" : "2 s", "measurementIterations" : 3, "measurementTime" : "2 s",
                  "params" : { "workload" : "tabular" },
                  "primaryMetric" : { "score" : 12000.0, "scoreUnit" : "ops/s" } }""";
        List<String> all = new java.util.ArrayList<>(FULL_PASS);
        all.add(python);
        JmhCeiling jmh = read(all.toArray(String[]::new));
        assertEquals(90000.0, jmh.ceiling("tabular").opsPerSecondPerThread(), 1e-9, "the JVM stacks keep JMH's");
        assertEquals(90000.0, jmh.ceiling("tabular", false).opsPerSecondPerThread(), 1e-9);
        JmhCeiling.Ceiling py = jmh.ceiling("tabular", true);
        assertEquals(12000.0, py.opsPerSecondPerThread(), 1e-9);
        assertTrue(py.description().startsWith("Python in-process"), py.description());
        assertNull(jmh.ceiling("embed", true), "no Python timing of embed: no Python ceiling, never the JVM's");
        assertNull(read(python).ceiling("tabular"), "the Python timing is never a JVM stack's ceiling");
    }

    @Test
    void aMissingWorkloadHasNoCeilingNeverAnotherWorkloads() throws IOException {
        JmhCeiling jmh = read(FULL_PASS.stream().filter(r -> !r.contains("\"search\"")).toArray(String[]::new));
        assertNull(jmh.ceiling("search"));
        assertEquals("not measured (no in-process ceiling for search)", JmhCeiling.notMeasured("search"));
        assertEquals(170.0, jmh.ceiling("embed").opsPerSecondPerThread(), 1e-9);
        assertNull(read().ceiling("tabular"), "no JMH results, no ceiling");
    }

    @Test
    void anOlderPassFallsBackToThePipelineForTabularOnlyAndSaysItWasNotPinned() throws IOException {
        // What -Pbench wrote before the ceilings: the pipeline and the embedding model, unpinned, one 1 s warm-up.
        JmhCeiling jmh = read(FULL_PASS.stream().filter(r -> !r.contains("CeilingBenchmark"))
                .map(r -> r.replace(", \"-Dpredictbench.jmh.pinnedCpus=0\"", "")).toArray(String[]::new));
        JmhCeiling.Ceiling tabular = jmh.ceiling("tabular");
        assertTrue(tabular.result().benchmark().endsWith(".PipelineBenchmark.requestToResponse"));
        assertEquals("1", tabular.result().params().get("rows"));
        assertEquals(50_000.0, tabular.opsPerSecondPerThread(), 1e-6);
        assertTrue(tabular.description().contains("not pinned"), tabular.description());
        assertNull(jmh.ceiling("embed"), "EmbeddingBenchmark.embed is the model alone, not the /embed request");
        assertNull(jmh.ceiling("search"));
    }

    @Test
    void theTaxOfAWorkloadWithoutACeilingReadsNotMeasuredInTheFiguresAndTheReport() throws IOException {
        Path run = runFolder(FULL_PASS.stream().filter(r -> !r.contains("\"embed\"")).toList());
        RunRecord record = RunRecords.read(run.resolve("run.json"));
        JmhCeiling jmh = JmhCeiling.read(run.resolve("jmh/jmh-results.json"));
        RunRecord.StackResult javalin = record.stacks().getFirst();

        Figures tabular = Figures.of(record, javalin, "tabular", jmh, null, null);
        // The golden record's peak is 2011.8 req/s on one server CPU ("0").
        assertEquals(2011.8 / 90000.0, tabular.frameworkTax(), 1e-9);
        assertEquals(jmh.ceiling("tabular").description(), tabular.frameworkTaxCeiling());

        Figures embed = Figures.of(record, javalin, "embed", jmh, null, null);
        assertTrue(embed.measured());
        assertNull(embed.frameworkTax(), "no embed ceiling: no tax, and never tabular's");
        assertEquals("not measured (no in-process ceiling for embed)", embed.frameworkTaxCeiling());

        Report.write(run, dir);
        String md = Files.readString(run.resolve(Report.MARKDOWN));
        assertTrue(md.contains("\n- tabular: JMH CeilingBenchmark.requestToResponse {workload=tabular} = 90,000 requests/s on "
                + "one thread; pinned to CPU 0; warm-up 5 x 2 s, measured 3 x 2 s, 1 fork\n"), md);
        assertTrue(md.contains("\n- embed: not measured (no in-process ceiling for embed)\n"), md);
        assertTrue(md.contains("| framework tax (HTTP/core / in-process/thread) | 0.02 | - |"), md);
        assertFalse(md.contains("PipelineBenchmark"), "the pipeline is not a ceiling when the pass has CeilingBenchmark");
    }

    @Test
    void aGenAiWorkloadsTaxIsListedWithItsOwnCeiling() throws IOException {
        Path run = runFolder(FULL_PASS);
        Report.write(run, dir);
        String md = Files.readString(run.resolve(Report.MARKDOWN));
        // embed's peak is the copied tabular sweep's, 2011.8 req/s: 2011.8 / 170 against embed's own ceiling.
        assertTrue(md.contains("\n- embed: JMH CeilingBenchmark.requestToResponse {workload=embed} = 170 requests/s on one "
                + "thread; pinned to CPU 0; warm-up 5 x 2 s, measured 3 x 2 s, 1 fork; tax javalin "
                + String.format(Locale.ROOT, "%.2f", 2011.8 / 170) + "\n"), md);
    }

    /** The golden record with its tabular measurements copied as an embed workload, and the given JMH results. */
    private Path runFolder(List<String> jmhResults) throws IOException {
        Path run = dir.resolve("runs").resolve("20260101T000000Z-abcdef123456");
        Files.createDirectories(run.resolve("jmh"));
        ObjectNode root;
        try (InputStream in = getClass().getResourceAsStream("/dev/predictbench/results/run-v1.json")) {
            root = (ObjectNode) RunRecords.mapper().readTree(in);
        }
        root.put("runId", run.getFileName().toString());
        ObjectNode workloads = (ObjectNode) root.path("stacks").get(0).path("workloads");
        workloads.set("embed", workloads.path("tabular").deepCopy());
        ((ObjectNode) workloads.path("embed")).put("endpoint", "/embed");
        Files.writeString(run.resolve("run.json"), RunRecords.mapper().writeValueAsString(root));
        Files.writeString(run.resolve("jmh/jmh-results.json"), "[" + String.join(",\n", jmhResults) + "]");
        return run;
    }
}
