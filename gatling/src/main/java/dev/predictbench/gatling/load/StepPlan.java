package dev.predictbench.gatling.load;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One step of load: a closed model ({@code concurrency} connections, each sending its next request
 * as soon as the last is answered) or an open model (Poisson arrivals at {@code rate} per second
 * over {@code connections} keep-alive connections). The same load runs for {@code warmupSeconds}
 * (excluded) and then window after window, measured.
 * <p>
 * A window closes once it is at least {@code windowSeconds} long and holds at least
 * {@code minWindowRequests} good answers (or has lasted {@code maxWindowSeconds}). The step ends
 * when its last {@code windows} windows agree within {@code tolerance} on throughput and on median
 * latency (largest / smallest - 1), or when {@code maxWindows} windows have been measured; its
 * figures are those last {@code windows} windows. With {@code maxWindows == windows} and
 * {@code minWindowRequests == 0} the step is a fixed {@code windows} x {@code windowSeconds}.
 * An open step with an objective also ends once it has clearly missed it (see {@code objectiveMicros}).
 *
 * @param name              the step's name in the record ({@code c16}, {@code r5000})
 * @param open              open model (Poisson arrivals) or closed model
 * @param rate              arrivals per second (open model)
 * @param concurrency       requests in flight (closed model); also its connection count
 * @param connections       keep-alive connections of an open step; an arrival that finds none free waits for one
 * @param warmupSeconds     load before the measurement, not counted
 * @param windowSeconds     shortest window
 * @param windows           windows the step's figures come from (the last ones measured)
 * @param timeoutSeconds    a request unanswered this long after its intended send time is a timeout
 *                          (it is not sent at all if it is still waiting for a connection by then)
 * @param maxWindows        the most windows measured before the step ends unsettled
 * @param minWindowRequests good answers a window needs before it may close
 * @param tolerance         how far the counted windows may disagree (0: not judged, the step ends after {@code windows})
 * @param maxWindowSeconds  a window closes after this long even without its requests (a stalled server)
 * @param objectiveMicros   a p99 objective (0: none); the step ends early once a window's median, or the p99 of the
 *                          windows so far (with at least 662 answers behind it), is above it
 * @param jitSettledBelow   a warm-up step (-1: not one): it ends once it has run {@code windows} windows and the
 *                          server's JIT compiled fewer than this many methods in each of the last two (hsperfdata), or
 *                          after {@code maxWindows}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StepPlan(String name, boolean open, double rate, int concurrency, int connections, double warmupSeconds,
                       double windowSeconds, int windows, double timeoutSeconds, int maxWindows, int minWindowRequests,
                       double tolerance, double maxWindowSeconds, long objectiveMicros, int jitSettledBelow) {

    public StepPlan {
        if (open ? !(rate > 0) || connections < 1 : concurrency < 1) {
            throw new IllegalArgumentException(name + ": an open step needs a rate > 0 and connections >= 1, a closed step "
                    + "a concurrency >= 1");
        }
        if (windows < 1 || !(windowSeconds > 0) || warmupSeconds < 0 || !(timeoutSeconds > 0)) {
            throw new IllegalArgumentException(name + ": windows >= 1, window > 0, warm-up >= 0 and timeout > 0 are required");
        }
        if (maxWindows < windows || minWindowRequests < 0 || tolerance < 0 || maxWindowSeconds < windowSeconds
                || objectiveMicros < 0 || jitSettledBelow < -1) {
            throw new IllegalArgumentException(name + ": maxWindows >= windows, minWindowRequests >= 0, tolerance >= 0, "
                    + "maxWindowSeconds >= windowSeconds and objectiveMicros >= 0 are required");
        }
    }

    /** A fixed step: {@code windows} windows of {@code windowSeconds}. */
    public StepPlan(String name, boolean open, double rate, int concurrency, int connections, double warmupSeconds,
                    double windowSeconds, int windows, double timeoutSeconds) {
        this(name, open, rate, concurrency, connections, warmupSeconds, windowSeconds, windows, timeoutSeconds, windows, 0, 0,
                windowSeconds, 0, -1);
    }

    public static StepPlan closed(String name, int concurrency, double warmupSeconds, double windowSeconds, int windows,
                                  double timeoutSeconds) {
        return new StepPlan(name, false, 0, concurrency, concurrency, warmupSeconds, windowSeconds, windows, timeoutSeconds);
    }

    public static StepPlan open(String name, double rate, int connections, double warmupSeconds, double windowSeconds,
                                int windows, double timeoutSeconds) {
        return new StepPlan(name, true, rate, 0, connections, warmupSeconds, windowSeconds, windows, timeoutSeconds);
    }

    /** The same step, ending once its last {@code windows} windows agree (see the class comment). */
    public StepPlan adaptive(int maxWindows, int minWindowRequests, double tolerance, double maxWindowSeconds) {
        return new StepPlan(name, open, rate, concurrency, connections, warmupSeconds, windowSeconds, windows, timeoutSeconds,
                maxWindows, minWindowRequests, tolerance, Math.max(maxWindowSeconds, windowSeconds), objectiveMicros,
                jitSettledBelow);
    }

    /** The same step with another warm-up. */
    public StepPlan withWarmup(double warmupSeconds) {
        return new StepPlan(name, open, rate, concurrency, connections, warmupSeconds, windowSeconds, windows, timeoutSeconds,
                maxWindows, minWindowRequests, tolerance, maxWindowSeconds, objectiveMicros, jitSettledBelow);
    }

    /** The same step, ending early once it has clearly missed a p99 objective. */
    public StepPlan withObjective(double objectiveMillis) {
        return new StepPlan(name, open, rate, concurrency, connections, warmupSeconds, windowSeconds, windows, timeoutSeconds,
                maxWindows, minWindowRequests, tolerance, maxWindowSeconds, Math.round(objectiveMillis * 1000), jitSettledBelow);
    }

    /**
     * A warm-up: closed load in chunks of {@code chunkSeconds} for at least {@code minSeconds}, until the
     * server's JIT compiled fewer than {@code settledBelow} methods in a chunk, or {@code capSeconds}.
     */
    public static StepPlan warmup(String name, int concurrency, double chunkSeconds, double minSeconds, double capSeconds,
                                  int settledBelow, double timeoutSeconds) {
        int min = Math.max(1, (int) Math.ceil(minSeconds / chunkSeconds));
        int max = Math.max(min, (int) Math.floor(capSeconds / chunkSeconds));
        return new StepPlan(name, false, 0, concurrency, concurrency, 0, chunkSeconds, min, timeoutSeconds, max, 0, 0,
                chunkSeconds, 0, settledBelow);
    }

    /** Connections the step opens. */
    public int connectionCount() {
        return open ? connections : concurrency;
    }

    /** Seconds from the start of the warm-up to the end of the last window, when every window is as short as allowed. */
    public double seconds() {
        return warmupSeconds + windows * windowSeconds;
    }

    /** The longest the step can take, drain excluded. */
    public double maxSeconds() {
        return warmupSeconds + maxWindows * maxWindowSeconds;
    }
}
