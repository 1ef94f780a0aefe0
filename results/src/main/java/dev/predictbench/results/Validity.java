package dev.predictbench.results;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * What the readers of a run record (the check, the report, the comparison) need to tell whether a
 * figure may back a verdict: why a step is INVALID, and which tail percentiles have too few
 * requests behind them.
 *
 * <p>Early stopping (MLPerf LoadGen): a tail percentile is published only when the histogram behind
 * it held enough requests for it to hold at 99% confidence with one request over it: the smallest n
 * with P(Binomial(n, 1 - percentile) <= 1) <= 1%, the runner's rule ({@code Stability.minRequests}):
 * 64 for p90, 662 for p99, 6,636 for p99.9. The runner withholds it otherwise ({@code latency.withheld}).
 */
public final class Validity {
    /** Confidence that a published percentile is not below the true one. */
    static final double CONFIDENCE = 0.99;
    /** Requests over the percentile the count allows for. */
    static final int TAIL_ALLOWED = 1;

    /** Requests a percentile needs behind it to be published, by its label in {@code latency.withheld}. */
    public static final Map<String, Long> EARLY_STOPPING;

    static {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("p90", minRequests(90));
        m.put("p99", minRequests(99));
        m.put("p99.9", minRequests(99.9));
        EARLY_STOPPING = java.util.Collections.unmodifiableMap(m);
    }

    /** The fewest requests behind a percentile (e.g. 99) for it to be published. */
    public static long minRequests(double percentile) {
        double q = 1 - percentile / 100.0;
        for (long n = TAIL_ALLOWED + 1; ; n++) {
            // P(X <= TAIL_ALLOWED) for X ~ Binomial(n, q), in logs so large n does not underflow.
            double cdf = 0;
            double logCoefficient = 0;
            for (int i = 0; i <= TAIL_ALLOWED; i++) {
                if (i > 0) {
                    logCoefficient += Math.log((double) (n - i + 1) / i);
                }
                cdf += Math.exp(logCoefficient + i * Math.log(q) + (n - i) * Math.log1p(-q));
            }
            if (cdf <= 1 - CONFIDENCE) {
                return n;
            }
        }
    }

    private Validity() {
    }

    /**
     * Why a step is INVALID, empty when it is VALID: its {@code reasons}, or for records made before
     * steps carried them, what {@link RunRecord.Step#valid()} looks at (settled, errors, generator).
     */
    public static List<String> reasons(RunRecord.Step step) {
        if (step.valid()) {
            return List.of();
        }
        if (step.reasons() != null) {
            return step.reasons();
        }
        List<String> out = new ArrayList<>();
        if (!step.stable()) {
            out.add("did not settle (spread " + String.format(Locale.ROOT, "%.0f%%", step.spread() * 100) + ")");
        }
        if (step.errors() > 0) {
            out.add(String.format(Locale.ROOT, "%,d errors", step.errors()));
        }
        if (step.generatorSaturated()) {
            out.add("the load generator was saturated");
        }
        return out;
    }

    /** The percentile of a latency by its label ({@code p90}, {@code p99}, {@code p99.9}). */
    public static Double percentile(RunRecord.Latency l, String label) {
        Function<RunRecord.Latency, Double> get = switch (label) {
            case "p50" -> RunRecord.Latency::p50;
            case "p90" -> RunRecord.Latency::p90;
            case "p99" -> RunRecord.Latency::p99;
            case "p99.9" -> RunRecord.Latency::p999;
            default -> throw new IllegalArgumentException(label);
        };
        return l == null ? null : get.apply(l);
    }

    /** Whether {@code withheld} names the percentile ({@code "p99: too few ..."}; "p99" does not match "p99.9:"). */
    public static boolean withheld(RunRecord.Latency l, String label) {
        return l != null && withheld(l.withheld(), label);
    }

    /** Whether a {@code latency.withheld} text names the percentile. */
    public static boolean withheld(String withheld, String label) {
        if (withheld == null) {
            return false;
        }
        return withheld.startsWith(label + ":") || withheld.contains(" " + label + ":") || withheld.contains(";" + label + ":");
    }

    /** What a withheld percentile reads instead of a number: {@code too few requests (n=1,523)}. */
    public static String tooFew(RunRecord.Latency l) {
        return "too few requests" + (l == null || l.requests() == null ? "" : String.format(Locale.ROOT, " (n=%,d)", l.requests()));
    }
}
