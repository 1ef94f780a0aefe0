package dev.predictbench.gatling.load;

/**
 * The arithmetic behind the validity rules: when a set of windows agrees, and how many requests a
 * tail percentile needs before it may be published.
 */
public final class Stability {
    /** Confidence that a published percentile is not below the true one (MLPerf LoadGen's early stopping: 99%). */
    public static final double CONFIDENCE = 0.99;
    /** Requests over the published percentile the early-stopping count allows for. */
    public static final int TAIL_ALLOWED = 1;

    private Stability() {
    }

    /** Whether every value is within {@code tolerance} of every other: largest / smallest - 1 <= tolerance. */
    public static boolean within(double[] values, double tolerance) {
        return spread(values) <= tolerance + 1e-12;
    }

    /** (largest - smallest) / smallest of some values; 0 when they are all 0, infinity when only some are. */
    public static double spread(double[] values) {
        double min = Double.MAX_VALUE;
        double max = 0;
        for (double v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        if (values.length == 0 || max == 0) {
            return 0;
        }
        return min == 0 ? Double.POSITIVE_INFINITY : max / min - 1;
    }

    /**
     * The fewest requests for which the {@code percentile} (e.g. 99) of a sample holds at
     * {@link #CONFIDENCE} with {@link #TAIL_ALLOWED} request over it: the smallest n with
     * P(Binomial(n, 1 - percentile/100) <= TAIL_ALLOWED) <= 1 - CONFIDENCE. 662 for p99, 64 for p90.
     */
    public static long minRequests(double percentile) {
        double q = 1 - percentile / 100.0;
        if (!(q > 0 && q < 1)) {
            throw new IllegalArgumentException("a percentile between 0 and 100 is required, got " + percentile);
        }
        for (long n = TAIL_ALLOWED + 1; n < 100_000_000L; n++) {
            if (binomialCdf(TAIL_ALLOWED, n, q) <= 1 - CONFIDENCE) {
                return n;
            }
        }
        throw new IllegalStateException("no request count for percentile " + percentile);
    }

    /** P(X <= k) for X ~ Binomial(n, q), in logs so large n does not underflow. */
    static double binomialCdf(int k, long n, double q) {
        double sum = 0;
        double logCoefficient = 0;
        for (int i = 0; i <= k; i++) {
            if (i > 0) {
                logCoefficient += Math.log((double) (n - i + 1) / i);
            }
            sum += Math.exp(logCoefficient + i * Math.log(q) + (n - i) * Math.log1p(-q));
        }
        return sum;
    }
}
