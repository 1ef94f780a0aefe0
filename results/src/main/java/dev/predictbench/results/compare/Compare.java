package dev.predictbench.results.compare;

import dev.predictbench.results.RunRecord;
import dev.predictbench.results.RunRecords;
import dev.predictbench.results.report.Report;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The regression gate: {@code scripts/compare [--force] [--min-change 0.10] [--overload-min-change 0.30]
 * [--out file.md] <baseline> <candidate>}, each a run.json, a run folder or a runs folder (its newest
 * complete run). Prints a Markdown report (it pastes into a CI job summary as is) and exits
 * <ul>
 *   <li>0: no figure regressed beyond its threshold (improvements are reported, never fail);</li>
 *   <li>1: at least one regression;</li>
 *   <li>2: the runs are not comparable (schema, environment fingerprint or settings differ, or either run
 *       is incomplete: {@code conduct.complete} false), unless {@code --force}; or an argument or file is wrong.</li>
 * </ul>
 *
 * <p>A step INVALID in either run ({@link dev.predictbench.results.RunRecord.Step#valid()}) is not gated:
 * it is noted "not compared: INVALID in the baseline/candidate" with its reasons.
 *
 * <p>The overload scenario: its hard faults (INVALID where the baseline was VALID, missing although
 * asked for, the server dead or out of memory afterwards, answers other than 2xx, 503 and 429 where
 * the baseline had none) always regress; its soft figures (served share, p99 of the served, recovery
 * time, peak RSS) come from one short window and count only beyond {@code --overload-min-change}
 * (a relative change, default {@value RunComparison#OVERLOAD_MIN_CHANGE}; the served share beyond at
 * least {@value RunComparison#SERVED_SHARE_NOISE}, the p99 of the served and the recovery time beyond
 * at least {@value RunComparison#SERVED_P99_NOISE}, their noise between runs), see {@link RunComparison}.
 */
public final class Compare {
    public static final int CLEAN = 0;
    public static final int REGRESSION = 1;
    public static final int NOT_COMPARABLE = 2;
    static final double DEFAULT_MIN_CHANGE = 0.10;
    static final String USAGE = "usage: scripts/compare [--force] [--min-change 0.10] [--overload-min-change 0.30] [--out file.md] "
            + "<baseline> <candidate>";

    private Compare() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** The whole command, testable: returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        boolean force = false;
        double minChange = DEFAULT_MIN_CHANGE;
        double overloadMinChange = RunComparison.OVERLOAD_MIN_CHANGE;
        Path outFile = null;
        List<String> files = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.isBlank()) {
                    continue;
                }
                if (a.equals("--force") || a.equals("--force=true")) {
                    force = true;
                } else if (a.equals("--force=false")) {
                    force = false;
                } else if (a.equals("--min-change")) {
                    minChange = Double.parseDouble(args[++i]);
                } else if (a.equals("--overload-min-change")) {
                    overloadMinChange = Double.parseDouble(args[++i]);
                } else if (a.equals("--out")) {
                    outFile = Path.of(args[++i]);
                } else if (a.equals("-h") || a.equals("--help")) {
                    out.println(USAGE);
                    return CLEAN;
                } else if (a.startsWith("--")) {
                    throw new IllegalArgumentException("unknown option " + a);
                } else {
                    files.add(a);
                }
            }
            if (!(minChange >= 0) || !(overloadMinChange >= 0)) {
                throw new IllegalArgumentException("--min-change and --overload-min-change must be shares of at least 0, e.g. 0.10");
            }
            if (files.size() != 2) {
                throw new IllegalArgumentException("need a baseline and a candidate (run.json, run folder or runs folder)");
            }
        } catch (RuntimeException e) {
            err.println("compare: " + e.getMessage());
            err.println(USAGE);
            return NOT_COMPARABLE;
        }
        Path basePath;
        Path candPath;
        RunRecord baseline;
        RunRecord candidate;
        try {
            basePath = Report.newestRecord(Path.of(files.get(0)));
            candPath = Report.newestRecord(Path.of(files.get(1)));
            baseline = RunRecords.read(basePath);
            candidate = RunRecords.read(candPath);
        } catch (IOException | RuntimeException e) {
            err.println("compare: " + e.getMessage());
            return NOT_COMPARABLE;
        }
        RunComparison comparison = new RunComparison(baseline, candidate, minChange, overloadMinChange);
        List<String> differences = comparison.differences();
        StringBuilder md = new StringBuilder();
        md.append("## predict-bench regression check\n\n");
        md.append("Baseline `").append(baseline.runId()).append("` (").append(describe(baseline)).append(", `")
                .append(basePath).append("`)  \nCandidate `").append(candidate.runId()).append("` (").append(describe(candidate))
                .append(", `").append(candPath).append("`)\n\n");
        List<String> incomplete = comparison.incomplete();
        int status;
        if (!incomplete.isEmpty() && !force) {
            md.append("**Result: NOT COMPARABLE** (exit 2): an incomplete run is not comparable:\n\n");
            incomplete.forEach(d -> md.append("- ").append(d).append("\n"));
            md.append("\nA run that stopped early measured only some of its stacks and scenarios, and what it did not reach "
                    + "would read as regressions. Run it to the end, or pass `--force` to compare what both runs measured.\n");
            if (!differences.isEmpty()) {
                md.append("\nThe runs also differ in: ").append(String.join("; ", differences)).append(".\n");
            }
            status = NOT_COMPARABLE;
        } else if (!differences.isEmpty() && !force) {
            md.append("**Result: NOT COMPARABLE** (exit 2): the runs differ in\n\n");
            differences.forEach(d -> md.append("- ").append(d).append("\n"));
            md.append("\nRecord a baseline on this machine with these settings (see results/baseline/README.md), "
                    + "or pass `--force` to compare anyway.\n");
            status = NOT_COMPARABLE;
        } else {
            List<RunComparison.Delta> deltas = comparison.deltas();
            long regressions = deltas.stream().filter(d -> d.verdict() == RunComparison.Verdict.REGRESSION).count();
            long improved = deltas.stream().filter(d -> d.verdict() == RunComparison.Verdict.IMPROVED).count();
            status = regressions > 0 ? REGRESSION : CLEAN;
            md.append(regressions > 0 ? "**Result: REGRESSION** (exit 1): " : "**Result: clean** (exit 0): ")
                    .append(regressions).append(" regressed, ").append(improved).append(" improved, ")
                    .append(deltas.size()).append(" figures compared.\n\n");
            if (!differences.isEmpty()) {
                md.append("Compared with `--force` although the runs differ in: ").append(String.join("; ", differences)).append(".\n\n");
            }
            if (!incomplete.isEmpty()) {
                md.append("Compared with `--force` although ").append(String.join("; ", incomplete))
                        .append(": only what both runs measured is compared.\n\n");
            }
            md.append("A figure counts when it moves by more than its threshold: the larger of the minimum change (")
                    .append(RunComparison.pct(minChange)).append(") and the noise either run recorded for it (the spread of "
                    + "its windows); p99 must also move by more than 1 ms (the resolution of Gatling's figures, kept as "
                    + "the floor for the load client's microsecond figures too; a step measured by Gatling in one run and "
                    + "by the load client in the other has its p99 noted, not gated). Direction per figure: "
                    + "throughput higher is better; p99, CPU per request, start-up and RSS lower is better. Improvements "
                    + "are reported and never fail. A step INVALID in either run (it did not settle, had errors, or the load "
                    + "generator was saturated) is not gated: it is noted with its reasons.\n\n");
            md.append("Overload scenario: hard faults regress whatever the noise (VALID in the baseline and INVALID now, "
                    + "missing although asked for, the server dead or out of memory afterwards, answers other than 2xx, "
                    + "503 and 429 where the baseline had none); the load generator running out of open files is the "
                    + "harness's limit and only noted. Its soft figures come from one short window: served share (higher "
                    + "is better) counts beyond ").append(RunComparison.pct(Math.max(Math.max(minChange, overloadMinChange),
                            RunComparison.SERVED_SHARE_NOISE)))
                    .append(" and 5 points, peak RSS (lower) beyond ")
                    .append(RunComparison.pct(Math.max(Math.max(minChange, overloadMinChange), RunComparison.RSS_NOISE)))
                    .append(", the p99 of the served and the recovery time (lower) beyond ")
                    .append(RunComparison.pct(Math.max(Math.max(minChange, overloadMinChange), RunComparison.SERVED_P99_NOISE)))
                    .append(".\n\n");
            List<RunComparison.Delta> notable = deltas.stream().filter(d -> d.verdict() != RunComparison.Verdict.OK)
                    .sorted(Comparator.comparing(RunComparison.Delta::verdict)).toList();
            if (notable.isEmpty()) {
                md.append("No figure moved beyond its threshold.\n\n");
            } else {
                table(md, notable);
            }
            md.append("<details><summary>All ").append(deltas.size()).append(" figures</summary>\n\n");
            table(md, deltas);
            md.append("</details>\n");
        }
        out.print(md);
        if (outFile != null) {
            try {
                RunRecords.writeAtomically(outFile, md.toString());
            } catch (IOException e) {
                err.println("compare: could not write " + outFile + ": " + e.getMessage());
            }
        }
        return status;
    }

    private static void table(StringBuilder md, List<RunComparison.Delta> deltas) {
        md.append("| result | stack | workload | scenario | step | figure | baseline | candidate | change | change % | threshold | basis |\n");
        md.append("|---|---|---|---|---|---|---:|---:|---:|---:|---:|---|\n");
        for (RunComparison.Delta d : deltas) {
            md.append("| ").append(word(d.verdict())).append(" | ").append(d.stack()).append(" | ").append(d.workload())
                    .append(" | ").append(d.scenario()).append(" | ").append(d.step()).append(" | ").append(d.metric())
                    .append(d.unit().isEmpty() ? "" : " (" + d.unit() + ")").append(" | ")
                    .append(d.baselineText() != null ? d.baselineText() : value(d.baseline())).append(" | ")
                    .append(d.candidateText() != null ? d.candidateText() : value(d.candidate())).append(" | ")
                    .append(d.change() == null ? "-" : signed(d.change())).append(" | ")
                    .append(d.relative() == null ? "-" : String.format(Locale.ROOT, "%+.1f%%", d.relative() * 100)).append(" | ")
                    .append(d.threshold() == 0 ? "-" : RunComparison.pct(d.threshold()))
                    .append(" | ").append((d.basis() + (d.note().isEmpty() ? "" : (d.basis().isEmpty() ? "" : "; ") + d.note()))
                            .replace("|", "\\|")).append(" |\n");
        }
        md.append("\n");
    }

    private static String word(RunComparison.Verdict v) {
        return switch (v) {
            case REGRESSION -> "**REGRESSION**";
            case IMPROVED -> "improved";
            case OK -> "ok";
            case INFO -> "note";
        };
    }

    private static String value(Double d) {
        return d == null ? "-" : RunComparison.fmt(d);
    }

    private static String signed(double d) {
        return (d > 0 ? "+" : d < 0 ? "-" : "") + RunComparison.fmt(Math.abs(d));
    }

    private static String describe(RunRecord r) {
        return r.profile() + ", commit " + (r.environment() == null ? "?" : r.environment().gitCommit()) + ", " + r.startedAt();
    }
}
