package dev.predictbench.results.report;

import static dev.predictbench.results.report.ComparisonTableTest.drift;
import static dev.predictbench.results.report.ComparisonTableTest.figures;
import static dev.predictbench.results.report.ComparisonTableTest.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArticleTableTest {
    private static final List<String> NO_GENAI = List.of();
    private static final List<String> LANGCHAIN_CAPS = List.of("AI services / tools: LangChain", "vector store: LangChain",
            "local embedding model: LangChain Embeddings");

    private static Figures javalin(double peak, double slo) {
        return figures("javalin", peak, slo, 1.0, "platform-thread-pool", 0.95, 10, 500, 300L << 20, "contract-file", 200, NO_GENAI);
    }

    private static Figures flask(double peak, double slo, int glue, double ready) {
        return figures("flask", peak, slo, 1.0, "worker-processes", 0.8, 40, ready, 400L << 20, "contract-file", glue, NO_GENAI);
    }

    private static Figures fastapi(double peak, double slo, double hold, double p99Growth) {
        return figures("fastapi", peak, slo, 1.0, "worker-processes+event-loop+thread-pool", hold, p99Growth, 900, 500L << 20,
                "generated", 150, NO_GENAI);
    }

    private static Figures langchain(double peak, double slo) {
        return with(figures("langchain", peak, slo, 1.0, "worker-processes+event-loop+thread-pool", 0.95, 10, 1200, 600L << 20,
                "generated", 180, LANGCHAIN_CAPS), Map.of("genaiEndpoints", Map.of("/embed", 400, "/search", 400)));
    }

    /** A run whose llm workload held these streams: stack, variant (the first of a stack is its default), held, client. */
    static dev.predictbench.results.RunRecord llm(Object[]... variants) {
        List<dev.predictbench.results.RunRecord.LlmResult> results = new java.util.ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Object[] v : variants) {
            String stack = (String) v[0];
            Integer held = (Integer) v[2];
            dev.predictbench.results.RunRecord.LlmStep step = new dev.predictbench.results.RunRecord.LlmStep(16,
                    dev.predictbench.results.RunRecord.Status.VALID, List.of(), held != null, 10, 100, Map.of(), 10, null, null,
                    null, 20, 1L << 28, 0.5, null, "h.hlog");
            results.add(new dev.predictbench.results.RunRecord.LlmResult(stack, (String) v[1], seen.add(stack),
                    dev.predictbench.results.RunRecord.Status.VALID, List.of(), "model", Map.of("client", v[3]), List.of(step),
                    held, null, "log"));
        }
        dev.predictbench.results.RunRecord.Llm llm = new dev.predictbench.results.RunRecord.Llm(null, List.of(16, 64, 256, 1024),
                null, null, "jdk", results, Map.of());
        return new dev.predictbench.results.RunRecord(1, "id", null, null, "bench", null, null, null, List.of(), null, llm);
    }

    private static ArticleTable.Mark mark(List<ArticleTable.Mark> marks, String stack, String row) {
        return marks.stream().filter(m -> m.stack().equals(stack) && m.row().equals(row)).findFirst().orElseThrow();
    }

    @Test
    void everyClaimIsMarkedByItsCriterion() {
        List<Figures> tabular = List.of(javalin(1000, 800), flask(500, 400, 120, 700), fastapi(950, 760, 0.95, 10),
                langchain(700, 500));
        List<Figures> embed = List.of(javalin(100, 80), fastapi(90, 70, 0.95, 10), langchain(88, 70));
        List<ArticleTable.Mark> marks = ArticleTable.marks("tabular", Map.of("tabular", tabular, "embed", embed), llm(
                new Object[] {"javalin", "platform", 256, "JDK HttpClient"}, new Object[] {"javalin", "virtual", 1024, "JDK HttpClient"},
                new Object[] {"flask", "sync", 16, "httpx"}, new Object[] {"flask", "gthread", 256, "httpx"},
                new Object[] {"fastapi", "async", 1024, "httpx AsyncClient"},
                new Object[] {"langchain", "async", 1024, "LangChain ChatOpenAI (langchain-openai)"}));
        assertEquals(ArticleTable.CLAIMS.size(), marks.size());

        assertEquals("agrees", mark(marks, "flask", "Speed").mark(), "r = 400 / 800 = 0.5: medium");
        assertEquals("agrees", mark(marks, "flask", "Async support").mark(), "sync workers hold 16 streams, gthread 256: "
                + "async needs a manual setup");
        assertEquals("agrees", mark(marks, "langchain", "Async support").mark(), mark(marks, "langchain", "Async support").evidence());
        assertEquals("agrees", mark(marks, "flask", "Ideal for").mark(), "the leanest glue and the quickest start");
        assertEquals("agrees", mark(marks, "fastapi", "Speed").mark(), "r = 760 / 800 = 0.95 >= 0.90");
        assertEquals("agrees", mark(marks, "fastapi", "Async support").mark(), mark(marks, "fastapi", "Async support").evidence());
        assertEquals("agrees", mark(marks, "fastapi", "Ideal for").mark(), "0.95 of the best peak, holds 0.95");
        assertEquals("agrees", mark(marks, "langchain", "Speed").mark(), "tabular: 700 vs 950, the chain costs 26%");
        assertTrue(mark(marks, "langchain", "Speed").evidence().contains("embed: 88 vs 90"), mark(marks, "langchain", "Speed").evidence());
        assertEquals("agrees", mark(marks, "langchain", "Ideal for").mark());
        assertTrue(marks.stream().allMatch(m -> !m.criterion().isBlank()), "every mark cites its criterion");
    }

    @Test
    void measurementsThatContradictAClaimDisagree() {
        List<Figures> tabular = List.of(javalin(1000, 800), flask(950, 790, 400, 700),
                fastapi(500, 400, 0.6, 40), langchain(495, 398));
        List<ArticleTable.Mark> marks = ArticleTable.marks("tabular", Map.of("tabular", tabular), llm(
                new Object[] {"javalin", "platform", 1024, "JDK HttpClient"}, new Object[] {"flask", "sync", 256, "httpx"},
                new Object[] {"flask", "gthread", 256, "httpx"}, new Object[] {"fastapi", "async", 64, "httpx AsyncClient"},
                new Object[] {"langchain", "async", 1024, "openai AsyncOpenAI"}));
        assertEquals("disagrees", mark(marks, "flask", "Speed").mark(), "r = 0.99 is fast, not moderate");
        assertEquals("disagrees", mark(marks, "flask", "Async support").mark(), "gthread holds no more than sync workers");
        assertEquals("disagrees", mark(marks, "langchain", "Async support").mark(), "strong, but not through LangChain's client");
        assertEquals("disagrees", mark(marks, "flask", "Ideal for").mark(), "400 glue lines against 120: not lean");
        assertEquals("disagrees", mark(marks, "fastapi", "Speed").mark(), "r = 0.5");
        assertEquals("disagrees", mark(marks, "fastapi", "Async support").mark(), "64 streams of the 1,024 another stack held");
        assertEquals("disagrees", mark(marks, "fastapi", "Ideal for").mark());
        assertEquals("disagrees", mark(marks, "langchain", "Speed").mark(), "the chain costs 1%: its host sets its speed");
    }

    @Test
    void aDifferenceWithinTheControlsDriftIsNotAChainCostAndAMissingStackIsNotMeasured() {
        List<Figures> tabular = List.of(javalin(1000, 800), drift(fastapi(900, 700, 0.95, 10), 0.3),
                drift(langchain(750, 600), 0.3));
        List<ArticleTable.Mark> marks = ArticleTable.marks("tabular", Map.of("tabular", tabular));
        assertEquals("disagrees", mark(marks, "langchain", "Speed").mark(), "17% below, but the control moved 30%");
        ArticleTable.Mark flask = mark(marks, "flask", "Speed");
        assertEquals("not measured", flask.mark());
        assertTrue(flask.evidence().contains("not in this run"), flask.evidence());
    }

    @Test
    void invalidEvidenceGivesNoMark() {
        Figures invalid = with(fastapi(950, 760, 0.95, 10), Map.of("invalid",
                new Figures.Invalid("sweep INVALID: did not settle", "search INVALID", null, "sweep INVALID")));
        List<ArticleTable.Mark> marks = ArticleTable.marks("tabular", Map.of("tabular", List.of(javalin(1000, 800), invalid)));
        assertEquals("not measured", mark(marks, "fastapi", "Speed").mark());
        assertEquals("not measured", mark(marks, "fastapi", "Async support").mark());
        assertEquals("not measured", mark(marks, "fastapi", "Ideal for").mark());
        String md = ArticleTable.markdown(marks);
        assertTrue(md.contains("| **Speed** |") && md.contains("\"very fast\": **not measured**"), md);
        assertTrue(md.contains("native async with LLM integrations"), "LangChain's async claim is quoted: " + md);
        assertTrue(mark(marks, "fastapi", "Async support").evidence().contains("no llm workload"), "without the llm workload "
                + "there is no async evidence: " + mark(marks, "fastapi", "Async support").evidence());
    }
}
