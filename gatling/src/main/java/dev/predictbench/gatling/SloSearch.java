package dev.predictbench.gatling;

import dev.predictbench.results.RunRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The search for the highest arrival rate whose p99 stays under the objective (the MLPerf "server"
 * idea), as a bracket: the highest rate that passed and the lowest rate above it that failed. The
 * rate scenario's steps are its first evidence; each next rate halves the bracket, or, with only
 * one side known, moves 25% up from a pass or 40% down from a fail (starting at 70% of the sweep's
 * peak). The search ends when the bracket is at most {@code bracket} wide ((fail - pass) / pass).
 * <p>
 * A step passes when it is valid by every rule, had no errors, its p99 is published and at most the
 * objective, and it kept up (good answers at least 90% of the offered rate). A step fails when it
 * is evidence against the rate: over the objective, errors, behind the schedule, or unsettled. A
 * step whose generator was saturated, or sent late while connections were free, is evidence of
 * nothing and is not a side.
 */
public final class SloSearch {
    static final double KEEP_UP = 0.9;
    static final double START = 0.7;
    static final double UP = 1.25;
    static final double DOWN = 0.6;
    /** The search does not go above this multiple of the sweep's peak: past it the objective held everywhere tried. */
    static final double CEILING = 1.5;

    private SloSearch() {
    }

    public static boolean passes(RunRecord.Step step, double objective) {
        return step.valid() && step.errors() == 0 && step.latency() != null && step.latency().p99() != null
                && step.latency().p99() <= objective && step.targetRate() != null
                && step.throughput() >= KEEP_UP * step.targetRate();
    }

    /** Evidence of nothing: the generator, not the server, set the figures. */
    static boolean inconclusive(RunRecord.Step step) {
        if (step.generatorSaturated()) {
            return true;
        }
        RunRecord.Generator g = step.generator();
        // Late sends with every connection busy are the server's doing (its answers held the
        // connections); late sends with connections free are the generator's.
        return g != null && g.scheduled() > 0 && g.lateOver1ms() > LoadSteps.LATE_ALLOWED * g.scheduled()
                && g.connectionWaits() == 0;
    }

    static boolean fails(RunRecord.Step step, double objective) {
        return step.targetRate() != null && !passes(step, objective) && !inconclusive(step);
    }

    public static Optional<RunRecord.Step> bestPassing(List<RunRecord.Step> tried, double objective) {
        return tried.stream().filter(s -> passes(s, objective)).max(Comparator.comparing(RunRecord.Step::targetRate));
    }

    static Optional<RunRecord.Step> lowestFailing(List<RunRecord.Step> tried, double objective) {
        double lo = bestPassing(tried, objective).map(RunRecord.Step::targetRate).orElse(0.0);
        return tried.stream().filter(s -> fails(s, objective) && s.targetRate() > lo)
                .min(Comparator.comparing(RunRecord.Step::targetRate));
    }

    /** (fail - pass) / pass, or null while one side is missing. */
    static Double width(List<RunRecord.Step> tried, double objective) {
        Optional<RunRecord.Step> pass = bestPassing(tried, objective);
        Optional<RunRecord.Step> fail = lowestFailing(tried, objective);
        if (pass.isEmpty() || fail.isEmpty()) {
            return null;
        }
        return (fail.get().targetRate() - pass.get().targetRate()) / pass.get().targetRate();
    }

    /** The next rate to try, or null when the bracket is narrow enough or there is nowhere left to go. */
    public static Double next(List<RunRecord.Step> tried, double objective, double peak, double bracket) {
        Optional<RunRecord.Step> pass = bestPassing(tried, objective);
        Optional<RunRecord.Step> fail = lowestFailing(tried, objective);
        double rate;
        if (pass.isPresent() && fail.isPresent()) {
            double lo = pass.get().targetRate();
            double hi = fail.get().targetRate();
            if ((hi - lo) / lo <= bracket + 1e-9) {
                return null;
            }
            rate = (lo + hi) / 2;
        } else if (pass.isPresent()) {
            if (pass.get().targetRate() >= CEILING * peak) {
                return null;
            }
            rate = pass.get().targetRate() * UP;
        } else if (fail.isPresent()) {
            rate = fail.get().targetRate() * DOWN;
        } else {
            rate = tried.stream().map(RunRecord.Step::targetRate).filter(java.util.Objects::nonNull).min(Double::compare)
                    .map(r -> r * DOWN).orElse(START * peak);
        }
        double rounded = Math.max(1, Math.round(rate));
        boolean seen = tried.stream().anyMatch(s -> s.targetRate() != null && Math.abs(s.targetRate() - rounded) < 0.5);
        return seen || rounded < 1 ? null : rounded;
    }

    /** The bracket so far, for the console. */
    static String describe(List<RunRecord.Step> tried, double objective) {
        return "passing up to " + bestPassing(tried, objective).map(s -> s.targetRate() + "/s").orElse("none") + ", failing from "
                + lowestFailing(tried, objective).map(s -> s.targetRate() + "/s").orElse("none");
    }

    /**
     * The scenario result: VALID when the bracket closed to {@code bracket} and the passing step is
     * valid; else INVALID and why. {@code tried} holds every step the search judged (the rate
     * scenario's as well); {@code own} the steps it ran itself, which are the scenario's steps.
     */
    public static RunRecord.Scenario result(List<RunRecord.Step> tried, List<RunRecord.Step> own, double objective,
                                            double bracket) {
        List<String> reasons = new ArrayList<>();
        Optional<RunRecord.Step> best = bestPassing(tried, objective);
        Optional<RunRecord.Step> fail = lowestFailing(tried, objective);
        List<Double> rates = tried.stream().map(RunRecord.Step::targetRate).filter(java.util.Objects::nonNull).sorted().toList();
        Double width = width(tried, objective);
        String note;
        if (best.isEmpty()) {
            reasons.add("no rate tried met the objective p99 <= " + objective + " ms with no errors (lowest tried: "
                    + (rates.isEmpty() ? "none" : rates.getFirst() + "/s") + ")");
            note = "objective not met at any rate tried";
        } else if (fail.isEmpty()) {
            note = "the objective held at every rate tried, up to " + rates.getLast() + "/s; the limit is higher";
            reasons.add("no failing rate found above " + best.get().targetRate() + "/s: the bracket did not close");
        } else if (width > bracket + 1e-9) {
            reasons.add("the bracket " + best.get().targetRate() + "/s (pass) to " + fail.get().targetRate() + "/s (fail) is "
                    + LoadSteps.pct(width) + " wide after " + own.size() + " search steps; it must narrow to "
                    + LoadSteps.pct(bracket));
            note = "bracket not narrowed";
        } else {
            note = "highest passing rate, within " + LoadSteps.pct(width) + " of the lowest failing one";
        }
        List<RunRecord.Step> steps = new ArrayList<>(own);
        steps.sort(Comparator.comparing(RunRecord.Step::targetRate));
        RunRecord.Slo slo = new RunRecord.Slo(objective, best.map(RunRecord.Step::targetRate).orElse(null),
                best.map(RunRecord.Step::name).orElse(null), best.map(s -> s.latency().p99()).orElse(null), rates, note,
                fail.map(RunRecord.Step::targetRate).orElse(null), width == null ? null : LoadSteps.round(width, 4));
        return new RunRecord.Scenario(reasons.isEmpty() ? RunRecord.Status.VALID : RunRecord.Status.INVALID, reasons,
                List.of(), steps, slo);
    }
}
