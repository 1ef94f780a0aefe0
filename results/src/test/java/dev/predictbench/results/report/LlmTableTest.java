package dev.predictbench.results.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictbench.results.RunRecord;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LlmTableTest {
    @Test
    void asyncVerdictsComeFromTheStreamsHeldAgainstTheBestStack() {
        RunRecord run = ArticleTableTest.llm(
                new Object[] {"javalin", "platform", 256, "JDK"}, new Object[] {"javalin", "virtual", 1024, "JDK"},
                new Object[] {"helidon-se", "virtual", 1024, "Helidon WebClient"},
                new Object[] {"flask", "sync", 16, "httpx"}, new Object[] {"flask", "gthread", 64, "httpx"},
                new Object[] {"spring-boot", "platform", 256, "RestClient"});
        Map<String, ComparisonTable.Cell> cells = LlmTable.asyncCells(run);
        assertEquals("strong (by setup: virtual)", cells.get("javalin").verdict(), cells.get("javalin").evidence());
        assertEquals("strong (native)", cells.get("helidon-se").verdict());
        assertEquals("weak (by setup: gthread)", cells.get("flask").verdict(), "64 / 1024 = 0.06");
        assertEquals("partial (native)", cells.get("spring-boot").verdict(), "256 / 1024 = 0.25");
        assertTrue(cells.get("javalin").evidence().contains("platform (default): 256 streams held"), cells.get("javalin").evidence());
    }

    @Test
    void noStreamHeldIsWeakAndNoStepIsNotMeasured() {
        RunRecord.LlmResult failed = new RunRecord.LlmResult("quarkus", "blocking", true, RunRecord.Status.INVALID,
                List.of("failed to start: boom"), null, null, List.of(), null, null, "log");
        RunRecord base = ArticleTableTest.llm(new Object[] {"javalin", "platform", 64, "JDK"}, new Object[] {"flask", "sync", null, "httpx"});
        List<RunRecord.LlmResult> results = new java.util.ArrayList<>(base.llm().results());
        results.add(failed);
        RunRecord run = new RunRecord(1, "id", null, null, "bench", null, null, null, List.of(), null,
                new RunRecord.Llm(null, List.of(16, 64), null, null, "jdk", results, Map.of()));
        Map<String, ComparisonTable.Cell> cells = LlmTable.asyncCells(run);
        assertEquals("weak", cells.get("flask").verdict(), cells.get("flask").evidence());
        assertTrue(cells.get("quarkus").verdict().startsWith("not measured (failed to start"), cells.get("quarkus").verdict());
        assertTrue(LlmTable.markdown(run).contains("| quarkus | blocking (default) | not measured |"), LlmTable.markdown(run));
    }

    @Test
    void aRunWithoutTheWorkloadKeepsTheSweepRule() {
        RunRecord run = new RunRecord(1, "id", null, null, "bench", null, null, null, List.of(), null);
        assertTrue(LlmTable.asyncCells(run).isEmpty());
        assertEquals("", LlmTable.markdown(run));
        ComparisonTable table = new ComparisonTable("tabular", List.of()).withLlmAsync(LlmTable.asyncCells(run));
        assertEquals(ComparisonTable.RULES, table.rules());
    }
}
