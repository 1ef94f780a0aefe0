package dev.predictbench.gatling;

/**
 * The OpenAI-compatible upstream the {@code llm} workload's servers call: the simulator, run in
 * the runner's JVM (so on the load side's CPUs), with its own account of how late it was.
 */
interface Upstream extends AutoCloseable {
    /** The base URL servers get as {@code PREDICTBENCH_UPSTREAM_URL}. */
    String baseUrl();

    /** What answers, for the run record. */
    String implementation();

    /** Zeroes the counters before a step. */
    void reset();

    /** The counters since the last {@link #reset()}. */
    Stats stats();

    @Override
    void close();

    /**
     * @param maxActiveStreams streams open at once, at most
     * @param events           token events sent
     * @param lateEvents       events sent more than 1 ms after their schedule
     * @param lagP99Millis     how late events went out, p99
     * @param lagMaxMillis     and at most
     */
    record Stats(long maxActiveStreams, long events, long lateEvents, double lagP99Millis, double lagMaxMillis) {
    }
}
