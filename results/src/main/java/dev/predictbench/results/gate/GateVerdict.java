package dev.predictbench.results.gate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Judges a gate run from its trials. Per stack and workload three headline figures (throughput of
 * the closed step, p99 of the open step at the shared absolute rate, server CPU per request of the
 * closed step) and per stack two (start-up, RSS); a trial's figure is the median of its valid
 * steps. Each figure is decided by a t-test on the log-ratios B/A of its valid pairs, analysed as
 * the two-period crossover they are (see {@link Pairs}; a pair's log-ratio is the median over its
 * steps of B's i-th against A's i-th, which ran next to each other, where both are valid): the
 * family-wise false-positive rate {@code familyAlpha} is kept across all figures by Holm's
 * step-down procedure (each figure's interval is drawn at the level it was tested at), and a change
 * also has to reach the figure's minimum effect to count. A pair the runner found too weak to judge
 * and measured again (its trials carry {@code remeasured}) is left out. Faults fail the gate whatever the figures
 * say: a step with errors in the
 * candidate that had none in the baseline, a step VALID in every baseline trial and INVALID in
 * every candidate trial, a candidate server that died or did not start, a stack missing from the
 * candidate, the conformance kit failing on the candidate.
 */
public final class GateVerdict {
    public static final String PASS = "PASS";
    public static final String FAIL = "FAIL";
    public static final String NO_VERDICT = "NO VERDICT";

    /** A headline figure: how to read it from a trial, its unit and which way is better. */
    enum Kind {
        THROUGHPUT("throughput", "req/s", true, true),
        P99("p99", "ms", false, true),
        CPU("cpu", "ms/request", false, true),
        STARTUP("startup", "ms", false, false),
        RSS("rss", "MiB", false, false);

        final String key;
        final String unit;
        final boolean higherIsBetter;
        final boolean perWorkload;

        Kind(String key, String unit, boolean higherIsBetter, boolean perWorkload) {
            this.key = key;
            this.unit = unit;
            this.higherIsBetter = higherIsBetter;
            this.perWorkload = perWorkload;
        }

        String label(String workload, Map<String, Double> rates, int concurrency) {
            return switch (this) {
                case THROUGHPUT -> "throughput at " + concurrency + " in flight";
                case P99 -> "p99 at " + (rates == null || rates.get(workload) == null ? "the shared rate"
                        : Math.round(rates.get(workload)) + "/s");
                case CPU -> "server CPU per request";
                case STARTUP -> "start-up (ready)";
                case RSS -> "RSS after the trial";
            };
        }

        /** The figure in a trial, or null when that trial has no valid value for it. */
        Double value(GateRecord.Trial t, String workload) {
            if (t.failed()) {
                return null;
            }
            if (!perWorkload) {
                return switch (this) {
                    case STARTUP -> t.readyMillis();
                    case RSS -> t.rssBytes() == null ? null : t.rssBytes() / (1024.0 * 1024.0);
                    default -> null;
                };
            }
            GateRecord.Workload w = t.workloads() == null ? null : t.workloads().get(workload);
            if (w == null) {
                return null;
            }
            List<Double> values = new ArrayList<>();
            for (GateRecord.Step step : this == P99 ? w.open() : w.closed()) {
                Double v = of(step);
                if (v != null) {
                    values.add(v);
                }
            }
            return median(values);
        }

        /** The step's figure, or null when the step is not valid. */
        Double of(GateRecord.Step step) {
            if (step == null || !step.valid()) {
                return null;
            }
            return switch (this) {
                case THROUGHPUT -> step.throughput();
                case P99 -> step.p99Micros() == null ? null : step.p99Micros() / 1000.0;
                case CPU -> step.cpuMillisPerRequest();
                default -> null;
            };
        }

        /**
         * A pair's log-ratio from its steps: the i-th step of B against the i-th of A (in a pair's
         * ABBA order these ran next to each other), the median over the steps both have valid; null
         * when the figure is not per step or the two trials have different numbers of steps. The
         * median, because the machine's speed can change between two neighbouring steps (a noisy
         * neighbour, the host taking the vCPU): that block's ratio is then off by the speed change,
         * not by the code, and a mean would carry it into the pair.
         */
        Double blockLogRatio(GateRecord.Trial a, GateRecord.Trial b, String workload) {
            if (!perWorkload || a.workloads() == null || b.workloads() == null) {
                return null;
            }
            GateRecord.Workload wa = a.workloads().get(workload);
            GateRecord.Workload wb = b.workloads().get(workload);
            if (wa == null || wb == null) {
                return null;
            }
            List<GateRecord.Step> sa = this == P99 ? wa.open() : wa.closed();
            List<GateRecord.Step> sb = this == P99 ? wb.open() : wb.closed();
            if (sa.size() != sb.size() || sa.isEmpty()) {
                return null;
            }
            List<Double> logs = new ArrayList<>();
            for (int i = 0; i < sa.size(); i++) {
                Double x = of(sa.get(i));
                Double y = of(sb.get(i));
                if (x != null && y != null && x > 0 && y > 0) {
                    logs.add(Math.log(y / x));
                }
            }
            return median(logs);
        }
    }

    private GateVerdict() {
    }

    public static GateRecord.Verdict judge(GateRecord record) {
        GateRecord.Settings s = record.settings();
        List<String> faults = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<Planned> planned = new ArrayList<>();
        for (GateRecord.StackTrials st : record.stacks()) {
            String stack = st.stack();
            if (st.missing() != null) {
                faults.add(stack + ": missing from the candidate: " + st.missing());
                continue;
            }
            GateRecord.Check cb = st.conformance() == null ? null : st.conformance().get("B");
            if (cb != null && !cb.passed()) {
                faults.add(stack + ": the conformance kit fails on the candidate (" + cb.failed() + " of " + cb.tests()
                        + " checks)" + (cb.note() == null ? "" : ": " + cb.note()));
            }
            GateRecord.Check ca = st.conformance() == null ? null : st.conformance().get("A");
            if (ca != null && !ca.passed()) {
                // The candidate's harness runs its own kit on both arms: a kit newer than the baseline
                // may hold it to checks it predates. Not a fault of the candidate's.
                notes.add(stack + ": the conformance kit fails on the baseline (" + ca.failed() + " of " + ca.tests()
                        + " checks)" + (cb != null && cb.passed() ? "; the candidate passes it" : ""));
            }
            List<GateRecord.Trial> a = st.trials().stream().filter(t -> t.arm().equals("A")).toList();
            List<GateRecord.Trial> b = st.trials().stream().filter(t -> t.arm().equals("B")).toList();
            for (GateRecord.Trial t : b) {
                if (t.serverDied()) {
                    faults.add(stack + ": the candidate's server died in trial " + t.seq() + (t.fault() == null ? "" : ": " + t.fault()));
                } else if (t.fault() != null) {
                    faults.add(stack + ": candidate trial " + t.seq() + ": " + t.fault());
                }
            }
            st.trials().stream().filter(t -> t.remeasured() != null && t.arm().equals("A")).forEach(t -> notes.add(stack
                    + ": the pair of trial " + t.seq() + " was measured again, not judged: " + t.remeasured()));
            for (GateRecord.Trial t : a) {
                if (t.remeasured() == null && t.failed()) {
                    notes.add(stack + ": baseline trial " + t.seq() + " failed (its pair is not judged): "
                            + (t.fault() == null ? "the server died" : t.fault()));
                }
            }
            if (a.isEmpty()) {
                notes.add(stack + ": not in the baseline (no server jar in its build): nothing to compare");
                continue;
            }
            for (String w : s.workloads()) {
                stepFaults(stack, w, "closed", a, b, GateRecord.Workload::closed, faults, notes);
                stepFaults(stack, w, "open", a, b, GateRecord.Workload::open, faults, notes);
                for (Kind k : List.of(Kind.THROUGHPUT, Kind.P99, Kind.CPU)) {
                    planned.add(new Planned(st, w, k));
                }
            }
            planned.add(new Planned(st, null, Kind.STARTUP));
            planned.add(new Planned(st, null, Kind.RSS));
        }
        List<Pairs> measured = planned.stream().map(GateVerdict::pairs).toList();
        double[] alphas = holmLevels(measured, s.familyAlpha(), s.minPairs(),
                planned.stream().map(x -> !x.kind().higherIsBetter).toList());
        List<GateRecord.FigureVerdict> figures = new ArrayList<>();
        for (int i = 0; i < planned.size(); i++) {
            figures.add(figure(planned.get(i), measured.get(i), s, alphas[i]));
        }
        boolean regression = figures.stream().anyMatch(f -> f.verdict().equals("regression"));
        boolean undecided = figures.stream().anyMatch(f -> f.verdict().equals("no verdict"));
        if (!record.complete()) {
            faults.add("the gate run is incomplete: " + record.incomplete());
        }
        String status = !faults.isEmpty() || regression ? FAIL : undecided || figures.isEmpty() ? NO_VERDICT : PASS;
        return new GateRecord.Verdict(status, figures, faults, notes);
    }

    private record Planned(GateRecord.StackTrials stack, String workload, Kind kind) {
    }

    /** Errors where the baseline had none, and VALID in every baseline trial but INVALID in every candidate trial. */
    private static void stepFaults(String stack, String w, String kind, List<GateRecord.Trial> a, List<GateRecord.Trial> b,
                                   Function<GateRecord.Workload, List<GateRecord.Step>> pick, List<String> faults, List<String> notes) {
        List<GateRecord.Step> sa = steps(a, w, pick);
        List<GateRecord.Step> sb = steps(b, w, pick);
        long errorsA = sa.stream().mapToLong(GateRecord.Step::errors).sum();
        long errorsB = sb.stream().mapToLong(GateRecord.Step::errors).sum();
        String where = stack + " " + w + " " + kind + " step";
        if (errorsB > 0 && errorsA == 0) {
            faults.add(where + ": " + errorsB + " error(s) or non-2xx answers in the candidate, none in the baseline");
        } else if (errorsB > 0) {
            notes.add(where + ": errors in both arms (baseline " + errorsA + ", candidate " + errorsB + ")");
        }
        if (!sa.isEmpty() && sb.size() >= 2 && sa.stream().allMatch(GateRecord.Step::valid)
                && sb.stream().noneMatch(GateRecord.Step::valid)) {
            faults.add(where + ": VALID in all " + sa.size() + " baseline steps, INVALID in all " + sb.size()
                    + " candidate steps (" + String.join("; ", sb.getFirst().reasons() == null ? List.of()
                    : sb.getFirst().reasons()) + ")");
        }
    }

    private static List<GateRecord.Step> steps(List<GateRecord.Trial> trials, String w,
                                               Function<GateRecord.Workload, List<GateRecord.Step>> pick) {
        List<GateRecord.Step> out = new ArrayList<>();
        for (GateRecord.Trial t : trials) {
            GateRecord.Workload x = t.workloads() == null ? null : t.workloads().get(w);
            if (x != null) {
                out.addAll(pick.apply(x));
            }
        }
        return out;
    }

    /**
     * The pairs of a stack: the trials after the lead-in, less those of pairs measured again, two by
     * two in the order run; each pair one A and one B.
     */
    static List<GateRecord.Trial[]> pairs(List<GateRecord.Trial> trials) {
        List<GateRecord.Trial> judged = trials.stream().filter(t -> !t.leadIn() && t.remeasured() == null).sorted(
                java.util.Comparator.comparingInt(GateRecord.Trial::seq)).toList();
        List<GateRecord.Trial[]> out = new ArrayList<>();
        for (int i = 0; i + 1 < judged.size(); i += 2) {
            GateRecord.Trial x = judged.get(i);
            GateRecord.Trial y = judged.get(i + 1);
            if (x.arm().equals(y.arm())) {
                continue;
            }
            out.add(x.arm().equals("A") ? new GateRecord.Trial[] {x, y} : new GateRecord.Trial[] {y, x});
        }
        return out;
    }

    /**
     * A figure's valid pairs: per pair the log-ratio B/A, each arm's trial figure, and whether A's
     * server was the one started (and measured) first in that pair.
     *
     * <p>The pairs are a two-period crossover (ABBA: pairs AB and BA alternate), analysed as one:
     * the change is the mean of the AB pairs' mean log-ratio and the BA pairs' one, so whatever
     * favours the server started first in a pair (on this machine the first-started one of two
     * JVMs side by side has used up to 17% more CPU per request) cancels instead of widening the
     * spread; its standard error comes from the spread within each order, with n-2 degrees of
     * freedom. With fewer than three pairs, or all in one order, it is the plain paired t-test.
     */
    record Pairs(List<Double> logs, List<Double> va, List<Double> vb, List<Boolean> aFirst) {
        int n() {
            return logs.size();
        }

        private List<Double> inOrder(boolean first) {
            List<Double> out = new ArrayList<>();
            for (int i = 0; i < logs.size(); i++) {
                if (aFirst.get(i) == first) {
                    out.add(logs.get(i));
                }
            }
            return out;
        }

        /** Whether both orders are there and one degree of freedom is left after their two means. */
        boolean crossover() {
            int ab = inOrder(true).size();
            return ab >= 1 && ab < n() && n() >= 3;
        }

        /** The change on the log scale: the two orders' means averaged (crossover) or the plain mean. */
        double mean() {
            return crossover() ? (average(inOrder(true)) + average(inOrder(false))) / 2 : average(logs);
        }

        /** The standard error of {@link #mean()}. */
        double se() {
            if (!crossover()) {
                return Math.sqrt(squares(logs) / (n() - 1) / n());
            }
            List<Double> ab = inOrder(true);
            List<Double> ba = inOrder(false);
            double pooled = (squares(ab) + squares(ba)) / (n() - 2);
            return Math.sqrt(pooled / 4 * (1.0 / ab.size() + 1.0 / ba.size()));
        }

        /** The t-test's degrees of freedom. */
        int df() {
            return crossover() ? n() - 2 : n() - 1;
        }

        /**
         * What the arm started first in a pair gained on the log scale, half the BA pairs' mean
         * minus the AB pairs' (null without a crossover): shown, not judged.
         */
        Double orderEffect() {
            return crossover() ? (average(inOrder(false)) - average(inOrder(true))) / 2 : null;
        }

        /**
         * The one-sided p-value of the t-test for "B is worse than A" ({@code worseIsUp}: a higher
         * figure is worse): the chance of a change this far the worse way under no change.
         */
        double pWorse(boolean worseIsUp) {
            double mean = worseIsUp ? mean() : -mean();
            double se = se();
            if (se == 0) {
                return mean > 0 ? 0 : 1;
            }
            return StudentT.cdf(-mean / se, df());
        }

        private static double average(List<Double> xs) {
            return xs.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        }

        private static double squares(List<Double> xs) {
            double m = average(xs);
            return xs.stream().mapToDouble(d -> (d - m) * (d - m)).sum();
        }
    }

    private static Pairs pairs(Planned p) {
        Kind k = p.kind();
        List<Double> logs = new ArrayList<>();
        List<Double> va = new ArrayList<>();
        List<Double> vb = new ArrayList<>();
        List<Boolean> aFirst = new ArrayList<>();
        for (GateRecord.Trial[] pair : pairs(p.stack().trials())) {
            Double x = k.value(pair[0], p.workload());
            Double y = k.value(pair[1], p.workload());
            if (x != null && y != null && x > 0 && y > 0) {
                Double blocks = k.blockLogRatio(pair[0], pair[1], p.workload());
                logs.add(blocks != null ? blocks : Math.log(y / x));
                va.add(x);
                vb.add(y);
                aFirst.add(pair[0].seq() < pair[1].seq());
            }
        }
        return new Pairs(logs, va, vb, aFirst);
    }

    /**
     * Each figure's one-sided level by Holm's step-down procedure, which keeps the family-wise
     * false-positive rate at {@code familyAlpha} like Bonferroni's even split but loses less power:
     * the figures in order of their p-value for "worse", the first tested at familyAlpha/m, each
     * next one, while the one before was found worse, at familyAlpha/(m-1), /(m-2) ...; from the
     * first one not found worse on, all are tested at that one's level. A figure with too few pairs
     * counts in m (it is a figure of the family) but is never found worse.
     */
    static double[] holmLevels(List<Pairs> figures, double familyAlpha, int minPairs, List<Boolean> worseIsUp) {
        int m = figures.size();
        double[] levels = new double[m];
        double[] p = new double[m];
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) {
            order[i] = i;
            Pairs f = figures.get(i);
            p[i] = f.n() < Math.max(2, minPairs) ? 1 : f.pWorse(worseIsUp.get(i));
        }
        java.util.Arrays.sort(order, java.util.Comparator.comparingDouble(i -> p[i]));
        boolean stepping = true;
        double level = m == 0 ? familyAlpha : familyAlpha / m;
        for (int rank = 0; rank < m; rank++) {
            int i = order[rank];
            if (stepping) {
                level = familyAlpha / (m - rank);
            }
            levels[i] = level;
            if (stepping && !(p[i] <= level)) {
                stepping = false;
            }
        }
        return levels;
    }

    private static GateRecord.FigureVerdict figure(Planned p, Pairs pairs, GateRecord.Settings s, double alpha) {
        Kind k = p.kind();
        double minEffect = s.minEffects().getOrDefault(k.key, 0.05);
        List<Double> logs = pairs.logs();
        List<Double> va = pairs.va();
        List<Double> vb = pairs.vb();
        String label = k.label(p.workload(), p.stack().sharedRates(), s.concurrency());
        Double medA = median(va);
        Double medB = median(vb);
        int n = logs.size();
        List<Double> pairChanges = logs.stream().map(d -> Math.exp(d) - 1).toList();
        if (n < Math.max(2, s.minPairs())) {
            return new GateRecord.FigureVerdict(p.stack().stack(), p.workload(), label, k.unit, k.higherIsBetter, n, medA, medB,
                    null, null, null, minEffect, alpha, "no verdict", "only " + n + " valid pair(s), " + s.minPairs()
                    + " needed", pairChanges, null);
        }
        double mean = pairs.mean();
        double se = pairs.se();
        double tq = StudentT.quantile(1 - alpha, pairs.df());
        double low = Math.exp(mean - tq * se) - 1;
        double high = Math.exp(mean + tq * se) - 1;
        double change = Math.exp(mean) - 1;
        double bar = Math.log(1 + minEffect);
        boolean up = low > 0 && mean >= bar;
        boolean down = high < 0 && -mean >= bar;
        boolean worse = k.higherIsBetter ? down : up;
        boolean better = k.higherIsBetter ? up : down;
        String verdict = worse ? "regression" : better ? "improvement" : "no change";
        String why;
        if (worse || better) {
            why = "the interval excludes no change and the change passes the minimum effect of " + GateSummary.pct(minEffect);
        } else if (mean > 0 ? low > 0 : high < 0) {
            why = "a change the test finds, below the minimum effect of " + GateSummary.pct(minEffect);
        } else {
            why = "the interval includes no change";
        }
        Double order = pairs.orderEffect();
        if (order != null) {
            why += String.format(Locale.ROOT, " (crossover of %d AB and %d BA pairs, %d degrees of freedom; the server started "
                    + "first in a pair measured %+.1f%%, cancelled)", pairs.aFirst().stream().filter(x -> x).count(),
                    pairs.aFirst().stream().filter(x -> !x).count(), pairs.df(), (Math.exp(order) - 1) * 100);
        }
        return new GateRecord.FigureVerdict(p.stack().stack(), p.workload(), label, k.unit, k.higherIsBetter, n, medA, medB,
                change, low, high, minEffect, alpha, verdict, why, pairChanges, order == null ? null : Math.exp(order) - 1);
    }

    static Double median(List<Double> xs) {
        if (xs.isEmpty()) {
            return null;
        }
        List<Double> sorted = xs.stream().sorted().toList();
        int m = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(m) : (sorted.get(m - 1) + sorted.get(m)) / 2;
    }

    /** The default minimum effects: the smallest change, per figure kind, that can fail the gate. */
    public static Map<String, Double> defaultMinEffects() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(Kind.THROUGHPUT.key, 0.05);
        m.put(Kind.P99.key, 0.10);
        m.put(Kind.CPU.key, 0.05);
        m.put(Kind.STARTUP.key, 0.10);
        m.put(Kind.RSS.key, 0.10);
        return m;
    }
}
