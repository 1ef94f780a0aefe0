package dev.predictbench.results;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * A benchmark run as {@code run.json}: settings, the environment it ran in, and per stack every
 * figure with its source and a VALID/INVALID verdict with reasons. Immutable; see
 * {@code results/SCHEMA.md} for every field. Readers accept every earlier {@link #schemaVersion()}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunRecord(
        int schemaVersion,
        String runId,
        String startedAt,
        String finishedAt,
        String profile,
        Settings settings,
        Environment environment,
        Jmh jmh,
        List<StackResult> stacks) {

    public static final int SCHEMA_VERSION = 1;

    public enum Status { VALID, INVALID }

    /**
     * What was asked for: every knob that shapes the numbers. {@code sloP99Millis} is the tabular
     * workload's objective; {@code sloObjectives} holds every workload's, and
     * {@code genaiConcurrency} the sweep steps of the GenAI workloads (both absent in records made
     * before the GenAI workloads existed).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Settings(
            List<String> stacks,
            List<String> scenarios,
            List<String> workloads,
            double warmupSeconds,
            double windowSeconds,
            int windows,
            List<Integer> concurrency,
            List<Double> rateFractions,
            double sloP99Millis,
            int sloRounds,
            double stabilityTolerance,
            int maxRepeats,
            int probeRequests,
            long seed,
            String loadModel,
            List<Integer> genaiConcurrency,
            Map<String, Double> sloObjectives,
            OverloadSettings overload,
            LoadSettings load) {

        /** Settings without the load client's (records made with Gatling alone). */
        public Settings(List<String> stacks, List<String> scenarios, List<String> workloads, double warmupSeconds,
                        double windowSeconds, int windows, List<Integer> concurrency, List<Double> rateFractions,
                        double sloP99Millis, int sloRounds, double stabilityTolerance, int maxRepeats, int probeRequests,
                        long seed, String loadModel, List<Integer> genaiConcurrency, Map<String, Double> sloObjectives,
                        OverloadSettings overload) {
            this(stacks, scenarios, workloads, warmupSeconds, windowSeconds, windows, concurrency, rateFractions,
                    sloP99Millis, sloRounds, stabilityTolerance, maxRepeats, probeRequests, seed, loadModel,
                    genaiConcurrency, sloObjectives, overload, null);
        }

        /** Settings without the overload scenario's (records made before it existed). */
        public Settings(List<String> stacks, List<String> scenarios, List<String> workloads, double warmupSeconds,
                        double windowSeconds, int windows, List<Integer> concurrency, List<Double> rateFractions,
                        double sloP99Millis, int sloRounds, double stabilityTolerance, int maxRepeats, int probeRequests,
                        long seed, String loadModel, List<Integer> genaiConcurrency, Map<String, Double> sloObjectives) {
            this(stacks, scenarios, workloads, warmupSeconds, windowSeconds, windows, concurrency, rateFractions,
                    sloP99Millis, sloRounds, stabilityTolerance, maxRepeats, probeRequests, seed, loadModel,
                    genaiConcurrency, sloObjectives, null);
        }
    }

    /**
     * The overload scenario's knobs (absent in records made before it existed).
     *
     * @param workloads              the workloads it runs for
     * @param factor                 offered rate = factor x the sweep's peak throughput
     * @param seconds                how long the rate is offered
     * @param requestTimeoutSeconds  a request with no answer by then counts as a timeout
     * @param recoveryFactor         recovered when a window's p99 is within this factor of the unloaded p99
     * @param recoverySeconds        how long recovery is watched before "not recovered"
     * @param recoveryWindowRequests sequential requests per recovery window
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OverloadSettings(List<String> workloads, double factor, double seconds, double requestTimeoutSeconds,
                                   double recoveryFactor, double recoverySeconds, int recoveryWindowRequests) {
    }

    /**
     * The load client's knobs (absent in records made with Gatling alone).
     *
     * @param client                the client and its JVM
     * @param jvmFlags              the client JVM's flags
     * @param connections           keep-alive connections of every open-model step (rate, slo)
     * @param overloadConnections   keep-alive connections of the overload step
     * @param requestTimeoutSeconds a request unanswered this long after its intended send time is a timeout
     * @param settleSeconds         unmeasured load before each step after a scenario's first (which has the warm-up)
     * @param rates                 absolute arrival rates of the rate scenario, replacing rateFractions (null: fractions
     *                              of the sweep's peak)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LoadSettings(String client, List<String> jvmFlags, int connections, int overloadConnections,
                               double requestTimeoutSeconds, double settleSeconds, List<Double> rates) {
    }

    /** Where and on what the run happened; comparisons refuse runs whose fingerprints differ. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Environment(
            String cpuModel,
            int cpuCount,
            long memoryBytes,
            String os,
            String kernel,
            String jdk,
            List<String> jvmFlags,
            String serverCpuSet,
            String loadCpuSet,
            String gitCommit,
            Boolean gitDirty,
            Map<String, String> versions) {
    }

    /**
     * The in-process half: JMH's JSON for this run (the benchmarks module's pass in the same build),
     * moved into the run folder.
     *
     * @param results    the JSON file, relative to the run folder; null when no pass ran
     * @param benchmarks how many results it holds
     * @param note       how it ran, or why it did not
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Jmh(String results, int benchmarks, String note) {
    }

    /** One stack's results. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StackResult(
            String stack,
            Status status,
            List<String> reasons,
            Startup startup,
            Map<String, Object> info,
            Conformance conformance,
            Map<String, Workload> workloads,
            String log,
            Boolean stoppedGracefully,
            Probes probes) {

        /** A result without probes (records written before probes existed, or a stack never probed). */
        public StackResult(String stack, Status status, List<String> reasons, Startup startup, Map<String, Object> info,
                           Conformance conformance, Map<String, Workload> workloads, String log, Boolean stoppedGracefully) {
            this(stack, status, reasons, startup, info, conformance, workloads, log, stoppedGracefully, null);
        }

        /** The same result with the given probes (null leaves them out). */
        public StackResult withProbes(Probes probes) {
            return new StackResult(stack, status, reasons, startup, info, conformance, workloads, log, stoppedGracefully, probes);
        }
    }

    /**
     * What the comparison table needs beyond the load figures, probed on the launched server and its
     * build (optional: records from before probes existed have none, and the report then probes the
     * checkout itself).
     *
     * @param openapi          {@code generated} (GET /openapi answers a document that is not the
     *                         contract file), {@code contract-file} (the contract's openapi.yaml served
     *                         byte for byte, modulo line endings), or {@code missing} (no 200)
     * @param openapiStatus    the HTTP status of GET /openapi
     * @param glueLines        non-blank, non-comment lines of Java in the server module's src/main/java
     * @param glueFiles        how many Java files those lines are in
     * @param genai            GenAI capabilities found on the server's runtime classpath, each as
     *                         {@code "<capability>: <library>"} (empty when none)
     * @param genaiEndpoints   the status of each GenAI endpoint of the contract ({@code /embed},
     *                         {@code /search}) on this server
     * @param sources          the sentence for each figure above, as the probe wrote it
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Probes(String openapi, Integer openapiStatus, Integer glueLines, Integer glueFiles, List<String> genai,
                         Map<String, Integer> genaiEndpoints, Map<String, String> sources) {
    }

    /**
     * Start-up: milliseconds from process launch to the first 200 of {@code /health/ready} and to the
     * first successful {@code /predict}; RSS right after.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Startup(Double readyMillis, Double firstPredictMillis, Long rssBytes, String source) {
    }

    /** The conformance kit's result against the running server. */
    public record Conformance(boolean passed, int tests, int failed, List<String> failures) {
    }

    /** One workload (tabular /predict; GenAI /embed and /search later). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Workload(String endpoint, Map<String, Scenario> scenarios, Probe probe) {
    }

    /**
     * One scenario (sweep, rate, slo) with its steps; the overload scenario has no steps and its
     * figures in {@code overload} instead.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Scenario(
            Status status,
            List<String> reasons,
            List<String> gatlingReports,
            List<Step> steps,
            Slo slo,
            Overload overload) {

        /** A scenario of steps (every scenario but overload). */
        public Scenario(Status status, List<String> reasons, List<String> gatlingReports, List<Step> steps, Slo slo) {
            this(status, reasons, gatlingReports, steps, slo, null);
        }
    }

    /**
     * The overload scenario: an open-model arrival rate of {@code factor} x the sweep's peak
     * throughput for a bounded time, then the recovery to normal latency.
     *
     * @param saturationRate    the sweep's peak throughput (requests/s) the rate is a multiple of
     * @param factor            offered rate / saturation rate
     * @param targetRate        the offered arrival rate (requests/s, Poisson arrivals)
     * @param durationSeconds   how long it was offered
     * @param requestTimeoutSeconds a request unanswered by then counts as a timeout
     * @param sent              requests sent
     * @param sentRate          sent / duration: the rate the generator really offered
     * @param served            requests answered 2xx
     * @param servedShare       served / sent
     * @param servedLatency     latency of the served requests (ms, Gatling)
     * @param errors            the requests not served, by kind
     * @param rssBeforeBytes    the server's RSS just before the overload
     * @param peakRssBytes      the highest server RSS sampled (every 50 ms) from the start of the overload to the end of the recovery
     * @param generatorCpuShare the load generator's CPU share during the overload (above 0.9: the offered rate is the generator's limit)
     * @param serverAlive       the process was alive and answered GET /health/ready 200 afterwards
     * @param outOfMemory       "OutOfMemoryError" appeared in the server's log
     * @param heapCheck         what was checked for "heap not exceeded"
     * @param recovery          the recovery to normal latency after the overload
     * @param sources           where each figure came from
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Overload(double saturationRate, double factor, double targetRate, double durationSeconds,
                           double requestTimeoutSeconds, long sent, double sentRate, long served, double servedShare,
                           Latency servedLatency, OverloadErrors errors, Long rssBeforeBytes, Long peakRssBytes,
                           Double generatorCpuShare, boolean serverAlive, boolean outOfMemory, String heapCheck,
                           Recovery recovery, Map<String, String> sources) {
    }

    /**
     * Requests of the overload that were not served: answered 503 or 429, other 4xx, other 5xx
     * (anything but 2xx, 503 and 429 makes the scenario INVALID), with no answer within the
     * request timeout, or failed on the connection; {@code byStatus} counts every answered status.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OverloadErrors(long status503, long status429, long other4xx, long other5xx, long otherStatus,
                                 long timeouts, long connectionErrors, Map<String, Long> byStatus) {
    }

    /**
     * Back to normal latency after the overload: sequential requests in windows of
     * {@code windowRequests}, until a window has no error and a p99 within {@code factor} x the
     * unloaded p99, for at most {@code boundSeconds}.
     *
     * @param recovered         a window met the criterion within the bound
     * @param millis            from the end of the offered load to the end of that window; null when not recovered
     * @param drainMillis       from the end of the offered load to the last overload answer (the first window starts then)
     * @param unloadedP99Micros the sequential probe's p99 before the scenarios
     * @param windowP99Micros   each window's p99, in order
     * @param judged            how it was judged, in words
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Recovery(boolean recovered, Double millis, Double drainMillis, double unloadedP99Micros, double factor,
                           double boundSeconds, int windowRequests, List<Double> windowP99Micros, String judged) {
    }

    /**
     * One measured step: a fixed concurrency (closed model) or a fixed arrival rate (open model),
     * made of windows. {@code throughput} is the mean of the windows' throughputs (good answers
     * completed in each window); {@code spread} is (max - min) / mean of those; {@code stable} says
     * whether the last windows agreed within the run's tolerance. {@code latency} comes from one
     * histogram pooled over the step's windows (its {@code requests} say how many are behind it);
     * {@code generator} says how the load client produced the step (absent in records made with
     * Gatling alone). {@code sources} names where each figure came from.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Step(
            String name,
            Integer concurrency,
            Double targetRate,
            double throughput,
            long requests,
            long errors,
            Latency latency,
            Double serverCpuMillisPerRequest,
            Long serverRssBytes,
            Double generatorCpuShare,
            boolean generatorSaturated,
            double spread,
            boolean stable,
            int attempts,
            List<Window> windows,
            Map<String, String> sources,
            Generator generator) {

        /** A step without load-client details (records made with Gatling alone). */
        public Step(String name, Integer concurrency, Double targetRate, double throughput, long requests, long errors,
                    Latency latency, Double serverCpuMillisPerRequest, Long serverRssBytes, Double generatorCpuShare,
                    boolean generatorSaturated, double spread, boolean stable, int attempts, List<Window> windows,
                    Map<String, String> sources) {
            this(name, concurrency, targetRate, throughput, requests, errors, latency, serverCpuMillisPerRequest,
                    serverRssBytes, generatorCpuShare, generatorSaturated, spread, stable, attempts, windows, sources, null);
        }

        /** The same step with another attempt count. */
        public Step withAttempts(int attempts) {
            return new Step(name, concurrency, targetRate, throughput, requests, errors, latency, serverCpuMillisPerRequest,
                    serverRssBytes, generatorCpuShare, generatorSaturated, spread, stable, attempts, windows, sources, generator);
        }
    }

    /**
     * How the load client produced a step, and whether it kept its schedule.
     *
     * @param client             the tool that produced the step's figures
     * @param model              {@code open} (Poisson arrivals) or {@code closed} (fixed concurrency)
     * @param timedFrom          {@code intended send time} (open model: free of coordinated omission) or
     *                           {@code send time} (closed model)
     * @param coordinatedOmissionCorrected whether latency counts from the intended send time
     * @param connections        keep-alive connections the step used (bounded, fixed for the step)
     * @param scheduled          requests whose intended (open) or actual (closed) send time fell in the measured windows
     * @param service            send to last byte of the same requests (ms, microsecond resolution)
     * @param scheduleLag        how late each request left against its intended time (microseconds; open model)
     * @param lateOver1ms        requests that left more than 1 ms after their intended time
     * @param connectionWaits    requests that found every connection busy at their intended time
     * @param cpuMicrosPerRequest the client process's busy CPU time over the windows (less {@code pollSeconds}) /
     *                           good answers in them
     * @param pollSeconds        CPU time the client spent polling idle sockets over the windows: it polls instead of
     *                           sleeping when its next send time is under 2 ms away (absent in older records)
     * @param failures           requests without a good answer, by kind
     * @param histogramLog       the step's HdrHistogram log (one interval per window, tags latency and service,
     *                           microseconds), relative to the run folder
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Generator(String client, String model, String timedFrom, boolean coordinatedOmissionCorrected,
                            int connections, long scheduled, Latency service, Latency scheduleLag, long lateOver1ms,
                            long connectionWaits, Double cpuMicrosPerRequest, Failures failures, String histogramLog,
                            Double pollSeconds) {

        /** Without the polling time (records made before it was recorded). */
        public Generator(String client, String model, String timedFrom, boolean coordinatedOmissionCorrected, int connections,
                         long scheduled, Latency service, Latency scheduleLag, long lateOver1ms, long connectionWaits,
                         Double cpuMicrosPerRequest, Failures failures, String histogramLog) {
            this(client, model, timedFrom, coordinatedOmissionCorrected, connections, scheduled, service, scheduleLag,
                    lateOver1ms, connectionWaits, cpuMicrosPerRequest, failures, histogramLog, null);
        }
    }

    /** Requests without a good answer: every non-200 status, 200s without the workload's key, timeouts, connection and protocol errors. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Failures(Map<String, Long> byStatus, long badBody, long timeouts, long connectionErrors, long protocolErrors,
                           String firstError) {
    }

    /** One window of a step. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Window(double seconds, long requests, long errors, double throughput, Latency latency,
                         Double serverCpuSeconds, Long serverRssBytes, Double generatorCpuSeconds) {
    }

    /**
     * Latency percentiles in {@code unit} (ms or us), from {@code source}; {@code requests} is how
     * many values the histogram behind them held and {@code resolution} the smallest step it tells
     * apart (both absent in records made before they were recorded).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Latency(Double p50, Double p90, Double p99, Double p999, Double max, Double mean, String unit,
                          String source, Long requests, String resolution) {

        public Latency(Double p50, Double p90, Double p99, Double p999, Double max, Double mean, String unit, String source) {
            this(p50, p90, p99, p999, max, mean, unit, source, null, null);
        }
    }

    /** The SLO search: the highest arrival rate whose p99 stayed under the objective with no errors. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Slo(double objectiveP99Millis, Double maxRate, String step, Double p99AtMaxRate,
                      List<Double> ratesTried, String note) {
    }

    /**
     * A sequential probe: one request at a time from the runner, each timed with System.nanoTime,
     * percentiles from an HdrHistogram: the microsecond-resolution source for unloaded latency.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Probe(int requests, long errors, double throughput, Latency latency) {
    }
}
