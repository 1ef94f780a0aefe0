package dev.predictbench.results.gate;

import java.util.List;
import java.util.Locale;

/**
 * The gate's verdict as Markdown, for a CI job summary ({@code $GITHUB_STEP_SUMMARY}) and the
 * console: the status, the faults, one row per headline figure (both arms' medians, the change with
 * its interval, the minimum effect, the pairs behind it, the verdict), what the run was, and links
 * to the gate's files.
 */
public final class GateSummary {
    private GateSummary() {
    }

    public static String markdown(GateRecord r) {
        GateRecord.Verdict v = r.verdict() == null ? GateVerdict.judge(r) : r.verdict();
        GateRecord.Settings s = r.settings();
        StringBuilder md = new StringBuilder();
        String icon = switch (v.status()) {
            case GateVerdict.PASS -> "✅";
            case GateVerdict.FAIL -> "❌";
            default -> "⚠️";
        };
        md.append("## ").append(icon).append(" predict-bench gate: ").append(v.status()).append("\n\n");
        md.append("Baseline ").append(arm(r.baseline())).append(" against candidate ").append(arm(r.candidate()))
                .append(", measured interleaved on one machine in one run by the candidate's harness: per stack a lead-in ")
                .append("trial (arm A, not judged; it sets the open step's shared rate), then ").append(s.pairs())
                .append(" pairs (each two fresh server JVMs, one per arm, up side by side, ").append(s.blocks())
                .append(" closed and ").append(s.openBlocks() == null ? s.blocks() : s.openBlocks()).append(" open step(s) each, the arms alternating ABBA; the pairs ")
                .append("themselves ABBA or BAAB from order seed ").append(s.orderSeed())
                .append("). Each figure: t-test on the pairs' log-ratios B/A as a crossover (AB and BA pairs' means averaged, ")
                .append("so what favours the server started first cancels), ")
                .append(pct(s.familyAlpha())).append(" false-positive rate across all ").append(v.figures().size())
                .append(" figures together (Holm's step-down, from ")
                .append(String.format(Locale.ROOT, "%.2g", s.familyAlpha() / Math.max(1, v.figures().size())))
                .append(" one-sided for the figure most likely worse), and a change must also pass the figure's minimum effect.");
        if (s.slowdown() > 0) {
            md.append(" **Calibration run**: arm B's servers hold a busy loop on every inference call at ").append(pct(s.slowdown()))
                    .append(" of their own CPU per call");
            for (GateRecord.StackTrials st : r.stacks()) {
                List<Double> held = calibrations(st).stream().map(GateRecord.Calibration::held).filter(x -> x != null).toList();
                if (!held.isEmpty()) {
                    md.append("; ").append(st.stack()).append(" held ").append(String.format(Locale.ROOT, "%.1f%%",
                            GateVerdict.median(held) * 100)).append(" (median of ").append(held.size()).append(" trials)");
                }
            }
            md.append('.');
        }
        md.append("\n\n");
        if (!v.faults().isEmpty()) {
            md.append("**Faults** (each fails the gate):\n\n");
            v.faults().forEach(f -> md.append("- ").append(f).append('\n'));
            md.append('\n');
        }
        md.append("| Stack | Workload | Figure | Baseline | Candidate | Change | Interval | Min effect | Pairs | Verdict |\n");
        md.append("|---|---|---|---:|---:|---:|---|---:|---:|---|\n");
        for (GateRecord.FigureVerdict f : v.figures()) {
            md.append("| ").append(f.stack()).append(" | ").append(f.workload() == null ? "" : f.workload()).append(" | ")
                    .append(f.figure()).append(" (").append(f.unit()).append(", ").append(f.higherIsBetter() ? "higher" : "lower")
                    .append(" is better) | ").append(num(f.medianA())).append(" | ").append(num(f.medianB())).append(" | ")
                    .append(f.change() == null ? "" : signed(f.change())).append(" | ")
                    .append(f.low() == null ? "" : "[" + signed(f.low()) + ", " + signed(f.high()) + "]").append(" | ")
                    .append(pct(f.minEffect())).append(" | ").append(f.pairs()).append(" | ")
                    .append(verdictCell(f)).append(" |\n");
        }
        md.append('\n');
        if (!v.notes().isEmpty()) {
            md.append("Notes (not gating):\n\n");
            v.notes().forEach(n -> md.append("- ").append(n).append('\n'));
            md.append('\n');
        }
        md.append("Baseline and candidate columns are the medians of the valid pairs' trials; the change is the geometric "
                + "mean of B/A; the interval is the change's range at the figure's level. Steps: ").append(s.steps())
                .append(". Files: [gate.html](gate.html) (the report: every pair of every figure, every trial and step), "
                        + "[gate.json](gate.json) (the record), [gate.md](gate.md), the trials' server "
                        + "logs and load-client histograms under `A/` and `B/`.\n");
        if (!r.complete()) {
            md.append("\n**The run is incomplete**: ").append(r.incomplete()).append('\n');
        }
        return md.toString();
    }

    private static String verdictCell(GateRecord.FigureVerdict f) {
        return switch (f.verdict()) {
            case "regression" -> "**regression**";
            case "improvement" -> "improvement";
            case "no verdict" -> "no verdict: " + f.why();
            default -> f.verdict();
        };
    }

    private static String arm(GateRecord.Arm a) {
        String commit = a.commit() == null ? "?" : a.commit().substring(0, Math.min(10, a.commit().length()));
        return "`" + a.ref() + "` (" + commit + (a.dirty() ? ", with uncommitted changes" : "") + ")";
    }

    static String num(Double x) {
        if (x == null) {
            return "";
        }
        double a = Math.abs(x);
        return a >= 1000 ? String.format(Locale.ROOT, "%,.0f", x) : a >= 10 ? String.format(Locale.ROOT, "%.1f", x)
                : a >= 1 ? String.format(Locale.ROOT, "%.2f", x) : String.format(Locale.ROOT, "%.4f", x);
    }

    static String signed(double share) {
        return String.format(Locale.ROOT, "%+.1f%%", share * 100);
    }

    /** A stack's calibrated trials' loops (arm B in a calibration run), in the order run. */
    static List<GateRecord.Calibration> calibrations(GateRecord.StackTrials st) {
        return st.trials() == null ? List.of() : st.trials().stream().map(GateRecord.Trial::calibration)
                .filter(c -> c != null).toList();
    }

    static String pct(double share) {
        return String.format(Locale.ROOT, share < 0.1 ? "%.1f%%" : "%.0f%%", share * 100);
    }

    /** The verdict lines for a console: one per figure, plus the faults. */
    public static List<String> lines(GateRecord.Verdict v) {
        List<String> out = new java.util.ArrayList<>();
        v.faults().forEach(f -> out.add("FAULT " + f));
        for (GateRecord.FigureVerdict f : v.figures()) {
            out.add(String.format(Locale.ROOT, "%-12s %-8s %-36s A %10s  B %10s  %8s  %s", f.stack(),
                    f.workload() == null ? "" : f.workload(), f.figure(), num(f.medianA()), num(f.medianB()),
                    f.change() == null ? "" : signed(f.change()), f.verdict()));
        }
        return out;
    }
}
