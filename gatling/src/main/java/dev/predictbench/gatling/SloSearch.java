package dev.predictbench.gatling;

import dev.predictbench.results.RunRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The bounded search for the highest arrival rate whose p99 stays under the objective with no
 * errors (the MLPerf "server" idea). Round one tries a ladder from 30% to 120% of the best sweep
 * throughput; each later round tries evenly spaced rates strictly between the highest rate that
 * passed and the lowest rate above it that failed. A step passes when it had no errors, its p99 is
 * at most the objective, and the server kept up (throughput at least 90% of the offered rate).
 */
public final class SloSearch {
    static final double LOW = 0.3;
    static final double HIGH = 1.2;
    static final double KEEP_UP = 0.9;

    private SloSearch() {
    }

    public static List<Double> firstRound(double peak, int rates) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < rates; i++) {
            out.add(round(peak * (LOW + (HIGH - LOW) * i / (rates - 1))));
        }
        return out;
    }

    /** The next round's rates, or empty when there is nothing left between a pass and a fail. */
    public static List<Double> nextRound(List<RunRecord.Step> tried, double objective, int rates) {
        Optional<RunRecord.Step> best = bestPassing(tried, objective);
        double lo = best.map(RunRecord.Step::targetRate).orElse(0.0);
        Optional<Double> hi = tried.stream().filter(s -> !passes(s, objective)).map(RunRecord.Step::targetRate)
                .filter(r -> r > lo).min(Comparator.naturalOrder());
        if (hi.isEmpty() || hi.get() - lo < 2) {
            return List.of();
        }
        List<Double> out = new ArrayList<>();
        for (int i = 1; i <= rates; i++) {
            out.add(round(lo + (hi.get() - lo) * i / (rates + 1)));
        }
        return out;
    }

    public static boolean passes(RunRecord.Step step, double objective) {
        return step.errors() == 0 && step.latency() != null && step.latency().p99() != null
                && step.latency().p99() <= objective && step.targetRate() != null
                && step.throughput() >= KEEP_UP * step.targetRate();
    }

    public static Optional<RunRecord.Step> bestPassing(List<RunRecord.Step> tried, double objective) {
        return tried.stream().filter(s -> passes(s, objective)).max(Comparator.comparing(RunRecord.Step::targetRate));
    }

    /** The scenario result: VALID with the highest passing rate, or INVALID and why. */
    public static RunRecord.Scenario result(List<RunRecord.Step> tried, double objective, List<String> reports) {
        List<String> reasons = new ArrayList<>();
        Optional<RunRecord.Step> best = bestPassing(tried, objective);
        List<Double> rates = tried.stream().map(RunRecord.Step::targetRate).sorted().toList();
        String note;
        if (best.isEmpty()) {
            reasons.add("no rate tried met the objective p99 <= " + objective + " ms with no errors (lowest tried: "
                    + (rates.isEmpty() ? "none" : rates.getFirst()) + "/s)");
            note = "objective not met at any rate tried";
        } else {
            RunRecord.Step s = best.get();
            if (!s.stable()) {
                reasons.add("the step at the highest passing rate (" + s.name() + ") did not settle: spread " + s.spread());
            }
            if (s.generatorSaturated()) {
                reasons.add("the load generator was saturated at " + s.name() + ": the rate is the generator's limit");
            }
            note = s.targetRate().equals(rates.getLast())
                    ? "the objective held at every rate up to the highest tried; the true limit may be higher"
                    : "highest passing rate below the lowest failing one";
        }
        RunRecord.Slo slo = new RunRecord.Slo(objective, best.map(RunRecord.Step::targetRate).orElse(null),
                best.map(RunRecord.Step::name).orElse(null),
                best.map(s -> s.latency().p99()).orElse(null), rates, note);
        return new RunRecord.Scenario(reasons.isEmpty() ? RunRecord.Status.VALID : RunRecord.Status.INVALID, reasons,
                reports, tried, slo);
    }

    private static double round(double v) {
        return Math.max(1, Math.round(v));
    }
}
