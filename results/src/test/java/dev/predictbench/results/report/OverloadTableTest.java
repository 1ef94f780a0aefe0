package dev.predictbench.results.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictbench.results.RunRecord;
import dev.predictbench.results.RunRecords;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The overload scenario in comparison.md and in the report, from the golden record's figures. */
class OverloadTableTest {
    @TempDir
    Path results;

    private Path runFolder(String golden) throws IOException {
        Path run = results.resolve("runs").resolve("20260101T000000Z-abcdef123456");
        Files.createDirectories(run);
        try (InputStream in = getClass().getResourceAsStream(golden)) {
            Files.write(run.resolve("run.json"), in.readAllBytes());
        }
        return run;
    }

    @Test
    void theOverloadTableCarriesTheRecordsFigures() throws IOException {
        Path run = runFolder("/dev/predictbench/results/run-v1.json");
        Path html = Report.write(run, results);
        String md = Files.readString(run.resolve(Report.MARKDOWN));
        assertTrue(md.contains("\n## Overload\n"), md);
        // 12000 offered (800 really sent per second), 12000 sent, 5200 served of 12000 = 43.3%, p99 4 ms,
        // 6700 x 503, 60 timeouts, 40 connection errors, 260 MB peak = 248 MiB, unloaded p99 700.2 us, recovered in 812.5 ms
        // (shown as 813) after a 310 ms drain.
        assertTrue(md.contains("| javalin | tabular | VALID | 12,000 (800) | 12000 | 43.3% | 4 | 6700 | 0 | 0 | 0 | 60 | 40 | 248 | yes | 700 | 813 ms (310) |"),
                md);
        assertTrue(md.contains("2 x each stack's sweep peak for 15 s"), md);
        String page = Files.readString(html);
        assertTrue(page.contains("<section id=\"overload\">"), "the report has an Overload section");
        assertTrue(page.contains("\"servedShare\" : 0.4333") || page.contains("\"servedShare\":0.4333"), "its figures come from the record");
    }

    @Test
    void aRecordWithoutTheScenarioHasNoOverloadTable() throws IOException {
        Path run = runFolder("/dev/predictbench/results/run-v1-before-overload.json");
        Report.write(run, results);
        RunRecord record = RunRecords.read(run.resolve("run.json"));
        assertEquals(0, OverloadTable.rows(record).size());
        assertFalse(Files.readString(run.resolve(Report.MARKDOWN)).contains("## Overload"));
    }
}
