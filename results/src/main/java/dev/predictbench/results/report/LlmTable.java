package dev.predictbench.results.report;

import dev.predictbench.results.RunRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The I/O-bound {@code llm} workload in the report: per stack and threading-model variant, time to
 * first token against concurrent streaming clients and the streams held within the objective; and
 * the comparison table's Async support row computed from them.
 */
public final class LlmTable {
    public static final String TITLE = "LLM workload: streaming from an upstream model (I/O-bound)";
    /** Async: a stack is strong when it holds at least this share of the most streams any stack held. */
    static final double STRONG = 0.80;
    /** Async: partial from this share. */
    static final double PARTIAL = 0.20;

    /** The Async support rule when the run measured the llm workload. */
    public static final String ASYNC_RULE = "**Async support** (the `llm` workload: each stack streams chat completions from "
            + "an upstream model that takes its time, in every threading-model variant it offers): held = the most concurrent "
            + "streaming clients whose time to first token p99 stays within the objective (2 x the upstream's own by "
            + "default), with every lower level held too; s = the stack's best variant's held streams / the most any variant "
            + "of any stack held in this run. strong: s >= " + pct(STRONG) + "; partial: s >= " + pct(PARTIAL)
            + "; weak: below, or none held. The evidence names each variant's figure and says whether the framework's "
            + "default variant reaches the stack's best (native) or only another variant does (by setup).";

    private LlmTable() {
    }

    /** One variant's line: its held streams and, per level, the figures behind them. */
    public record Row(String stack, String variant, boolean defaultVariant, String status, List<String> reasons,
                      String threadingModel, String client, String handler, Integer sustained, Integer firstMissed,
                      List<RunRecord.LlmStep> steps) {
    }

    /** The rows of a run, in the order measured; empty when the run has no llm workload. */
    public static List<Row> rows(RunRecord run) {
        List<Row> out = new ArrayList<>();
        if (run.llm() == null || run.llm().results() == null) {
            return out;
        }
        for (RunRecord.LlmResult r : run.llm().results()) {
            Object client = r.chat() == null ? null : r.chat().get("client");
            Object handler = r.chat() == null ? null : r.chat().get("handler");
            out.add(new Row(r.stack(), r.variant(), r.defaultVariant(), r.status().name(), r.reasons(), r.threadingModel(),
                    client == null ? null : client.toString(), handler == null ? null : handler.toString(),
                    r.sustainedStreams(), r.firstMissed(), r.steps() == null ? List.of() : r.steps()));
        }
        return out;
    }

    /**
     * The Async support cells from the llm workload, by stack; empty when the run did not measure
     * it (the table then keeps the sweep-based rule).
     */
    public static Map<String, ComparisonTable.Cell> asyncCells(RunRecord run) {
        Map<String, ComparisonTable.Cell> cells = new LinkedHashMap<>();
        List<Row> rows = rows(run);
        if (rows.isEmpty()) {
            return cells;
        }
        int best = rows.stream().map(Row::sustained).filter(s -> s != null).mapToInt(Integer::intValue).max().orElse(0);
        Map<String, List<Row>> byStack = new LinkedHashMap<>();
        rows.forEach(r -> byStack.computeIfAbsent(r.stack(), k -> new ArrayList<>()).add(r));
        byStack.forEach((stack, variants) -> {
            List<String> parts = new ArrayList<>();
            Row top = null;
            Row dflt = null;
            for (Row v : variants) {
                parts.add(v.variant() + (v.defaultVariant() ? " (default)" : "") + ": " + held(v));
                if (v.defaultVariant()) {
                    dflt = v;
                }
                if (v.sustained() != null && (top == null || top.sustained() == null || v.sustained() > top.sustained())) {
                    top = v;
                }
            }
            String evidence = String.join("; ", parts);
            if (top == null || best == 0) {
                boolean anyMeasured = variants.stream().anyMatch(v -> !v.steps().isEmpty());
                cells.put(stack, new ComparisonTable.Cell(evidence, anyMeasured ? "weak" : "not measured (" + reasonOf(variants) + ")"));
                return;
            }
            double s = (double) top.sustained() / best;
            String verdict = s >= STRONG ? "strong" : s >= PARTIAL ? "partial" : "weak";
            boolean defaultIsBest = dflt != null && dflt.sustained() != null && dflt.sustained().equals(top.sustained());
            String how = defaultIsBest ? "native" : "by setup: " + top.variant();
            cells.put(stack, new ComparisonTable.Cell(evidence + "; s = " + ComparisonTable.fmt2(s) + " of " + best
                    + " streams", verdict + " (" + how + ")"));
        });
        return cells;
    }

    private static String reasonOf(List<Row> variants) {
        return variants.stream().flatMap(v -> v.reasons().stream()).findFirst().orElse("no step measured");
    }

    /** A variant's held streams in words. */
    static String held(Row v) {
        if (v.steps().isEmpty()) {
            return "not measured" + (v.reasons().isEmpty() ? "" : " (" + v.reasons().getFirst() + ")");
        }
        String missed = v.firstMissed() == null ? "" : ", missed at " + v.firstMissed();
        return (v.sustained() == null ? "none held" : v.sustained() + " streams held") + missed;
    }

    /** The section in comparison.md: a table per variant of time to first token against concurrency. */
    public static String markdown(RunRecord run) {
        List<Row> rows = rows(run);
        if (rows.isEmpty()) {
            return "";
        }
        RunRecord.Llm llm = run.llm();
        StringBuilder md = new StringBuilder();
        md.append("\n## ").append(TITLE).append("\n\n");
        RunRecord.LlmUpstream u = llm.upstream();
        if (u != null) {
            md.append("Upstream: ").append(u.implementation()).append(", first token after ").append(u.ttftMillis())
                    .append(" ms, then one every ").append(u.itlMillis()).append(" ms, ").append(u.tokens())
                    .append(" tokens, on CPUs ").append(u.cpus()).append("; a step where it sent its tokens more than ")
                    .append(fmt(u.maxLagP99Millis())).append(" ms late at p99 is INVALID. ");
        }
        if (llm.objective() != null) {
            md.append("Objective: ").append(llm.objective().rule()).append(". ");
        }
        md.append("Servers' JDK: ").append(llm.serverJdk())
                .append(llm.openFiles() == null ? "" : "; open files: " + llm.openFiles().note()).append(".\n\n");
        md.append("| stack | variant | held streams | client | handler |");
        for (int c : llm.concurrency()) {
            md.append(" c").append(c).append(" |");
        }
        md.append("\n| --- | --- | ---: | --- | --- |");
        llm.concurrency().forEach(c -> md.append(" --- |"));
        md.append("\n");
        if (llm.direct() != null && !llm.direct().isEmpty()) {
            md.append("| (upstream alone) | the load client streaming from the simulator, no server between: the floor | - | - | - |");
            for (int c : llm.concurrency()) {
                RunRecord.LlmStep step = llm.direct().stream().filter(s -> s.concurrency() == c).findFirst().orElse(null);
                md.append(" ").append(step == null ? "-" : cell(step)).append(" |");
            }
            md.append("\n");
        }
        for (Row r : rows) {
            md.append("| ").append(r.stack()).append(" | ").append(r.variant()).append(r.defaultVariant() ? " (default)" : "")
                    .append(" | ").append(r.steps().isEmpty() ? "not measured" : r.sustained() == null ? "none" : r.sustained())
                    .append(" | ").append(orDash(r.client())).append(" | ").append(orDash(r.handler())).append(" |");
            for (int c : llm.concurrency()) {
                RunRecord.LlmStep step = r.steps().stream().filter(s -> s.concurrency() == c).findFirst().orElse(null);
                md.append(" ").append(step == null ? "-" : cell(step)).append(" |");
            }
            md.append("\n");
        }
        md.append("\nEach step: time to first token p50 / p99 (ms, with the streams behind them; a withheld p99 shows the "
                + "maximum as an upper bound, `<=`), completed streams per second, the server's peak threads; held or missed "
                + "against the objective, or INVALID with its reason below.\n");
        for (Row r : rows) {
            if (!r.reasons().isEmpty()) {
                md.append("\n- ").append(r.stack()).append(" (").append(r.variant()).append(") INVALID: ")
                        .append(String.join("; ", r.reasons()));
            }
        }
        md.append("\n");
        return md.toString();
    }

    /** One step in a few words. */
    static String cell(RunRecord.LlmStep s) {
        StringBuilder b = new StringBuilder();
        RunRecord.Latency t = s.ttft();
        if (t == null) {
            b.append("no stream");
        } else {
            b.append(fmt(t.p50())).append(" / ").append(t.p99() != null ? fmt(t.p99()) : "<= " + fmt(t.max()))
                    .append(" ms (n=").append(t.requests()).append(")");
        }
        b.append(", ").append(fmt(s.streamsPerSecond())).append(" streams/s");
        if (s.serverThreads() != null) {
            b.append(", ").append(s.serverThreads()).append(" threads");
        }
        b.append(", ").append(s.status().name().equals("INVALID") ? "INVALID"
                : Boolean.TRUE.equals(s.withinObjective()) ? "held" : Boolean.FALSE.equals(s.withinObjective()) ? "missed"
                : "undecided");
        return b.toString();
    }

    private static String orDash(String s) {
        return s == null || s.isBlank() ? "-" : s.replace("|", "\\|");
    }

    static String fmt(Double v) {
        if (v == null) {
            return "-";
        }
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : v >= 10 ? String.format(Locale.ROOT, "%.1f", v)
                : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String fmt(double v) {
        return fmt(Double.valueOf(v));
    }

    private static String pct(double share) {
        return Math.round(share * 100) + "%";
    }
}
