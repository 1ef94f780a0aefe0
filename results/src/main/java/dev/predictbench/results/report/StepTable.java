package dev.predictbench.results.report;

import dev.predictbench.results.RunRecord;
import dev.predictbench.results.Validity;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every measured step (sweep, rate, SLO search) of each stack and workload with what says whether
 * to trust it: VALID or INVALID and why, its throughput as the median of its rounds beside each
 * round's and their spread, p99 with the requests behind it (or why it is withheld), and the
 * step's health: JIT compiles, GC pauses and CPU steal during its windows, and how many windows it
 * needed to settle. Above each stack's steps, its warm-up: how long, the compiles of each chunk, and
 * whether the JIT settled or the cap ended it. A section of {@code comparison.md} and the same rows
 * embedded in the report; left out for records made before steps carried validity, health or rounds.
 */
public final class StepTable {
    static final List<String> SCENARIOS = List.of("sweep", "rate", "slo");

    private StepTable() {
    }

    /**
     * One step.
     *
     * @param reasons        why it is INVALID (empty when VALID)
     * @param throughput     req/s: the median of its valid rounds' when it has rounds
     * @param rounds         each round's throughput and validity (empty when measured once)
     * @param roundSpread    (max - min) / median of the valid rounds' throughputs; null with fewer than two
     * @param p99            ms, null when withheld or not measured
     * @param p99Withheld    what the p99 reads instead of a number when withheld ({@code too few requests (n=...)})
     * @param requests       requests behind the latency
     * @param compiles       JIT compiles during the windows
     * @param gcPauseMillis  GC pauses during the windows
     * @param stealShare     CPU steal during the windows, share of the machine's CPU time
     * @param windowsNeeded  windows measured until the last three agreed
     * @param stopped        {@code stable} or {@code cap}
     */
    public record Row(String stack, String workload, String scenario, String step, boolean valid, List<String> reasons,
                      double throughput, List<Round> rounds, Double roundSpread, Double p99, String p99Withheld, Long requests,
                      Long compiles, Double gcPauseMillis, Double stealShare, Integer windowsNeeded, String stopped) {
    }

    /** One round of a step: round 0 is the control. */
    public record Round(int round, double throughput, boolean valid) {
    }

    /** A stack's warm-up before a workload. */
    public record Warmup(String stack, String workload, double seconds, long requests, List<Long> compiles, boolean settled,
                         long settledBelow, double capSeconds, String note) {
    }

    /** Whether the record has anything this table adds: step validity, health or rounds, or a warm-up. */
    static boolean applies(RunRecord run) {
        for (RunRecord.StackResult s : stacks(run)) {
            for (RunRecord.Workload w : s.workloads() == null ? List.<RunRecord.Workload>of() : s.workloads().values()) {
                if (w.warmup() != null) {
                    return true;
                }
                for (RunRecord.Scenario sc : w.scenarios() == null ? List.<RunRecord.Scenario>of() : w.scenarios().values()) {
                    for (RunRecord.Step st : sc.steps() == null ? List.<RunRecord.Step>of() : sc.steps()) {
                        if (st.reasons() != null || st.health() != null || st.rounds() != null) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    /** Every step, by workload (the report's order), stack, then scenario; none for records this table does not apply to. */
    public static List<Row> rows(RunRecord run) {
        List<Row> rows = new ArrayList<>();
        if (!applies(run)) {
            return rows;
        }
        for (String workload : Report.workloadNames(run)) {
            for (RunRecord.StackResult s : stacks(run)) {
                RunRecord.Workload w = s.workloads() == null ? null : s.workloads().get(workload);
                Map<String, RunRecord.Scenario> scenarios = w == null || w.scenarios() == null ? Map.of() : w.scenarios();
                for (String name : SCENARIOS) {
                    RunRecord.Scenario sc = scenarios.get(name);
                    if (sc != null && sc.steps() != null) {
                        sc.steps().forEach(st -> rows.add(row(s.stack(), workload, name, st)));
                    }
                }
            }
        }
        return rows;
    }

    /** Every recorded warm-up, by workload and stack. */
    public static List<Warmup> warmups(RunRecord run) {
        List<Warmup> out = new ArrayList<>();
        for (String workload : Report.workloadNames(run)) {
            for (RunRecord.StackResult s : stacks(run)) {
                RunRecord.Workload w = s.workloads() == null ? null : s.workloads().get(workload);
                RunRecord.Warmup u = w == null ? null : w.warmup();
                if (u != null) {
                    out.add(new Warmup(s.stack(), workload, u.seconds(), u.requests(), u.compiles() == null ? List.of() : u.compiles(),
                            u.settled(), u.settledBelow(), u.capSeconds(), u.note()));
                }
            }
        }
        return out;
    }

    static Row row(String stack, String workload, String scenario, RunRecord.Step st) {
        List<Round> rounds = st.rounds() == null ? List.of()
                : st.rounds().stream().map(r -> new Round(r.round(), r.throughput(), r.valid())).toList();
        RunRecord.Latency l = st.latency();
        RunRecord.Health h = st.health();
        return new Row(stack, workload, scenario, st.name(), st.valid(), Validity.reasons(st), st.throughput(), rounds,
                spread(rounds), l == null ? null : l.p99(),
                Validity.withheld(l, "p99") ? Validity.tooFew(l) : null, l == null ? null : l.requests(),
                h == null ? null : h.compiles(), h == null ? null : h.gcPauseMillis(), h == null ? null : h.stealShare(),
                h == null ? null : h.windowsNeeded(), h == null ? null : h.stopped());
    }

    /** (max - min) / median of the valid rounds' throughputs; null with fewer than two. */
    static Double spread(List<Round> rounds) {
        List<Double> v = rounds.stream().filter(Round::valid).map(Round::throughput).sorted().toList();
        if (v.size() < 2) {
            return null;
        }
        int n = v.size();
        double median = n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
        return median > 0 ? (v.getLast() - v.getFirst()) / median : null;
    }

    /** The section for comparison.md, or an empty string when the record has nothing for it. */
    static String markdown(RunRecord run) {
        List<Row> rows = rows(run);
        List<Warmup> warmups = warmups(run);
        if (rows.isEmpty() && warmups.isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder("\n## Steps: validity, rounds and health\n\n");
        md.append("Throughput is the median of the step's valid rounds (each round's beside it, round 0 the control; "
                + "spread = (max - min) / median); an INVALID round is marked `x`. p99 with the requests behind it; withheld "
                + "when too few requests are behind it (early stopping: 662 for p99). Health during the step's windows: JIT "
                + "compiles, GC pause, CPU steal (share of the machine's CPU time), and windows measured until the last three "
                + "agreed (`cap`: they never did). Warm-up: load in chunks until a chunk compiled fewer methods than the threshold, "
                + "or the cap.\n");
        List<List<String>> groups = new ArrayList<>();
        rows.forEach(r -> add(groups, List.of(r.workload(), r.stack())));
        warmups.forEach(u -> add(groups, List.of(u.workload(), u.stack())));
        for (List<String> group : groups) {
            md.append("\n### ").append(group.get(0)).append(": ").append(group.get(1)).append("\n\n");
            for (Warmup u : warmups) {
                if (u.workload().equals(group.get(0)) && u.stack().equals(group.get(1))) {
                    md.append(warmup(u)).append("\n\n");
                }
            }
            List<Row> mine = rows.stream().filter(r -> r.workload().equals(group.get(0)) && r.stack().equals(group.get(1))).toList();
            if (mine.isEmpty()) {
                continue;
            }
            md.append("| step | validity | throughput req/s | rounds | spread | p99 ms | JIT compiles | GC pause ms | steal "
                    + "| windows |\n");
            md.append("| --- | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
            for (Row r : mine) {
                md.append("| ").append(r.scenario()).append(" ").append(r.step())
                        .append(" | ").append(r.valid() ? "VALID" : "INVALID: " + ComparisonTable.escape(String.join("; ", r.reasons())))
                        .append(" | ").append(ComparisonTable.num(r.throughput()))
                        .append(" | ").append(rounds(r.rounds()))
                        .append(" | ").append(r.roundSpread() == null ? "-" : ComparisonTable.pct1(r.roundSpread()))
                        .append(" | ").append(p99(r))
                        .append(" | ").append(r.compiles() == null ? "-" : String.format(Locale.ROOT, "%,d", r.compiles()))
                        .append(" | ").append(r.gcPauseMillis() == null ? "-" : ComparisonTable.fmt(r.gcPauseMillis()))
                        .append(" | ").append(r.stealShare() == null ? "-" : ComparisonTable.pct1(r.stealShare()))
                        .append(" | ").append(r.windowsNeeded() == null ? "-" : r.windowsNeeded()
                                + (r.stopped() == null ? "" : " (" + r.stopped() + ")"))
                        .append(" |\n");
            }
        }
        return md.toString();
    }

    /** A warm-up in words: seconds, requests, compiles per chunk, and how it ended. */
    static String warmup(Warmup u) {
        return String.format(Locale.ROOT, "Warm-up: %s s, %,d requests; JIT compiles per chunk %s; %s", ComparisonTable.fmt(u.seconds()),
                u.requests(), u.compiles().isEmpty() ? "-"
                        : String.join(", ", u.compiles().stream().map(c -> c < 0 ? "?" : String.valueOf(c)).toList()),
                u.settled() ? "settled (last chunk < " + u.settledBelow() + ")"
                        : "capped at " + ComparisonTable.fmt(u.capSeconds()) + " s (still compiling)")
                + (u.note() == null ? "" : ". " + u.note()) + ".";
    }

    /** A step's p99 with the requests behind it, or what it reads when withheld. */
    static String p99(Row r) {
        if (r.p99Withheld() != null) {
            return r.p99Withheld();
        }
        if (r.p99() == null) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.3f", r.p99())
                + (r.requests() == null ? "" : String.format(Locale.ROOT, " (n=%,d)", r.requests()));
    }

    private static String rounds(List<Round> rounds) {
        if (rounds.isEmpty()) {
            return "-";
        }
        return String.join(", ", rounds.stream().map(r -> (r.round() == 0 ? "control" : "r" + r.round()) + " "
                + ComparisonTable.num(r.throughput()) + (r.valid() ? "" : " x")).toList());
    }

    private static void add(List<List<String>> groups, List<String> group) {
        if (!groups.contains(group)) {
            groups.add(group);
        }
    }

    private static List<RunRecord.StackResult> stacks(RunRecord run) {
        return run.stacks() == null ? List.of() : run.stacks();
    }
}
