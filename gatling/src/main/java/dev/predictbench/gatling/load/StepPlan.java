package dev.predictbench.gatling.load;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One step of load: a closed model ({@code concurrency} connections, each sending its next request
 * as soon as the last is answered) or an open model (Poisson arrivals at {@code rate} per second
 * over {@code connections} keep-alive connections). The same load runs for {@code warmupSeconds}
 * (excluded) and then for {@code windows} windows of {@code windowSeconds}, measured.
 *
 * @param name           the step's name in the record ({@code c16}, {@code r5000})
 * @param open           open model (Poisson arrivals) or closed model
 * @param rate           arrivals per second (open model)
 * @param concurrency    requests in flight (closed model); also its connection count
 * @param connections    keep-alive connections of an open step; an arrival that finds none free waits for one
 * @param warmupSeconds  load before the measurement, not counted
 * @param windowSeconds  length of one window
 * @param windows        windows measured
 * @param timeoutSeconds a request unanswered this long after its intended send time is a timeout
 *                       (it is not sent at all if it is still waiting for a connection by then)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StepPlan(String name, boolean open, double rate, int concurrency, int connections, double warmupSeconds,
                       double windowSeconds, int windows, double timeoutSeconds) {

    public StepPlan {
        if (open ? !(rate > 0) || connections < 1 : concurrency < 1) {
            throw new IllegalArgumentException(name + ": an open step needs a rate > 0 and connections >= 1, a closed step "
                    + "a concurrency >= 1");
        }
        if (windows < 1 || !(windowSeconds > 0) || warmupSeconds < 0 || !(timeoutSeconds > 0)) {
            throw new IllegalArgumentException(name + ": windows >= 1, window > 0, warm-up >= 0 and timeout > 0 are required");
        }
    }

    public static StepPlan closed(String name, int concurrency, double warmupSeconds, double windowSeconds, int windows,
                                  double timeoutSeconds) {
        return new StepPlan(name, false, 0, concurrency, concurrency, warmupSeconds, windowSeconds, windows, timeoutSeconds);
    }

    public static StepPlan open(String name, double rate, int connections, double warmupSeconds, double windowSeconds,
                                int windows, double timeoutSeconds) {
        return new StepPlan(name, true, rate, 0, connections, warmupSeconds, windowSeconds, windows, timeoutSeconds);
    }

    /** Connections the step opens. */
    public int connectionCount() {
        return open ? connections : concurrency;
    }

    /** Seconds from the start of the warm-up to the end of the last window. */
    public double seconds() {
        return warmupSeconds + windows * windowSeconds;
    }
}
