package dev.predictbench.results.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The verdicts follow the stated rules from the figures alone. */
class ComparisonTableTest {
    static Figures figures(String stack, Double peak, Double slo, Double p99At75, String model, double hold, double p99Growth,
                           double ready, long rssPeak, String openapi, int glue, List<String> genai) {
        double little = 16 / hold;
        return new Figures(stack, "VALID", true, peak, "c256", slo, 5.0, p99At75, 0.75, 7985L,
                "load client, 1 us (HdrHistogram, 3 significant digits)", 16, 256, hold, p99Growth, little, model,
                ready, 150L << 20, rssPeak, 0.2, 1000.0, 1, 0.5, openapi, glue, genai, Map.of("/embed", 404), List.of(), "run record");
    }

    private static ComparisonTable.Cell cell(ComparisonTable t, String row, String stack) {
        return t.rows().stream().filter(r -> r.criterion().equals(row)).findFirst().orElseThrow().cells().get(stack);
    }

    @Test
    void verdictsFollowTheRules() {
        ComparisonTable t = new ComparisonTable("tabular", List.of(
                figures("a", 10_000.0, 8_000.0, 3.0, "event-loop+workers", 1.0, 10, 2000, 500L << 20, "generated", 100,
                        List.of("chat-model API: X", "vector store: X", "RAG pipeline: X")),
                figures("b", 5_000.0, 4_000.0, 60.0, "platform-thread-pool", 0.7, 40, 6000, 700L << 20, "contract-file", 400, List.of()),
                figures("c", 4_000.0, null, 4.0, "virtual-threads", 1.0, 100, 2100, 520L << 20, "generated", 140, List.of("chat-model API: X"))));
        assertEquals("fast", cell(t, "Speed", "a").verdict());
        assertEquals("slow", cell(t, "Speed", "b").verdict(), "r = 0.5 is medium, but p99 at 75% load is over 10 x the objective");
        assertEquals("slow", cell(t, "Speed", "c").verdict(), "no rate met the objective");
        assertEquals("strong", cell(t, "Async support", "a").verdict());
        assertEquals("weak", cell(t, "Async support", "b").verdict());
        assertEquals("partial", cell(t, "Async support", "c").verdict(), "virtual threads, but p99 grew beyond queueing");
        assertEquals("native", cell(t, "LLM/GenAI friendly", "a").verdict());
        assertEquals("none", cell(t, "LLM/GenAI friendly", "b").verdict());
        assertEquals("partial", cell(t, "LLM/GenAI friendly", "c").verdict());
        assertEquals("strong", cell(t, "Docs and dev UX", "a").verdict());
        assertEquals("weak", cell(t, "Docs and dev UX", "b").verdict());
        assertEquals("strong", cell(t, "Docs and dev UX", "c").verdict());
        assertEquals("high-throughput, tight-SLO, fast-start, small-footprint, GenAI", cell(t, "Use-case fit", "a").verdict());
        assertEquals("general", cell(t, "Use-case fit", "b").verdict());
        assertEquals("LLM/RAG services; latency-bound real-time scoring", cell(t, "Ideal for", "a").verdict());
        assertEquals("general use", cell(t, "Ideal for", "b").verdict());
    }

    @Test
    void whenNoStackMetTheObjectiveSpeedRanksByPeakThroughput() {
        ComparisonTable t = new ComparisonTable("tabular", List.of(
                figures("a", 10_000.0, null, 3.0, "event-loop", 1.0, 10, 2000, 500L << 20, "generated", 100, List.of()),
                figures("b", 5_000.0, null, 3.0, "event-loop", 1.0, 10, 2000, 500L << 20, "generated", 100, List.of())));
        assertEquals("fast", cell(t, "Speed", "a").verdict());
        assertEquals("medium", cell(t, "Speed", "b").verdict());
    }

    @Test
    void theGenAiRowCarriesEachGenAiWorkloadsMeasuredSpeed() {
        List<Figures> tabular = List.of(
                figures("a", 10_000.0, 8_000.0, 3.0, "event-loop", 1.0, 10, 2000, 500L << 20, "generated", 100,
                        List.of("chat-model API: X", "vector store: X", "RAG pipeline: X")),
                figures("b", 10_000.0, 8_000.0, 3.0, "event-loop", 1.0, 10, 2000, 500L << 20, "generated", 100, List.of()));
        List<Figures> search = List.of(
                figures("a", 100.0, 50.0, 3.0, "event-loop", 1.0, 10, 2000, 500L << 20, "generated", 100, List.of()),
                figures("b", 100.0, 100.0, 3.0, "event-loop", 1.0, 10, 2000, 500L << 20, "generated", 100, List.of()));
        List<Figures> embed = List.of(
                figures("a", 300.0, null, 3.0, "event-loop", 1.0, 10, 2000, 500L << 20, "generated", 100, List.of()),
                figures("b", 200.0, null, 3.0, "event-loop", 1.0, 10, 2000, 500L << 20, "generated", 100, List.of()));
        ComparisonTable t = new ComparisonTable("tabular", tabular, Map.of("search", search, "embed", embed));
        assertEquals("native; search medium, embed fast", cell(t, "LLM/GenAI friendly", "a").verdict(),
                "search: half the best SLO-bounded rate; embed: no stack met the objective, so peak throughput ranks");
        assertEquals("none; search fast, embed medium", cell(t, "LLM/GenAI friendly", "b").verdict());
        String evidence = cell(t, "LLM/GenAI friendly", "a").evidence();
        assertTrue(evidence.contains("search: SLO-bounded 50 req/s") && evidence.contains("r = 0.50"), evidence);
        assertEquals("native", cell(new ComparisonTable("tabular", tabular), "LLM/GenAI friendly", "a").verdict(),
                "a run without GenAI workloads keeps the classpath verdict alone");
    }
}
