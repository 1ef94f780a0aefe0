package dev.predictbench.results.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
                ready, 150L << 20, rssPeak, 0.2, 1000.0, 1, 0.5, "JMH CeilingBenchmark.requestToResponse {workload=tabular}", openapi, glue, genai, Map.of("/embed", 404), List.of(), "run record",
                Figures.Invalid.NONE, null, null);
    }

    /** The same figures with some components replaced by name ({@code invalid}, {@code controlDrift}, ...). */
    static Figures with(Figures f, Map<String, Object> changes) {
        try {
            java.lang.reflect.RecordComponent[] components = Figures.class.getRecordComponents();
            Object[] values = new Object[components.length];
            Class<?>[] types = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                String name = components[i].getName();
                values[i] = changes.containsKey(name) ? changes.get(name) : components[i].getAccessor().invoke(f);
            }
            return Figures.class.getDeclaredConstructor(types).newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    static Figures drift(Figures f, double drift) {
        return with(f, Map.of("controlDrift", drift, "control", "a measured again at the end of the run"));
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

    @Test
    void aCellWhoseFiguresComeFromInvalidEvidenceReadsNotMeasuredNeverAVerdict() {
        Figures a = with(figures("a", 20_000.0, 16_000.0, 3.0, "event-loop", 1.0, 10, 2000, 500L << 20, "generated", 100, List.of()),
                Map.of("invalid", new Figures.Invalid(null, "slo r16000 INVALID: did not settle", null,
                        "sweep INVALID: sweep c256 did not settle")));
        Figures b = figures("b", 10_000.0, 8_000.0, 3.0, "event-loop", 1.0, 10, 2000, 500L << 20, "generated", 100, List.of());
        Figures c = with(figures("c", 9_000.0, 7_000.0, 3.0, "event-loop", 1.0, 10, 2000, 500L << 20, "generated", 100, List.of()),
                Map.of("invalid", new Figures.Invalid(null, null, "rate r6750 p99: too few requests (n=500)", null)));
        ComparisonTable t = new ComparisonTable("tabular", List.of(a, b, c));
        assertEquals("not measured (slo r16000 INVALID: did not settle)", cell(t, "Speed", "a").verdict());
        assertEquals("not measured (sweep INVALID: sweep c256 did not settle)", cell(t, "Async support", "a").verdict());
        assertEquals("not measured (rate r6750 p99: too few requests (n=500))", cell(t, "Speed", "c").verdict());
        assertEquals("fast", cell(t, "Speed", "b").verdict(), "the best among the usable: a's 16,000 is not evidence");
        assertTrue(cell(t, "Speed", "b").evidence().contains("r = 1.00"), cell(t, "Speed", "b").evidence());
        assertTrue(cell(t, "Use-case fit", "a").evidence().contains("SLO-bounded not measured (slo r16000 INVALID"));
        assertFalse(cell(t, "Use-case fit", "a").verdict().contains("tight-SLO"));
        for (ComparisonTable.Row row : t.rows()) {
            row.cells().values().forEach(cell -> assertFalse(cell.verdict().contains("!"), row.criterion() + ": " + cell.verdict()));
        }
        String md = t.markdown("run", "bench");
        assertFalse(md.contains(" !"), md);
        assertTrue(md.contains("| SLO-bounded throughput (req/s) | not measured (slo r16000 INVALID: did not settle) | 8,000 | 7,000 |"), md);
        assertTrue(md.contains("| p99 at 75% load | 3.000 ms (n=7,985) | 3.000 ms (n=7,985) | not measured (rate r6750 p99: too few "
                + "requests (n=500)) |"), md);
    }

    @Test
    void stacksWithinTheControlsDriftAreNotSignificantlyDifferent() {
        // Drift 5%: b (7,600, r 0.76: fast) and c (7,300, r 0.73) differ by 4.1%: c is not significantly slower than b.
        List<Figures> all = List.of(
                drift(figures("a", 10_000.0, 10_000.0, 3.0, "event-loop", 1.0, 10, 2000, 500L << 20, "generated", 100, List.of()), 0.05),
                drift(figures("b", 10_000.0, 7_600.0, 3.0, "event-loop", 1.0, 10, 2000, 500L << 20, "generated", 100, List.of()), 0.05),
                drift(figures("c", 10_000.0, 7_300.0, 3.0, "event-loop", 1.0, 10, 2000, 500L << 20, "generated", 100, List.of()), 0.05),
                drift(figures("d", 10_000.0, 5_000.0, 3.0, "event-loop", 1.0, 10, 2000, 500L << 20, "generated", 100, List.of()), 0.05));
        ComparisonTable t = new ComparisonTable("tabular", all);
        assertEquals("fast", cell(t, "Speed", "b").verdict());
        assertEquals("fast", cell(t, "Speed", "c").verdict(), "within the drift of b");
        assertTrue(cell(t, "Speed", "c").evidence().contains("r = 0.73, counted as 0.76; vs b: not significant (control drift 5.0%)"),
                cell(t, "Speed", "c").evidence());
        assertTrue(cell(t, "Speed", "a").evidence().contains("r = 1.00 (control drift 5.0%)"), cell(t, "Speed", "a").evidence());
        assertEquals("medium", cell(t, "Speed", "d").verdict(), "50% below the best: beyond any drift");
        assertTrue(cell(t, "Use-case fit", "c").verdict().contains("tight-SLO") == false, "7,600 is below 80% of the best anyway");
        // Without a control the same figures rank c below b.
        ComparisonTable none = new ComparisonTable("tabular", all.stream().map(f -> with(f, nullDrift())).toList());
        assertEquals("medium", cell(none, "Speed", "c").verdict());
        assertFalse(cell(none, "Speed", "c").evidence().contains("control drift"));
        // The raw figures and the Markdown name the drift beside the ranking.
        assertTrue(t.rawRows().stream().anyMatch(r -> r.figure().startsWith("control drift") && r.values().get("c").equals("5.0%")));
        assertTrue(t.markdown("run", "bench").contains("**Control (tabular)**: a measured again at the end of the run."));
    }

    @Test
    void aStackWithinTheDriftOfTheTopEarnsTheThroughputTags() {
        // 78% of the best peak misses high-throughput (80%) alone; within 3% of b (80%: 2.6% apart), it is not significantly different.
        List<Figures> all = List.of(
                drift(figures("a", 10_000.0, null, 3.0, "event-loop", 1.0, 10, 2000, 500L << 20, "generated", 100, List.of()), 0.03),
                drift(figures("b", 8_000.0, null, 3.0, "event-loop", 1.0, 10, 2000, 500L << 20, "generated", 100, List.of()), 0.03),
                drift(figures("c", 7_800.0, null, 3.0, "event-loop", 1.0, 10, 2000, 500L << 20, "generated", 100, List.of()), 0.03));
        ComparisonTable t = new ComparisonTable("tabular", all);
        assertTrue(cell(t, "Use-case fit", "c").verdict().contains("high-throughput"), cell(t, "Use-case fit", "c").verdict());
        assertFalse(cell(new ComparisonTable("tabular", all.stream().map(f -> with(f, nullDrift())).toList()), "Use-case fit", "c")
                .verdict().contains("high-throughput"));
    }

    private static Map<String, Object> nullDrift() {
        Map<String, Object> m = new java.util.HashMap<>();
        m.put("controlDrift", null);
        m.put("control", null);
        return m;
    }
}
