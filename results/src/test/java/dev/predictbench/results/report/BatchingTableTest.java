package dev.predictbench.results.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.predictbench.results.RunRecord;
import dev.predictbench.results.RunRecordCheck;
import dev.predictbench.results.RunRecords;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The "Dynamic batching: on vs off" section, from a hand-built record: the golden record's Javalin
 * (batching off) beside a {@code javalin+batching} subject with figures set here, so every ratio the
 * section shows can be worked out by hand.
 */
class BatchingTableTest {
    @TempDir
    Path results;

    /** The golden run with a javalin+batching subject and {@code settings.batching} both; probes of two rounds. */
    private Path bothVariants() throws IOException {
        ObjectNode run = golden();
        ((ObjectNode) run.get("settings")).put("batching", "both");
        ArrayNode stacks = (ArrayNode) run.get("stacks");
        ObjectNode off = (ObjectNode) stacks.get(0);
        ObjectNode on = off.deepCopy();
        on.put("stack", "javalin+batching");
        on.putObject("info").put("stack", "javalin").putObject("batching").put("enabled", true).put("maxBatch", 32)
                .put("maxQueueDelayMicros", 1000);
        ObjectNode tabular = (ObjectNode) on.get("workloads").get("tabular");
        // sweep c16: 2011.8 off, 3017.7 on (x1.5); SLO: 1000 off, 2500 on (x2.5)
        ((ObjectNode) tabular.get("scenarios").get("sweep").get("steps").get(1)).put("throughput", 3017.7);
        ((ObjectNode) tabular.get("scenarios").get("slo").get("slo")).put("maxRate", 2500.0);
        // one client: p50 350.5 off, 367.5 on (+4.9%); p99 700.2 off, 630.18 on (-10.0%)
        ((ObjectNode) tabular.get("probe").get("latency")).put("p50", 367.5).put("p99", 630.18).put("requests", 3000);
        probeRounds(tabular, new double[][] {{360.0, 620.0}, {375.0, 640.0}});
        probeRounds((ObjectNode) off.get("workloads").get("tabular"), new double[][] {{340.0, 690.0}, {361.0, 710.0}});
        stacks.insert(1, on);
        return write(run);
    }

    private static void probeRounds(ObjectNode workload, double[][] p50p99) {
        ArrayNode rounds = ((ObjectNode) workload.get("probe")).putArray("rounds");
        for (int i = 0; i < p50p99.length; i++) {
            rounds.addObject().put("round", i + 1).put("p50", p50p99[i][0]).put("p99", p50p99[i][1]).put("requests", 3000)
                    .put("errors", 0).put("throughput", 2500.0);
        }
    }

    @Test
    void aRunWithBothVariantsShowsOnAgainstOffPerStackAndWorkload() throws IOException {
        Path dir = bothVariants();
        RunRecord record = RunRecords.read(dir.resolve("run.json"));
        List<BatchingTable.Row> rows = BatchingTable.rows(record);

        assertEquals(1, rows.size(), "javalin on tabular: quarkus has one variant only");
        BatchingTable.Row r = rows.getFirst();
        assertEquals("javalin", r.stack());
        assertEquals(5.0, r.objectiveMillis());
        assertEquals(2.5, r.slo().ratio(), 1e-9);
        assertEquals(7985L, r.slo().off().requests(), "the requests behind the SLO result step's p99");
        assertTrue(r.slo().off().valid() && r.slo().on().valid());
        assertEquals(16, r.concurrency());
        assertEquals(1.5, r.sweep().ratio(), 1e-9);
        assertEquals(16100L, r.sweep().on().requests());
        assertEquals(367.5 / 350.5, r.p50().ratio(), 1e-9);
        assertEquals(0.9, r.p99().ratio(), 1e-9);
        // A/A spread = (max - min) / median of the subject's rounds
        assertEquals(21.0 / 350.5, r.p50().offSpread(), 1e-9);
        assertEquals(15.0 / 367.5, r.p50().onSpread(), 1e-9);
        assertEquals(20.0 / 700.0, r.p99().offSpread(), 1e-9);
        assertEquals(32, r.batchSettings().get("maxBatch"));

        Report.write(dir, results);
        String md = Files.readString(dir.resolve(Report.MARKDOWN));
        assertTrue(md.contains("\n## Dynamic batching: on vs off\n"), md);
        assertTrue(md.contains("batching: JVM stacks (the shared inference module)"), md);
        assertTrue(md.contains("### tabular: javalin (objective p99 <= 5 ms)"), md);
        assertTrue(md.contains("| SLO-bounded throughput (req/s) | 1,000 VALID (n=7,985) | 2,500 VALID (n=7,985) | 2.50x |"), md);
        assertTrue(md.contains("| sweep throughput at c16 (req/s) | 2,012 VALID (n=16,100) | 3,018 VALID (n=16,100) | 1.50x |"), md);
        assertTrue(md.contains("| one-client p50 (us) | 350.5 VALID | 367.5 VALID (n=3,000) | +4.9% | 6.0% over 2 rounds "
                + "| 4.1% over 2 rounds |"), md);
        assertTrue(md.contains("| one-client p99 (us) | 700.2 VALID | 630.2 VALID (n=3,000) | -10.0% | 2.9% over 2 rounds"),
                md);
        assertTrue(md.contains("Batch settings (GET /info): enabled true, maxBatch 32, maxQueueDelayMicros 1000"), md);
        // The comparison table keeps one column per stack: javalin's batching-off subject, and says so.
        String table = md.substring(0, md.indexOf("## How each verdict is derived"));
        assertTrue(table.contains("| | javalin | quarkus |"), table);
        assertFalse(table.contains("javalin+batching |"), table);
        assertTrue(table.contains("**Batching**: javalin were measured with batching off and on; each column is the batching-off "
                + "subject"), table);
        String page = Files.readString(dir.resolve(Report.HTML));
        assertTrue(page.contains("<section id=\"batching\">"), "the report has the section");
    }

    @Test
    void aRunWithOneVariantHasNoSection() throws IOException {
        Path dir = write(golden());
        RunRecord record = RunRecords.read(dir.resolve("run.json"));
        assertTrue(BatchingTable.rows(record).isEmpty());
        assertNull(record.settings().batching(), "records made before the setting: batching off");
        assertEquals(List.of("javalin", "quarkus"), record.settings().subjects());
        Report.write(dir, results);
        String md = Files.readString(dir.resolve(Report.MARKDOWN));
        assertFalse(md.contains("Dynamic batching"), md);
        assertFalse(md.contains("**Batching**"), md);
        assertTrue(md.contains("| | javalin | quarkus |"), md);
    }

    @Test
    void aRunWithBatchingOnOnlyHasNoSectionAndItsSubjectsAreExpected() throws IOException {
        ObjectNode run = golden();
        ((ObjectNode) run.get("settings")).put("batching", "on");
        for (var s : run.get("stacks")) {
            ((ObjectNode) s).put("stack", s.get("stack").asText() + "+batching");
        }
        Path dir = write(run);
        RunRecord record = RunRecords.read(dir.resolve("run.json"));
        assertEquals(List.of("javalin+batching", "quarkus+batching"), record.settings().subjects());
        assertTrue(BatchingTable.rows(record).isEmpty());
        List<String> problems = RunRecordCheck.check(dir.resolve("run.json"));
        assertTrue(problems.stream().noneMatch(p -> p.contains("stack ") && p.contains(" missing")),
                "the shape check expects the subjects the settings name: " + problems);
    }

    @Test
    void aBothRunMissingASubjectFailsTheShapeCheck() throws IOException {
        ObjectNode run = golden();
        ((ObjectNode) run.get("settings")).put("batching", "both");
        Path dir = write(run);
        assertTrue(RunRecordCheck.check(dir.resolve("run.json")).contains("stack javalin+batching missing"),
                RunRecordCheck.check(dir.resolve("run.json")).toString());
    }

    private ObjectNode golden() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/dev/predictbench/results/run-v1.json")) {
            return (ObjectNode) RunRecords.mapper().readTree(in);
        }
    }

    private Path write(ObjectNode run) throws IOException {
        Path dir = results.resolve("runs").resolve("20260101T000000Z-abcdef123456");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("run.json"), RunRecords.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(run));
        return dir;
    }
}
