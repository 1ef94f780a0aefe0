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
        List<StackResult> stacks,
        Conduct conduct,
        Llm llm) {

    public static final int SCHEMA_VERSION = 1;

    /** A record without the {@link Llm} workload (records made before it, and runs that left it out). */
    public RunRecord(int schemaVersion, String runId, String startedAt, String finishedAt, String profile, Settings settings,
                     Environment environment, Jmh jmh, List<StackResult> stacks, Conduct conduct) {
        this(schemaVersion, runId, startedAt, finishedAt, profile, settings, environment, jmh, stacks, conduct, null);
    }

    /** A record without {@link Conduct} (records made before rounds, the control and the time breakdown). */
    public RunRecord(int schemaVersion, String runId, String startedAt, String finishedAt, String profile, Settings settings,
                     Environment environment, Jmh jmh, List<StackResult> stacks) {
        this(schemaVersion, runId, startedAt, finishedAt, profile, settings, environment, jmh, stacks, null, null);
    }

    /** Whether the run finished every stack it was asked for (records without {@link Conduct} did). */
    public boolean complete() {
        return conduct == null || conduct.complete();
    }

    /**
     * How the run was conducted (absent in older records): whether it finished, the stack order of
     * each round, the control measurement, where the time went and the limits it ran under.
     *
     * @param complete   false when the run stopped before measuring everything it was asked for
     * @param incomplete why it stopped (null when complete)
     * @param rounds     each round's stack order (rotated one place per round) and which scenarios it ran
     * @param control    the first stack measured once more at the end, against its first measurement
     * @param timing     seconds spent per stack, round and phase, in the order they happened
     * @param limits     the process limits the run ran under (open files), and what it raised itself
     * @param budget     the step-budget arithmetic the profile was sized by (text, one line per term)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Conduct(boolean complete, String incomplete, List<Round> rounds, Control control, List<Phase> timing,
                          Limits limits, List<String> budget) {
    }

    /**
     * One round: every stack once, in {@code order}, each with a fresh server JVM.
     *
     * @param round     1-based
     * @param order     stack ids in the order measured
     * @param scenarios the scenarios this round ran (later rounds repeat the ranked ones)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Round(int round, List<String> order, List<String> scenarios) {
    }

    /**
     * The control: the first stack of round one measured once more after every other stack, with a
     * fresh JVM. Its drift is how far the same server's figures moved over the run (machine noise,
     * thermal and neighbour effects); a difference between two stacks smaller than it is not
     * significant.
     *
     * @param stack     the control stack
     * @param status    VALID when the control's own steps were valid
     * @param reasons   why not
     * @param workloads per workload: the compared figure at the start and at the end, and the drift
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Control(String stack, Status status, List<String> reasons, Map<String, Drift> workloads) {
    }

    /**
     * @param figure what was compared (e.g. {@code sweep peak throughput})
     * @param first  its value in round one
     * @param last   its value in the control measurement
     * @param drift  |last - first| / first
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Drift(String figure, Double first, Double last, Double drift) {
    }

    /**
     * Seconds one phase took.
     *
     * @param stack  the stack (null for phases of the whole run: the client's warm-up, the report)
     * @param round  the round (0: the control; null for run phases)
     * @param phase  {@code start}, {@code conformance}, {@code probes}, {@code <workload> warm-up},
     *               {@code <workload> <scenario>}, {@code stop}, {@code report}...
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Phase(String stack, Integer round, String phase, double seconds) {
    }

    /**
     * @param openFilesSoft the runner's soft limit on open files at the start
     * @param openFilesHard its hard limit
     * @param openFilesUsed the soft limit the load client and servers ran with (raised up to the hard limit
     *                      when the run needs more than the soft one allows)
     * @param note          what was done and why
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Limits(Long openFilesSoft, Long openFilesHard, Long openFilesUsed, String note) {
    }

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
            LoadSettings load,
            Rules rules,
            String batching) {

        /** Settings without the batching variant (records made before it: every stack as it is, batching off). */
        public Settings(List<String> stacks, List<String> scenarios, List<String> workloads, double warmupSeconds,
                        double windowSeconds, int windows, List<Integer> concurrency, List<Double> rateFractions,
                        double sloP99Millis, int sloRounds, double stabilityTolerance, int maxRepeats, int probeRequests,
                        long seed, String loadModel, List<Integer> genaiConcurrency, Map<String, Double> sloObjectives,
                        OverloadSettings overload, LoadSettings load, Rules rules) {
            this(stacks, scenarios, workloads, warmupSeconds, windowSeconds, windows, concurrency, rateFractions,
                    sloP99Millis, sloRounds, stabilityTolerance, maxRepeats, probeRequests, seed, loadModel,
                    genaiConcurrency, sloObjectives, overload, load, rules, null);
        }

        /** The subjects the run was asked for: {@link Subjects#ids} of the stacks and the batching setting. */
        public List<String> subjects() {
            return Subjects.ids(stacks, batching);
        }

        /** Settings without the validity rules' knobs (older records have none). */
        public Settings(List<String> stacks, List<String> scenarios, List<String> workloads, double warmupSeconds,
                        double windowSeconds, int windows, List<Integer> concurrency, List<Double> rateFractions,
                        double sloP99Millis, int sloRounds, double stabilityTolerance, int maxRepeats, int probeRequests,
                        long seed, String loadModel, List<Integer> genaiConcurrency, Map<String, Double> sloObjectives,
                        OverloadSettings overload, LoadSettings load) {
            this(stacks, scenarios, workloads, warmupSeconds, windowSeconds, windows, concurrency, rateFractions,
                    sloP99Millis, sloRounds, stabilityTolerance, maxRepeats, probeRequests, seed, loadModel,
                    genaiConcurrency, sloObjectives, overload, load, null);
        }

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
                               double requestTimeoutSeconds, double settleSeconds, List<Double> rates,
                               Double calibrationCpuMicros) {

        /** Without a calibration (records made before it existed, and every run that is not one). */
        public LoadSettings(String client, List<String> jvmFlags, int connections, int overloadConnections,
                            double requestTimeoutSeconds, double settleSeconds, List<Double> rates) {
            this(client, jvmFlags, connections, overloadConnections, requestTimeoutSeconds, settleSeconds, rates, null);
        }
    }

    /**
     * The validity rules and the run's shape (absent in older records).
     *
     * @param minWindowRequests   good answers a window needs before it may close (windows are also at least windowSeconds)
     * @param maxWindows          windows a step may measure before it ends unsettled
     * @param maxWindowSeconds    a window closes after this long even without its requests
     * @param lateSendsAllowed    share of an open step's requests that may leave more than 1 ms late
     * @param percentileConfidence confidence of the early-stopping count behind a published tail percentile
     * @param rounds              rounds of every stack (stack order rotated one place per round, fresh JVMs)
     * @param repeatScenarios     the scenarios rounds after the first repeat
     * @param control             whether the first stack is measured once more at the end
     * @param warmupCapSeconds    the longest JIT warm-up per workload
     * @param warmupChunkSeconds  the warm-up's chunk: the JIT counts as settled after a chunk with fewer compiles than
     * @param jitSettledBelow     this many
     * @param sloBracket          the SLO search narrows until (failing rate - passing rate) / passing rate is at most this
     * @param sloMaxSteps         steps the SLO search may add to the rate scenario's
     * @param sloWorkloads        workloads the SLO search runs for
     * @param genaiRateFractions  the rate scenario's fractions of the peak for the GenAI workloads
     * @param warmupConcurrency   requests in flight during the JIT warm-up
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Rules(int minWindowRequests, int maxWindows, double maxWindowSeconds, double lateSendsAllowed,
                        double percentileConfidence, int rounds, List<String> repeatScenarios, boolean control,
                        double warmupCapSeconds, double warmupChunkSeconds, int jitSettledBelow, double sloBracket,
                        int sloMaxSteps, List<String> sloWorkloads, List<Double> genaiRateFractions,
                        Integer warmupConcurrency, Integer lateRetries) {

        /** Without the late-send retries (records made before they existed). */
        public Rules(int minWindowRequests, int maxWindows, double maxWindowSeconds, double lateSendsAllowed,
                     double percentileConfidence, int rounds, List<String> repeatScenarios, boolean control,
                     double warmupCapSeconds, double warmupChunkSeconds, int jitSettledBelow, double sloBracket,
                     int sloMaxSteps, List<String> sloWorkloads, List<Double> genaiRateFractions, Integer warmupConcurrency) {
            this(minWindowRequests, maxWindows, maxWindowSeconds, lateSendsAllowed, percentileConfidence, rounds,
                    repeatScenarios, control, warmupCapSeconds, warmupChunkSeconds, jitSettledBelow, sloBracket, sloMaxSteps,
                    sloWorkloads, genaiRateFractions, warmupConcurrency, null);
        }

        /** Without the warm-up's concurrency (records made before it was a setting). */
        public Rules(int minWindowRequests, int maxWindows, double maxWindowSeconds, double lateSendsAllowed,
                     double percentileConfidence, int rounds, List<String> repeatScenarios, boolean control,
                     double warmupCapSeconds, double warmupChunkSeconds, int jitSettledBelow, double sloBracket,
                     int sloMaxSteps, List<String> sloWorkloads, List<Double> genaiRateFractions) {
            this(minWindowRequests, maxWindows, maxWindowSeconds, lateSendsAllowed, percentileConfidence, rounds,
                    repeatScenarios, control, warmupCapSeconds, warmupChunkSeconds, jitSettledBelow, sloBracket, sloMaxSteps,
                    sloWorkloads, genaiRateFractions, null, null);
        }
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
    public record Workload(String endpoint, Map<String, Scenario> scenarios, Probe probe, Warmup warmup) {

        /** A workload without a recorded warm-up (older records). */
        public Workload(String endpoint, Map<String, Scenario> scenarios, Probe probe) {
            this(endpoint, scenarios, probe, null);
        }
    }

    /**
     * The server's warm-up before a workload is measured: load in chunks until the JIT stops
     * compiling (the JVM's {@code sun.ci.totalCompiles} counter, read from its hsperfdata file as
     * {@code jstat -compiler} does) or the cap is reached.
     *
     * @param seconds        load applied, in seconds
     * @param requests       requests answered during it
     * @param compiles       methods compiled in each chunk, in order
     * @param settled        true when the last chunk compiled at most {@code settledBelow} methods
     * @param settledBelow   the threshold
     * @param capSeconds     the most warm-up allowed
     * @param note           how it ended, and where the counters came from
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Warmup(double seconds, long requests, List<Long> compiles, boolean settled, long settledBelow,
                         double capSeconds, String note) {
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
     * Gatling alone). {@code sources} names where each figure came from. {@code attempts} counts the
     * measurements of the step; the figures are the last one's, and {@code earlierAttempts} says why
     * each earlier one was set aside (absent when the step was measured once).
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
            Generator generator,
            List<String> reasons,
            Health health,
            List<StepRound> rounds,
            List<String> earlierAttempts) {

        /** A step measured once. */
        public Step(String name, Integer concurrency, Double targetRate, double throughput, long requests, long errors,
                    Latency latency, Double serverCpuMillisPerRequest, Long serverRssBytes, Double generatorCpuShare,
                    boolean generatorSaturated, double spread, boolean stable, int attempts, List<Window> windows,
                    Map<String, String> sources, Generator generator, List<String> reasons, Health health,
                    List<StepRound> rounds) {
            this(name, concurrency, targetRate, throughput, requests, errors, latency, serverCpuMillisPerRequest,
                    serverRssBytes, generatorCpuShare, generatorSaturated, spread, stable, attempts, windows, sources,
                    generator, reasons, health, rounds, null);
        }

        /** A step without validity reasons, health or rounds (records made before they existed). */
        public Step(String name, Integer concurrency, Double targetRate, double throughput, long requests, long errors,
                    Latency latency, Double serverCpuMillisPerRequest, Long serverRssBytes, Double generatorCpuShare,
                    boolean generatorSaturated, double spread, boolean stable, int attempts, List<Window> windows,
                    Map<String, String> sources, Generator generator) {
            this(name, concurrency, targetRate, throughput, requests, errors, latency, serverCpuMillisPerRequest,
                    serverRssBytes, generatorCpuShare, generatorSaturated, spread, stable, attempts, windows, sources,
                    generator, null, null, null, null);
        }

        /** VALID when no rule found a reason to distrust the step (older records: stable and no errors). */
        public boolean valid() {
            return reasons == null ? stable && errors == 0 && !generatorSaturated : reasons.isEmpty();
        }

        /** The same step with the rounds it was measured in and the figures merged from them. */
        public Step withRounds(List<StepRound> rounds) {
            return new Step(name, concurrency, targetRate, throughput, requests, errors, latency, serverCpuMillisPerRequest,
                    serverRssBytes, generatorCpuShare, generatorSaturated, spread, stable, attempts, windows, sources,
                    generator, reasons, health, rounds, earlierAttempts);
        }

        /** A step without load-client details (records made with Gatling alone). */
        public Step(String name, Integer concurrency, Double targetRate, double throughput, long requests, long errors,
                    Latency latency, Double serverCpuMillisPerRequest, Long serverRssBytes, Double generatorCpuShare,
                    boolean generatorSaturated, double spread, boolean stable, int attempts, List<Window> windows,
                    Map<String, String> sources) {
            this(name, concurrency, targetRate, throughput, requests, errors, latency, serverCpuMillisPerRequest,
                    serverRssBytes, generatorCpuShare, generatorSaturated, spread, stable, attempts, windows, sources, null);
        }

        /**
         * The same step as the last of {@code attempts} measurements, with why each earlier one was
         * set aside.
         */
        public Step withAttempts(int attempts, List<String> earlierAttempts) {
            return new Step(name, concurrency, targetRate, throughput, requests, errors, latency, serverCpuMillisPerRequest,
                    serverRssBytes, generatorCpuShare, generatorSaturated, spread, stable, attempts, windows, sources, generator,
                    reasons, health, rounds, earlierAttempts);
        }
    }

    /**
     * What else happened on the machine during a step's windows.
     *
     * @param compiles       methods the server's JIT compiled during the windows (hsperfdata {@code sun.ci.totalCompiles});
     *                       null when the server is not a HotSpot JVM with perf data
     * @param gcPauseMillis  time the server's stop-the-world collectors paused it during the windows
     * @param stealShare     CPU steal over the windows, as a share of the machine's CPU time (/proc/stat)
     * @param windowsNeeded  windows measured until the last three agreed (the step's windows are those last three)
     * @param stopped        {@code stable} (the last three windows agreed) or {@code cap} (they never did within the cap)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Health(Long compiles, Double gcPauseMillis, Double stealShare, Integer windowsNeeded, String stopped) {
    }

    /**
     * One round's figures of a step measured in several rounds; the step's own figures are the
     * median over the valid rounds.
     *
     * @param round      the round (0: the control)
     * @param throughput requests/s
     * @param p50        ms
     * @param p99        ms (null when withheld)
     * @param requests   requests behind the percentiles
     * @param valid      whether this round's step was valid
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StepRound(int round, double throughput, Double p50, Double p99, Long requests, boolean valid) {
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
     * apart (both absent in records made before they were recorded). A tail percentile with too few
     * requests behind it (MLPerf LoadGen's early-stopping count: 662 for p99 at 99% confidence) is
     * null and {@code withheld} says which and why.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Latency(Double p50, Double p90, Double p99, Double p999, Double max, Double mean, String unit,
                          String source, Long requests, String resolution, String withheld) {

        public Latency(Double p50, Double p90, Double p99, Double p999, Double max, Double mean, String unit, String source) {
            this(p50, p90, p99, p999, max, mean, unit, source, null, null, null);
        }

        public Latency(Double p50, Double p90, Double p99, Double p999, Double max, Double mean, String unit, String source,
                       Long requests, String resolution) {
            this(p50, p90, p99, p999, max, mean, unit, source, requests, resolution, null);
        }
    }

    /**
     * The SLO search: the highest arrival rate whose p99 stayed under the objective with no errors
     * ({@code maxRate}), the lowest rate above it that failed ({@code failRate}), and the width of
     * that bracket, (failRate - maxRate) / maxRate; the search narrows until it is at most 10%.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Slo(double objectiveP99Millis, Double maxRate, String step, Double p99AtMaxRate,
                      List<Double> ratesTried, String note, Double failRate, Double bracket) {

        /** Without the bracket (records made before the search narrowed to one). */
        public Slo(double objectiveP99Millis, Double maxRate, String step, Double p99AtMaxRate, List<Double> ratesTried,
                   String note) {
            this(objectiveP99Millis, maxRate, step, p99AtMaxRate, ratesTried, note, null, null);
        }
    }

    /**
     * A sequential probe: one request at a time from the runner, each timed with System.nanoTime,
     * percentiles from an HdrHistogram: the microsecond-resolution source for unloaded latency.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Probe(int requests, long errors, double throughput, Latency latency, List<ProbeRound> rounds) {

        /** A probe run once (every record made before probes were repeated in rounds). */
        public Probe(int requests, long errors, double throughput, Latency latency) {
            this(requests, errors, throughput, latency, null);
        }
    }

    /**
     * One round's sequential probe, for a probe run in every round (batching {@code both}): the
     * probe's own figures are then the median over its rounds, and these are what the A/A spread of
     * the one-client latency is computed from.
     *
     * @param round      the round
     * @param p50        microseconds
     * @param p99        microseconds (null when withheld)
     * @param requests   requests behind the percentiles
     * @param errors     non-200 answers
     * @param throughput requests/s, one at a time
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ProbeRound(int round, Double p50, Double p99, Long requests, long errors, double throughput) {
    }

    /**
     * The I/O-bound LLM workload: every stack and threading-model variant streaming chat completions
     * from the upstream simulator at rising numbers of concurrent clients (absent when the run left
     * it out). See results/SCHEMA.md.
     *
     * @param upstream    the simulator: its timing, where it ran, and its own lag
     * @param concurrency the concurrent streaming clients of each step, in the order measured
     * @param objective   the time-to-first-token p99 a step must stay within to count as held
     * @param openFiles   the open-files limit the run ran under (servers and the load client inherit it)
     * @param serverJdk   the JDK the JVM stacks ran on (virtual-thread pinning on synchronized changed in JDK 24)
     * @param results     per stack and variant, in the order measured
     * @param sources     where each figure comes from, with its resolution
     * @param direct      the same steps with the load client streaming from the simulator itself, no server
     *                    between: the floor every stack's figures stand on; a level where it misses the
     *                    objective cannot tell a server's share, and every stack's step there is INVALID
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Llm(LlmUpstream upstream, List<Integer> concurrency, LlmObjective objective, Limits openFiles,
                      String serverJdk, List<LlmResult> results, Map<String, String> sources, List<LlmStep> direct) {

        public Llm(LlmUpstream upstream, List<Integer> concurrency, LlmObjective objective, Limits openFiles,
                   String serverJdk, List<LlmResult> results, Map<String, String> sources) {
            this(upstream, concurrency, objective, openFiles, serverJdk, results, sources, null);
        }
    }

    /**
     * @param implementation  what answered as the upstream
     * @param ttftMillis      the upstream's own time to first token
     * @param itlMillis       the upstream's time between tokens
     * @param tokens          tokens per answer
     * @param eventLoopThreads the simulator's event-loop threads
     * @param cpus            the CPU set it ran on (the load side's)
     * @param maxLagP99Millis a step whose simulator sent its tokens later than this at p99 is INVALID
     */
    public record LlmUpstream(String implementation, long ttftMillis, long itlMillis, int tokens, int eventLoopThreads,
                              String cpus, double maxLagP99Millis) {
    }

    /**
     * @param ttftP99Millis the objective: time to first token at the client, p99, at most this
     * @param rule          how a step is judged against it, in words
     */
    public record LlmObjective(double ttftP99Millis, String rule) {
    }

    /**
     * One stack in one threading-model variant.
     *
     * @param stack            the stack's id
     * @param variant          the variant ({@code PREDICTBENCH_VARIANT})
     * @param defaultVariant   whether it is the variant the framework ships
     * @param status           VALID when every step measured is valid
     * @param reasons          why not
     * @param threadingModel   what {@code /info} said the variant runs on
     * @param chat             {@code /info}'s chat details: the upstream client, its pool, how the handler runs
     * @param steps            per concurrency, ascending
     * @param sustainedStreams the most concurrent streams held within the objective, with every lower level held too
     *                         (null when not even the first level was)
     * @param firstMissed      the first concurrency whose step missed the objective (null: none did)
     * @param log              the server's log, relative to the run folder
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LlmResult(String stack, String variant, boolean defaultVariant, Status status, List<String> reasons,
                            String threadingModel, Map<String, Object> chat, List<LlmStep> steps, Integer sustainedStreams,
                            Integer firstMissed, String log) {
    }

    /**
     * One step: {@code concurrency} clients, each sending its next chat as soon as its last stream ended.
     *
     * @param concurrency       streaming clients
     * @param status            VALID, or INVALID with reasons (failed streams, a lagging simulator, no streams)
     * @param reasons           why INVALID
     * @param withinObjective   whether time to first token held the objective: its p99 when enough streams stand
     *                          behind it, else its maximum (an upper bound of the p99); null when neither can tell
     * @param measuredSeconds   the measured window
     * @param streams           streams that ended with {@code [DONE]} in the window
     * @param failed            streams that did not: by kind
     * @param streamsPerSecond  completed streams per second
     * @param ttft              time to first token: from the send to the end of the first event
     * @param betweenTokens     between the ends of consecutive events of a stream
     * @param streamDuration    from the send to the end of the stream
     * @param serverThreads     the most threads the server's processes had during the step (/proc)
     * @param serverRssBytes    the most resident memory of the server's processes during the step (/proc)
     * @param serverCpuMillisPerStream the server's CPU time over the window / streams completed in it
     * @param upstream          the simulator during the step (warm-up included): streams it held at once, how late
     * @param histogramLog      the step's HdrHistogram log, relative to the run folder
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LlmStep(int concurrency, Status status, List<String> reasons, Boolean withinObjective,
                          double measuredSeconds, long streams, Map<String, Long> failed, double streamsPerSecond,
                          Latency ttft, Latency betweenTokens, Latency streamDuration, Integer serverThreads,
                          Long serverRssBytes, Double serverCpuMillisPerStream, LlmUpstreamStep upstream,
                          String histogramLog) {
    }

    /**
     * The simulator's own view of a step.
     *
     * @param maxActiveStreams streams it held open at once, at most
     * @param events           token events it sent
     * @param lateEvents       events it sent more than 1 ms after their schedule
     * @param lagP99Millis     how late its events went out, p99
     * @param lagMaxMillis     and at most
     */
    public record LlmUpstreamStep(long maxActiveStreams, long events, long lateEvents, double lagP99Millis,
                                  double lagMaxMillis) {
    }
}
