package dev.predictbench.results.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.predictbench.results.RunFolder;
import dev.predictbench.results.RunRecord;
import dev.predictbench.results.RunRecords;
import dev.predictbench.results.Subjects;
import dev.predictbench.results.probe.GenAiScan;
import dev.predictbench.results.probe.GlueCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writes a run folder's {@code index.html} (one self-contained file: the versioned template, the
 * charts library inlined, the run record and the figures derived from it embedded as JSON) and
 * {@code comparison.md}, and points {@code results/latest} at the newest complete run.
 *
 * <p>{@code java ... Report [run folder | run.json | results/runs] [--root <checkout>]} (default: the
 * newest complete run under {@code results/runs}). The checkout is where the report probes server
 * modules a record has no probes for (glue lines, the GenAI classpath); exit 0, or 1 when the run
 * cannot be read.
 */
public final class Report {
    /** The template's version: bump it with any change of the data the template reads. */
    public static final String TEMPLATE = "report-v1.html";
    static final String ECHARTS = "/META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js";
    public static final String HTML = "index.html";
    public static final String MARKDOWN = "comparison.md";

    private Report() {
    }

    public static void main(String[] args) throws IOException {
        Path target = Path.of("results/runs");
        Path root = Path.of("").toAbsolutePath();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--root") && i + 1 < args.length) {
                root = Path.of(args[++i]);
            } else {
                target = Path.of(args[i]);
            }
        }
        Path record = newestRecord(target);
        Path html = write(record.getParent(), root);
        System.out.println("Report:     " + html);
        System.out.println("Comparison: " + html.resolveSibling(MARKDOWN));
    }

    /**
     * What the runner calls at the end of a run: writes the report and prints where it is. A report
     * that fails is reported and never fails the run (the record is already safe).
     */
    public static void writeAndAnnounce(Path runDir, Path root, PrintStream out) {
        try {
            Path html = write(runDir, root);
            out.println("Comparison: " + html.resolveSibling(MARKDOWN));
            out.println("Report:     " + html + "  (open it in a browser; results/latest points at the newest run)");
        } catch (IOException | RuntimeException e) {
            out.println("predict-bench: the report could not be written: " + e + " (run.json is complete; "
                    + "retry with scripts/report " + runDir + ")");
        }
    }

    /** Writes index.html and comparison.md into the run folder; returns the HTML's path. */
    public static Path write(Path runDir, Path root) throws IOException {
        RunRecord run = RunRecords.read(runDir.resolve(RunFolder.RECORD));
        JsonNode tree = RunRecords.mapper().readTree(runDir.resolve(RunFolder.RECORD).toFile());
        JmhCeiling jmh = JmhCeiling.read(run.jmh() == null || run.jmh().results() == null ? null
                : runDir.resolve(run.jmh().results()));
        Map<String, List<Figures>> figures = new LinkedHashMap<>();
        for (String workload : workloadNames(run)) {
            figures.put(workload, figures(run, workload, jmh, root));
        }
        String primary = Figures.primaryWorkload(run);
        Map<String, List<Figures>> genai = new LinkedHashMap<>();
        ComparisonTable.GENAI_WORKLOADS.stream().filter(figures::containsKey).forEach(w -> genai.put(w, columns(run, figures.get(w))));
        List<String> both = bothVariants(run);
        ComparisonTable table = new ComparisonTable(primary,
                columns(run, figures.getOrDefault(primary, figures(run, primary, jmh, root))), genai, both.isEmpty() ? List.of()
                : List.of("**Batching**: " + String.join(", ", both) + " were measured with batching off and on; each column is "
                        + "the batching-off subject (one column per stack). On against off: \"" + BatchingTable.TITLE + "\"."))
                .withLlmAsync(LlmTable.asyncCells(run));
        // An incomplete run says so first; the run's conduct, every step's validity and health, the open-model steps'
        // and the overload scenario's tables follow the comparison table (not part of it).
        String banner = ConductTable.banner(run);
        Map<String, List<Figures>> byColumn = new LinkedHashMap<>();
        figures.forEach((w, f) -> byColumn.put(w, columns(run, f)));
        List<ArticleTable.Mark> article = ArticleTable.marks(primary, byColumn, run);
        String markdown = table.markdown(run.runId(), run.profile(), banner == null ? List.of() : List.of("> **" + banner + "**"))
                + ArticleTable.markdown(article) + LlmTable.markdown(run) + BatchingTable.markdown(run) + ConductTable.markdown(run) + StepTable.markdown(run) + OpenModelTable.markdown(run) + OverloadTable.markdown(run);
        writeAtomically(runDir.resolve(MARKDOWN), markdown);

        ObjectNode data = RunRecords.mapper().createObjectNode();
        data.put("template", TEMPLATE);
        data.put("generatedAt", Instant.now().toString());
        data.set("run", tree);
        data.set("figures", RunRecords.mapper().valueToTree(figures));
        ObjectNode comparison = data.putObject("comparison");
        comparison.put("workload", primary);
        comparison.set("stacks", RunRecords.mapper().valueToTree(table.stacks()));
        comparison.set("rows", RunRecords.mapper().valueToTree(table.rows()));
        comparison.set("raw", RunRecords.mapper().valueToTree(table.rawRows()));
        comparison.set("rules", RunRecords.mapper().valueToTree(table.rules()));
        ObjectNode llmNode = data.putObject("llm");
        llmNode.put("title", LlmTable.TITLE);
        llmNode.set("rows", RunRecords.mapper().valueToTree(LlmTable.rows(run)));
        comparison.set("controls", RunRecords.mapper().valueToTree(table.controls()));
        comparison.set("notes", RunRecords.mapper().valueToTree(table.notes()));
        ObjectNode articleNode = data.putObject("article");
        articleNode.put("quote", ArticleTable.QUOTE);
        articleNode.set("columns", RunRecords.mapper().valueToTree(ArticleTable.COLUMNS));
        articleNode.set("rows", RunRecords.mapper().valueToTree(ArticleTable.ROWS));
        articleNode.set("marks", RunRecords.mapper().valueToTree(article));
        ObjectNode batching = data.putObject("batching");
        batching.put("title", BatchingTable.TITLE);
        batching.put("scope", BatchingTable.SCOPE);
        batching.put("sources", BatchingTable.sources());
        batching.set("rows", RunRecords.mapper().valueToTree(BatchingTable.rows(run)));
        data.put("banner", banner);
        data.set("conduct", RunRecords.mapper().valueToTree(ConductTable.of(run)));
        ObjectNode steps = data.putObject("steps");
        steps.set("rows", RunRecords.mapper().valueToTree(StepTable.rows(run)));
        steps.set("warmups", RunRecords.mapper().valueToTree(StepTable.warmups(run)));
        List<OpenModelTable.Row> openModel = OpenModelTable.rows(run);
        ObjectNode open = data.putObject("openModel");
        open.set("rows", RunRecords.mapper().valueToTree(openModel));
        open.set("sources", RunRecords.mapper().valueToTree(OpenModelTable.sources(openModel)));
        ObjectNode jmhNode = data.putObject("jmh");
        jmhNode.set("results", RunRecords.mapper().valueToTree(jmh.results()));
        // Each workload's framework-tax ceiling (JmhCeiling.SOURCES), by workload; absent workloads have none.
        jmhNode.set("ceilings", RunRecords.mapper().valueToTree(jmh.ceilings()));
        jmhNode.set("pythonCeilings", RunRecords.mapper().valueToTree(jmh.pythonCeilings()));
        ArrayNode files = data.putArray("files");
        for (String f : List.of(RunFolder.RECORD, MARKDOWN)) {
            files.add(f);
        }
        Path html = runDir.resolve(HTML);
        writeAtomically(html, html(RunRecords.mapper().writeValueAsString(data)));
        pointLatest(runDir);
        return html;
    }

    /** The template with the charts library and the data in place. */
    static String html(String json) throws IOException {
        String template = resource("/dev/predictbench/results/report/" + TEMPLATE);
        // Inside <script>, only "</script" and "<!--" can end or confuse the element: escape every "<".
        String data = json.replace("<", "\\u003c");
        String charts = resource(ECHARTS).replace("</script", "<\\/script");
        int at = template.indexOf("/*@ECHARTS@*/");
        String withCharts = template.substring(0, at) + charts + template.substring(at + "/*@ECHARTS@*/".length());
        at = withCharts.indexOf("/*@DATA@*/");
        return withCharts.substring(0, at) + data + withCharts.substring(at + "/*@DATA@*/".length());
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = Report.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing resource " + name + " (is org.webjars.npm:echarts on the classpath?)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * The comparison table's columns: one per stack. Where a stack was measured both with batching
     * and without, its batching-off subject stands for it.
     */
    static List<Figures> columns(RunRecord run, List<Figures> all) {
        List<String> both = bothVariants(run);
        return all.stream().filter(f -> !(Subjects.batching(f.stack()) && both.contains(Subjects.stack(f.stack())))).toList();
    }

    /** The stacks the run measured both with batching and without. */
    static List<String> bothVariants(RunRecord run) {
        List<String> ids = run.stacks() == null ? List.of() : run.stacks().stream().map(RunRecord.StackResult::stack).toList();
        return ids.stream().filter(Subjects::batching).map(Subjects::stack).filter(ids::contains).toList();
    }

    /** Every workload any stack measured, the settings' order first: names are not known in advance. */
    static List<String> workloadNames(RunRecord run) {
        Set<String> names = new LinkedHashSet<>();
        for (RunRecord.StackResult s : run.stacks() == null ? List.<RunRecord.StackResult>of() : run.stacks()) {
            if (s.workloads() != null) {
                names.addAll(s.workloads().keySet());
            }
        }
        List<String> ordered = new ArrayList<>();
        if (run.settings() != null && run.settings().workloads() != null) {
            run.settings().workloads().stream().filter(names::contains).forEach(ordered::add);
        }
        names.stream().filter(n -> !ordered.contains(n)).sorted().forEach(ordered::add);
        return ordered;
    }

    private static List<Figures> figures(RunRecord run, String workload, JmhCeiling jmh, Path root) {
        List<Figures> list = new ArrayList<>();
        for (RunRecord.StackResult s : run.stacks()) {
            RunRecord.Probes probes = s.probes();
            String source = "run record";
            if (probes == null) {
                probes = probeCheckout(root, Subjects.stack(s.stack()));
                source = probes == null ? null : "checkout at report time (openapi needs a live server)";
            }
            list.add(Figures.of(run, s, workload, jmh, probes, source));
        }
        return list;
    }

    /** For records without probes: what can be probed without a server (glue lines, the GenAI classpath). */
    static RunRecord.Probes probeCheckout(Path root, String stack) {
        Path module = root == null ? null : root.resolve("servers").resolve(stack);
        if (module == null || !Files.isDirectory(module.resolve("src/main/java"))) {
            return null;
        }
        GlueCode glue = GlueCode.of(module);
        List<String> genai = null;
        Map<String, String> sources = new LinkedHashMap<>();
        sources.put("glueLines", GlueCode.SOURCE + " (checkout at report time)");
        try {
            Path jar = GenAiScan.runnableJar(module);
            if (jar != null) {
                genai = GenAiScan.scan(jar);
                sources.put("genai", GenAiScan.SOURCE + " (" + root.relativize(jar) + " at report time)");
            }
        } catch (IOException e) {
            sources.put("genai", "not scanned: " + e.getMessage());
        }
        return new RunRecord.Probes(null, null, glue.lines(), glue.files(), genai, null, sources);
    }

    /**
     * Points {@code results/latest} (beside {@code results/runs}) at the newest complete run: a
     * relative symlink, replaced atomically; where links are not possible, a folder with an
     * index.html that redirects. A report for an older run leaves it alone.
     */
    static void pointLatest(Path runDir) throws IOException {
        Path runs = runDir.toAbsolutePath().getParent();
        if (runs == null || !runs.getFileName().toString().equals("runs")) {
            return;
        }
        Path newest = newestRun(runs);
        if (newest == null || !newest.getFileName().equals(runDir.toAbsolutePath().getFileName())) {
            return;
        }
        Path latest = runs.resolveSibling("latest");
        Path target = Path.of("runs").resolve(newest.getFileName());
        try {
            Path tmp = runs.resolveSibling(".latest-" + ProcessHandle.current().pid());
            Files.deleteIfExists(tmp);
            Files.createSymbolicLink(tmp, target);
            if (Files.isDirectory(latest) && !Files.isSymbolicLink(latest)) {
                deleteRedirect(latest);
            }
            Files.move(tmp, latest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (UnsupportedOperationException | IOException e) {
            if (Files.isSymbolicLink(latest)) {
                Files.delete(latest);
            }
            Files.createDirectories(latest);
            writeAtomically(latest.resolve(HTML), "<!doctype html><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" "
                    + "content=\"0; url=../runs/" + newest.getFileName() + "/index.html\"><a href=\"../runs/"
                    + newest.getFileName() + "/index.html\">the newest run</a>\n");
        }
    }

    private static void deleteRedirect(Path latest) throws IOException {
        Files.deleteIfExists(latest.resolve(HTML));
        Files.delete(latest);
    }

    /** The newest complete run folder (names sort by time), or null. */
    static Path newestRun(Path runs) throws IOException {
        if (!Files.isDirectory(runs)) {
            return null;
        }
        try (Stream<Path> list = Files.list(runs)) {
            return list.filter(RunRecords::finished)
                    .max(Comparator.comparing(p -> p.getFileName().toString())).orElse(null);
        }
    }

    /** A run.json, a run folder, or a runs folder (its newest complete run). */
    public static Path newestRecord(Path target) throws IOException {
        if (Files.isRegularFile(target)) {
            return target;
        }
        if (Files.isRegularFile(target.resolve(RunFolder.RECORD))) {
            return target.resolve(RunFolder.RECORD);
        }
        Path newest = newestRun(target);
        if (newest == null) {
            throw new IOException("no complete run under " + target);
        }
        return newest.resolve(RunFolder.RECORD);
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, text);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
