package dev.predictbench.results.report;

import dev.predictbench.results.RunRecord;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The article's own table, as it reads, beside the regenerated one: each of its claims about Flask,
 * FastAPI and LangChain marked where this run's measurements agree or disagree with it. Every claim
 * is mapped to a numeric criterion fixed here, in the project, before any run measured the Python
 * stacks; the report prints the criterion with every mark. A claim whose evidence the run does not
 * have (the stack was not measured, its figures are INVALID) is "not measured", never a mark.
 */
public final class ArticleTable {
    /** "very fast": SLO-bounded throughput (as the Speed rule ranks) at least this share of the best stack's. */
    static final double VERY_FAST = 0.90;
    /** "speed depends on chain setup": the chain costs more than this share of its host's throughput on some workload. */
    static final double CHAIN_COST = 0.10;

    /** The article's words, row by row, as quoted in issue 17 and DESIGN.md. */
    public static final String QUOTE = "Flask: moderate speed, async by manual setup, prototyping; FastAPI: very fast, "
            + "native async, scalable APIs; LangChain: speed depends on chain setup, native async with LLM integrations, GenAI pipelines";

    /** The article's columns: its stack's name and the predict-bench stack that is it. */
    public static final Map<String, String> COLUMNS = columns();

    /** The article's rows, in its order. */
    public static final List<String> ROWS = List.of("Speed", "Async support", "Ideal for");

    /** One claim of the article and the criterion that checks it. */
    public record Claim(String stack, String row, String claim, String criterion) {
    }

    /** One claim, checked: {@code mark} is agrees, disagrees or not measured. */
    public record Mark(String stack, String row, String claim, String mark, String evidence, String criterion) {
    }

    public static final List<Claim> CLAIMS = List.of(
            new Claim("flask", "Speed", "moderate",
                    "the regenerated table's Speed verdict is medium: r (SLO-bounded throughput / the best stack's, ties "
                            + "within the control's drift counted at the best of them) >= " + ComparisonTable.MEDIUM + " and < "
                            + ComparisonTable.FAST),
            new Claim("flask", "Async support", "async by manual setup",
                    "on the llm workload (streams from a slow upstream), the stack as its documentation sets it up for "
                            + "production (gunicorn sync workers, the default variant) holds fewer concurrent streams within "
                            + "the objective than a variant set up by hand (gunicorn gthread workers), and its default is not "
                            + "the regenerated Async verdict strong"),
            new Claim("flask", "Ideal for", "prototyping",
                    "lean and quick: glue code lines <= " + ComparisonTable.LEAN_GLUE + " x the smallest stack's and ready "
                            + "<= " + ComparisonTable.QUICK_START + " x the fastest stack's start-up"),
            new Claim("fastapi", "Speed", "very fast",
                    "r (as for Speed) >= " + VERY_FAST + ": within " + Math.round((1 - VERY_FAST) * 100)
                            + "% of the best stack's SLO-bounded throughput, or not significantly different from it"),
            new Claim("fastapi", "Async support", "native async",
                    "on the llm workload, the regenerated Async verdict is strong (native): the default variant holds >= "
                            + Math.round(LlmTable.STRONG * 100) + "% of the most concurrent streams any stack held within "
                            + "the objective"),
            new Claim("fastapi", "Ideal for", "scalable APIs",
                    "peak sweep throughput >= " + ComparisonTable.TOP + " x the best stack's (ties within the control's "
                            + "drift counted at the best of them) and throughput at the highest concurrency >= "
                            + ComparisonTable.HOLD + " x the 16-client figure"),
            new Claim("langchain", "Speed", "depends on chain setup",
                    "on at least one workload the LangChain stack's peak throughput is more than " + Math.round(CHAIN_COST * 100)
                            + "% (and more than the control's drift) below FastAPI's, the host it runs on: the chain, not the "
                            + "server, sets its speed; disagrees when on every workload measured it is within that"),
            new Claim("langchain", "Async support", "native async with LLM integrations",
                    "on the llm workload, /chat goes through LangChain's own OpenAI chat model (its /info names the client) "
                            + "and the regenerated Async verdict is strong (native), as for FastAPI"),
            new Claim("langchain", "Ideal for", "GenAI pipelines",
                    "GenAI capabilities found by the probe >= " + ComparisonTable.GENAI_NATIVE + " (the regenerated table's "
                            + "native) and both GenAI endpoints (/embed, /search) served"));

    private ArticleTable() {
    }

    private static Map<String, String> columns() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("Flask", "flask");
        m.put("FastAPI", "fastapi");
        m.put("LangChain", "langchain");
        return m;
    }

    /**
     * Every claim, checked against the run's figures.
     *
     * @param primary    the comparison table's workload
     * @param byWorkload every workload's figures, one per column of the comparison table
     */
    public static List<Mark> marks(String primary, Map<String, List<Figures>> byWorkload) {
        return marks(primary, byWorkload, null);
    }

    /** {@link #marks(String, Map)}, with the run's llm workload for the Async support claims. */
    public static List<Mark> marks(String primary, Map<String, List<Figures>> byWorkload, RunRecord run) {
        List<Figures> all = byWorkload.getOrDefault(primary, List.of());
        List<Mark> out = new ArrayList<>();
        for (Claim c : CLAIMS) {
            Figures f = find(all, c.stack());
            if (f == null || !f.measured()) {
                out.add(mark(c, "not measured", f == null ? c.stack() + " is not in this run" : c.stack() + " was not measured ("
                        + f.status() + ")"));
                continue;
            }
            out.add(switch (c.stack() + "/" + c.row()) {
                case "flask/Speed" -> speedMark(c, f, all, sp -> "medium".equals(sp.verdict()));
                case "fastapi/Speed" -> speedMark(c, f, all, sp -> sp.counted() >= VERY_FAST);
                case "flask/Async support" -> manualAsync(c, run);
                case "fastapi/Async support" -> nativeAsync(c, run, false);
                case "langchain/Async support" -> nativeAsync(c, run, true);
                case "flask/Ideal for" -> prototyping(c, f, all);
                case "fastapi/Ideal for" -> scalable(c, f, all);
                case "langchain/Speed" -> chainCost(c, byWorkload);
                case "langchain/Ideal for" -> genaiPipelines(c, f);
                default -> throw new IllegalStateException("no check for " + c);
            });
        }
        return out;
    }

    private static Mark mark(Claim c, String mark, String evidence) {
        return new Mark(c.stack(), c.row(), c.claim(), mark, evidence, c.criterion());
    }

    private static Figures find(List<Figures> all, String stack) {
        return all.stream().filter(x -> x.stack().equals(stack)).findFirst().orElse(null);
    }

    private static Mark speedMark(Claim c, Figures f, List<Figures> all, java.util.function.Predicate<ComparisonTable.Speed> agrees) {
        ComparisonTable.Speed sp = ComparisonTable.speed(f, all);
        if (sp == null || sp.invalid() != null) {
            return mark(c, "not measured", sp == null ? "no load figures" : sp.invalid());
        }
        return mark(c, agrees.test(sp) ? "agrees" : "disagrees", "Speed " + sp.verdict() + ", r = " + ComparisonTable.fmt2(sp.r())
                + (sp.counted() > sp.r() ? " (counted as " + ComparisonTable.fmt2(sp.counted()) + ", ties " + sp.ties() + ")" : ""));
    }

    private static Mark nativeAsync(Claim c, RunRecord run, boolean langchainClient) {
        List<LlmTable.Row> rows = run == null ? List.of() : LlmTable.rows(run).stream().filter(r -> r.stack().equals(c.stack())).toList();
        if (rows.isEmpty()) {
            return mark(c, "not measured", "no llm workload for " + c.stack() + " in this run");
        }
        ComparisonTable.Cell cell = LlmTable.asyncCells(run).get(c.stack());
        if (cell == null || cell.verdict().startsWith("not measured")) {
            return mark(c, "not measured", cell == null ? "no llm figures" : cell.verdict());
        }
        boolean client = true;
        String clientNote = "";
        if (langchainClient) {
            LlmTable.Row d = rows.stream().filter(LlmTable.Row::defaultVariant).findFirst().orElse(rows.getFirst());
            client = d.client() != null && d.client().toLowerCase(java.util.Locale.ROOT).contains("langchain");
            clientNote = "; client " + d.client();
        }
        boolean agrees = client && cell.verdict().equals("strong (native)");
        return mark(c, agrees ? "agrees" : "disagrees", "Async " + cell.verdict() + ": " + cell.evidence() + clientNote);
    }

    private static Mark manualAsync(Claim c, RunRecord run) {
        List<LlmTable.Row> rows = run == null ? List.of() : LlmTable.rows(run).stream().filter(r -> r.stack().equals(c.stack())).toList();
        LlmTable.Row dflt = rows.stream().filter(LlmTable.Row::defaultVariant).findFirst().orElse(null);
        List<LlmTable.Row> others = rows.stream().filter(r -> !r.defaultVariant()).toList();
        if (dflt == null || others.isEmpty() || dflt.steps().isEmpty() || others.stream().allMatch(r -> r.steps().isEmpty())) {
            return mark(c, "not measured", "the llm workload did not measure " + c.stack() + "'s default and another variant");
        }
        int base = dflt.sustained() == null ? 0 : dflt.sustained();
        LlmTable.Row better = others.stream().filter(r -> r.sustained() != null && r.sustained() > base).findFirst().orElse(null);
        ComparisonTable.Cell cell = LlmTable.asyncCells(run).get(c.stack());
        boolean defaultStrong = cell != null && cell.verdict().equals("strong (native)");
        String evidence = dflt.variant() + " (default): " + LlmTable.held(dflt) + "; " + others.stream()
                .map(r -> r.variant() + ": " + LlmTable.held(r)).collect(java.util.stream.Collectors.joining("; "));
        return mark(c, better != null && !defaultStrong ? "agrees" : "disagrees", evidence);
    }

    private static Mark prototyping(Claim c, Figures f, List<Figures> all) {
        if (f.glueLines() == null || f.readyMillis() == null) {
            return mark(c, "not measured", "glue lines or start-up not measured");
        }
        int leanest = all.stream().filter(x -> x.glueLines() != null && x.glueLines() > 0).mapToInt(Figures::glueLines).min()
                .orElse(f.glueLines());
        double fastest = all.stream().filter(x -> x.readyMillis() != null).mapToDouble(Figures::readyMillis).min()
                .orElse(f.readyMillis());
        boolean lean = f.glueLines() <= ComparisonTable.LEAN_GLUE * leanest;
        boolean quick = f.readyMillis() <= ComparisonTable.QUICK_START * fastest;
        return mark(c, lean && quick ? "agrees" : "disagrees", f.glueLines() + " glue lines (smallest " + leanest + ", x"
                + ComparisonTable.fmt2((double) f.glueLines() / leanest) + "); ready in " + Math.round(f.readyMillis())
                + " ms (fastest " + Math.round(fastest) + " ms, x" + ComparisonTable.fmt2(f.readyMillis() / fastest) + ")");
    }

    private static Mark scalable(Claim c, Figures f, List<Figures> all) {
        String invalid = ComparisonTable.invalid(f).peak() != null ? ComparisonTable.invalid(f).peak() : ComparisonTable.invalid(f).sweep();
        if (invalid != null) {
            return mark(c, "not measured", invalid);
        }
        if (f.peakThroughput() == null || f.throughputHold() == null) {
            return mark(c, "not measured", "no sweep");
        }
        Function<Figures, Double> peak = Figures::peakThroughput;
        List<Figures> usable = all.stream().filter(x -> x.measured() && ComparisonTable.invalid(x).peak() == null
                && x.peakThroughput() != null).toList();
        double best = usable.stream().mapToDouble(Figures::peakThroughput).max().orElse(f.peakThroughput());
        double counted = Math.max(f.peakThroughput(), ComparisonTable.notSignificant(f, usable, peak, f.controlDrift()).stream()
                .mapToDouble(Figures::peakThroughput).max().orElse(0)) / best;
        boolean top = counted >= ComparisonTable.TOP;
        boolean holds = f.throughputHold() >= ComparisonTable.HOLD;
        return mark(c, top && holds ? "agrees" : "disagrees", "peak " + ComparisonTable.num(f.peakThroughput()) + " req/s = "
                + ComparisonTable.fmt2(f.peakThroughput() / best) + " of the best" + (counted * best > f.peakThroughput()
                ? " (counted as " + ComparisonTable.fmt2(counted) + ")" : "") + "; c" + f.lowConcurrency() + " -> c"
                + f.highConcurrency() + ": throughput x" + ComparisonTable.fmt2(f.throughputHold()));
    }

    private static Mark chainCost(Claim c, Map<String, List<Figures>> byWorkload) {
        List<String> evidence = new ArrayList<>();
        boolean costs = false;
        boolean any = false;
        for (Map.Entry<String, List<Figures>> w : byWorkload.entrySet()) {
            Figures chain = find(w.getValue(), "langchain");
            Figures host = find(w.getValue(), "fastapi");
            if (chain == null || host == null || chain.peakThroughput() == null || host.peakThroughput() == null
                    || ComparisonTable.invalid(chain).peak() != null || ComparisonTable.invalid(host).peak() != null) {
                continue;
            }
            any = true;
            double cost = 1 - chain.peakThroughput() / host.peakThroughput();
            double drift = chain.controlDrift() == null ? 0 : chain.controlDrift();
            boolean significant = cost > CHAIN_COST && cost > drift;
            costs |= significant;
            evidence.add(w.getKey() + ": " + ComparisonTable.num(chain.peakThroughput()) + " vs " + ComparisonTable.num(host.peakThroughput())
                    + " req/s, the chain costs " + ComparisonTable.pct1(cost) + (chain.controlDrift() == null ? ""
                    : " (control drift " + ComparisonTable.pct1(drift) + ")"));
        }
        if (!any) {
            return mark(c, "not measured", "no workload with valid peak throughputs of both langchain and fastapi");
        }
        return mark(c, costs ? "agrees" : "disagrees", String.join("; ", evidence));
    }

    private static Mark genaiPipelines(Claim c, Figures f) {
        if (f.genai() == null) {
            return mark(c, "not measured", "not probed");
        }
        boolean served = f.genaiEndpoints() != null && !f.genaiEndpoints().isEmpty()
                && served(f.genaiEndpoints());
        boolean nativeCaps = f.genai().size() >= ComparisonTable.GENAI_NATIVE;
        return mark(c, nativeCaps && served ? "agrees" : "disagrees", f.genai().size() + " capabilities "
                + f.genai() + "; GenAI endpoints " + (served ? "served" : "not served: " + f.genaiEndpoints()));
    }

    /** Whether a stack serves the GenAI endpoints: every probed endpoint answered something other than 404. */
    private static boolean served(Map<String, Integer> statuses) {
        return statuses.values().stream().allMatch(s -> s != null && s != 404);
    }

    /** The article's table with its marks, and the criteria, as Markdown. */
    public static String markdown(List<Mark> marks) {
        StringBuilder md = new StringBuilder();
        md.append("\n## The article's table, checked\n\n");
        md.append("The article compared three Python stacks: \"").append(QUOTE).append("\". Each claim below is marked by "
                + "this run's measurements: **agrees**, **disagrees** or not measured, with the evidence and the criterion "
                + "the project fixed for it before any run.\n\n");
        md.append("| |");
        COLUMNS.keySet().forEach(k -> md.append(" ").append(k).append(" |"));
        md.append("\n|---|").append("---|".repeat(COLUMNS.size())).append("\n");
        for (String row : ROWS) {
            md.append("| **").append(row).append("** |");
            for (String stack : COLUMNS.values()) {
                Mark m = marks.stream().filter(x -> x.stack().equals(stack) && x.row().equals(row)).findFirst().orElse(null);
                md.append(m == null ? " - (the article says nothing) |" : " \"" + ComparisonTable.escape(m.claim()) + "\": **"
                        + m.mark() + "**<br>" + ComparisonTable.escape(m.evidence()) + " |");
            }
            md.append("\n");
        }
        md.append("\nCriteria:\n\n");
        for (Mark m : marks) {
            md.append("- ").append(m.stack()).append(", ").append(m.row()).append(", \"").append(m.claim()).append("\": ")
                    .append(m.criterion()).append("\n");
        }
        return md.toString();
    }
}
