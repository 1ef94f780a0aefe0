package dev.predictbench.gatling.load;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * What the load client measured in one step. Latencies are microseconds from the pooled histogram
 * of the step's measured requests (HdrHistogram, 3 significant digits); the same histograms per
 * window are in the step's HdrHistogram log.
 *
 * @param plan                  the step as asked
 * @param timedFrom             {@code intended} (open model: from each request's scheduled send time, free of
 *                              coordinated omission) or {@code sent} (closed model: from the moment it was written)
 * @param measuredSeconds       the counted windows' length (the step's last {@code plan.windows()} windows)
 * @param scheduled             requests whose intended send time fell in the measured interval
 * @param ok                    of those, answered 200 with the workload's key in the body
 * @param failed                of those, not: by kind
 * @param completedInInterval   good answers that completed inside the measured interval (throughput = this / seconds)
 * @param throughput            completedInInterval / measuredSeconds
 * @param latency               intended send (open) or send (closed) to the last byte of the answer, good answers
 * @param service               actual send to the last byte, good answers (equals latency in a closed step)
 * @param scheduleLag           how late each measured request left against its intended time (open model)
 * @param lateOver1ms           measured requests sent more than 1 ms after their intended time
 * @param connectionWaits       measured requests that found no free connection at their intended time
 * @param windows               per window
 * @param clientCpuSeconds      the client's I/O thread's busy time over the counted windows: their wall time less the
 *                              time it spent waiting (polling idle sockets or asleep in the selector)
 * @param clientPollSeconds     that polling time (the client polls rather than sleeps when the next send is
 *                              under {@link LoadClient#POLL_BELOW_NANOS} away)
 * @param clientCpuMicrosPerRequest clientCpuSeconds / requests completed in the interval, in microseconds
 * @param server                the server process's CPU and RSS over the measured interval (null when not sampled)
 * @param events                Server-Sent Events timing, when the step timed events
 * @param histogramLog          file name of the step's HdrHistogram log (beside the outcome)
 * @param drainSeconds          from the end of the last window to the last answer (or the drain bound)
 * @param health                the server's JIT and GC, the machine's CPU steal, and how the step ended
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StepOutcome(StepPlan plan, String timedFrom, double measuredSeconds, long scheduled, long ok, Failures failed,
                          long completedInInterval, double throughput, Percentiles latency, Percentiles service,
                          Percentiles scheduleLag, long lateOver1ms, long connectionWaits, List<WindowOutcome> windows,
                          double clientCpuSeconds, double clientPollSeconds, Double clientCpuMicrosPerRequest, ServerUse server, Events events,
                          String histogramLog, double drainSeconds, Health health) {

    /** The same outcome with its histogram log's file name. */
    public StepOutcome withLog(String histogramLog) {
        return new StepOutcome(plan, timedFrom, measuredSeconds, scheduled, ok, failed, completedInInterval, throughput, latency,
                service, scheduleLag, lateOver1ms, connectionWaits, windows, clientCpuSeconds, clientPollSeconds,
                clientCpuMicrosPerRequest, server, events, histogramLog, drainSeconds, health);
    }

    /**
     * What else happened during the counted windows.
     *
     * @param compiles      methods the server's JIT compiled (hsperfdata; null when not a HotSpot JVM with perf data)
     * @param gcPauseMillis the server's stop-the-world GC time
     * @param stealShare    CPU steal / all CPU time of the machine (/proc/stat)
     * @param windowsNeeded windows measured in all (the step's figures are the last {@code plan.windows()})
     * @param stopped       {@code stable}, {@code cap}, {@code objective} (clearly over the p99 objective), {@code fixed};
     *                      a warm-up: {@code settled}, {@code no JIT counters} or {@code cap}
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Health(Long compiles, Double gcPauseMillis, Double stealShare, int windowsNeeded, String stopped) {
    }

    /** Requests that did not get a good answer, by kind. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Failures(long total, Map<String, Long> byStatus, long badBody, long timeouts, long connectionErrors,
                           long protocolErrors, String firstError) {
    }

    /** Percentiles in microseconds from a histogram of {@code count} values. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Percentiles(long count, Double p50, Double p90, Double p99, Double p999, Double max, Double mean) {
    }

    /**
     * One window: good answers completed in it (throughput), latency of the requests intended (open)
     * or sent (closed) in it, the processes' CPU over it, and the methods the server's JIT compiled in it.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WindowOutcome(double seconds, long completed, long failed, double throughput, Percentiles latency,
                                Double serverCpuSeconds, Long serverRssBytes, double clientCpuSeconds, Long compiles) {
    }

    /** The server's CPU time and RSS, from /proc, over the measured interval. */
    public record ServerUse(double cpuSeconds, long rssBytesAtEnd) {
    }

    /** Server-Sent Events: time from intended send to the first event, and between events. */
    public record Events(long streams, long events, Percentiles firstEvent, Percentiles betweenEvents) {
    }
}
