package dev.predictbench.results.gate;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * An A/B gate run as {@code gate.json}: two builds of the servers (the baseline, arm A, and the
 * candidate, arm B) measured interleaved on one machine in one run by the candidate's harness, per
 * stack a lead-in trial and then pairs of trials in ABBA order, each trial a fresh server JVM. The
 * verdict is computed from the trials by {@link GateVerdict} and stored beside them; see
 * {@code results/SCHEMA.md}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GateRecord(int schemaVersion, String id, String startedAt, String finishedAt, boolean complete,
                         String incomplete, Arm baseline, Arm candidate, Settings settings, List<StackTrials> stacks,
                         Verdict verdict) {

    public static final int SCHEMA_VERSION = 1;

    public GateRecord withVerdict(Verdict v) {
        return new GateRecord(schemaVersion, id, startedAt, finishedAt, complete, incomplete, baseline, candidate, settings,
                stacks, v);
    }

    /**
     * One arm: which code its servers were built from.
     *
     * @param name   {@code A} (baseline) or {@code B} (candidate)
     * @param ref    the git ref asked for ({@code main}, {@code HEAD}, a commit) or {@code working tree}
     * @param commit the commit it resolved to
     * @param dirty  whether the candidate's working tree had uncommitted changes (its build includes them)
     * @param root   the checkout its server jars were taken from
     * @param build  how it was built and how long that took
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Arm(String name, String ref, String commit, boolean dirty, String root, String build) {
    }

    /**
     * What the gate was asked to do and the rules its verdict follows.
     *
     * @param pairs           A/B pairs per stack after the lead-in trial
     * @param blocks          closed steps per arm and workload in a pair, the arms alternating
     * @param orderSeed       seeds whether each stack's sequence starts ABBA or BAAB
     * @param concurrency     the closed step's requests in flight (the throughput and CPU figures)
     * @param rateFraction    the open step's rate as a share of the lead-in trial's closed throughput (one
     *                        absolute rate for both arms)
     * @param slowdown        the calibration: arm B's servers hold a busy loop at this share of their own
     *                        CPU per inference call (0: off)
     * @param familyAlpha     the false-positive rate allowed across all figures together
     * @param minEffects      per figure kind, the smallest change that can fail the gate
     * @param minPairs        fewer valid pairs than this give a figure no verdict
     * @param steps           how each trial's steps are run (warm-up, windows, settle)
     * @param serverJvm       the server JVM flags (the same for both arms)
     * @param openBlocks      open steps per arm and workload in a pair (null in records before it: as many as {@code blocks})
     * @param closedRetries   more measurements of a closed step that came out INVALID without errors (the last is kept)
     * @param remeasures      per stack, at most this many pairs too weak to judge are measured again (null in
     *                        records before it: none)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Settings(int pairs, int blocks, long orderSeed, List<String> stacks, List<String> workloads, int concurrency,
                           double rateFraction, double slowdown, double familyAlpha, Map<String, Double> minEffects,
                           int minPairs, String steps, String serverJvm, String serverCpus, String loadCpus,
                           Integer closedRetries, Integer openBlocks, Integer remeasures) {
    }

    /**
     * One stack's trials.
     *
     * @param order                the arms of the trials after the lead-in, in the order run
     * @param sharedRates          per workload, the open step's absolute rate (the same for both arms)
     * @param conformance          per arm, the conformance kit against a server launched for it alone
     * @param trials               every trial in the order run, the lead-in first
     * @param missing              why the stack could not be measured at all (no jar, no build)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StackTrials(String stack, List<String> order, Map<String, Double> sharedRates,
                              Map<String, Check> conformance, List<Trial> trials, String missing) {
    }

    /** A conformance run: checks passed or not. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Check(boolean passed, int tests, int failed, String note) {
    }

    /**
     * One trial: a fresh server JVM of one arm, its start-up, a warm-up, then per workload the
     * closed and the open steps. The two trials of a pair run side by side (both servers up, their
     * steps alternating).
     *
     * @param seq         1-based position in the stack's sequence (the lead-in is 1)
     * @param leadIn      the lead-in trial (arm A; sizes the shared rate; not judged)
     * @param readyMillis process launch to the first 200 of the readiness endpoint
     * @param rssBytes    the server's resident set at the end of the trial
     * @param fault       a harness or server fault that ended the trial (null when none)
     * @param serverDied  whether the server process exited during the trial
     * @param log         the server's log, relative to the gate folder
     * @param calibration a calibration run's arm B: the share its loop was asked to hold and held
     * @param remeasured  why this trial's pair was too weak to judge and was measured again (null when
     *                    it is judged); its faults still count
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Trial(int seq, String arm, boolean leadIn, Double readyMillis, Long rssBytes, String fault,
                        boolean serverDied, Map<String, Workload> workloads, String log, Calibration calibration,
                        String remeasured) {

        /** Whether the trial ended in a harness or server fault, or its server died. */
        @JsonIgnore
        public boolean failed() {
            return fault != null || serverDied;
        }

        /** This trial, marked as one of a pair that was measured again for {@code why}. */
        public Trial remeasured(String why) {
            return new Trial(seq, arm, leadIn, readyMillis, rssBytes, fault, serverDied, workloads, log, calibration, why);
        }
    }

    /**
     * A calibrated server's busy loop over a trial's measured steps (from its {@code /info} after the
     * warm-up and at the end).
     *
     * @param share             the loop's CPU asked, as a share of the rest of the server's CPU per call
     * @param held              the loop's CPU against the rest of the server's CPU over the steps (null when
     *                          the server could not tell)
     * @param loopMicrosPerCall the loop's CPU per inference call over the steps
     * @param calls             the inference calls over the steps
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Calibration(double share, Double held, Double loopMicrosPerCall, Long calls) {
    }

    /**
     * One workload in one trial: the closed steps (throughput, CPU per request) and the open steps
     * (p99), each arm's alternating with the other arm's, after a warm-up of {@code warmupSeconds}
     * whose closed chunks ran at {@code warmupThroughputs}. A trial's figure is the median of its
     * valid steps.
     *
     * @param warmed whether the warm-up's figures stopped moving before its cap
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Workload(List<Step> closed, List<Step> open, Double warmupSeconds, List<Double> warmupThroughputs,
                           Boolean warmed) {
        public Workload(Step closed, Step open) {
            this(closed == null ? List.of() : List.of(closed), open == null ? List.of() : List.of(open), null, null, null);
        }
    }

    /**
     * One measured step.
     *
     * @param valid                 by the harness's validity rules (windows agree, enough requests, no late sends)
     * @param cpuMillisPerRequest   the server's CPU over the whole load-client call (every task's
     *                              {@code /proc/<pid>/task/<tid>/schedstat} run time, nanoseconds) / the requests
     *                              sent in it: the closed step has no lead-in, so every request it sent is counted
     * @param cpuTicksMillisPerRequest the same from {@code /proc/<pid>/stat} clock ticks over the measured windows
     *                              (10 ms resolution): the cross-check
     * @param threadsGone           server threads that ended between the two schedstat readings (their CPU is lost)
     * @param attempts              how many times the step was measured (null: once); the figures are the last attempt's
     * @param earlierAttempts       why each earlier attempt was set aside
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Step(String name, Integer concurrency, Double targetRate, boolean valid, List<String> reasons,
                       double throughput, Double p99Micros, long requests, long errors, Double cpuMillisPerRequest,
                       Double cpuTicksMillisPerRequest, Integer threadsGone, Double seconds, Integer attempts,
                       List<String> earlierAttempts) {
        public Step(String name, Integer concurrency, Double targetRate, boolean valid, List<String> reasons, double throughput,
                    Double p99Micros, long requests, long errors, Double cpuMillisPerRequest, Double cpuTicksMillisPerRequest,
                    Integer threadsGone, Double seconds) {
            this(name, concurrency, targetRate, valid, reasons, throughput, p99Micros, requests, errors, cpuMillisPerRequest,
                    cpuTicksMillisPerRequest, threadsGone, seconds, null, null);
        }

        /** This step as the last of {@code attempts} measurements, the earlier ones set aside for {@code earlier}. */
        public Step withAttempts(int attempts, List<String> earlier) {
            return new Step(name, concurrency, targetRate, valid, reasons, throughput, p99Micros, requests, errors,
                    cpuMillisPerRequest, cpuTicksMillisPerRequest, threadsGone, seconds, attempts, List.copyOf(earlier));
        }
    }

    /**
     * The gate's verdict.
     *
     * @param status  {@code PASS}, {@code FAIL} (a regression or a fault) or {@code NO VERDICT} (too little
     *                valid evidence for at least one figure, and nothing failed)
     * @param figures every headline figure's comparison
     * @param faults  the faults that fail the gate whatever the figures say
     * @param notes   what was seen but does not gate (errors in both arms, a baseline trial that failed)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Verdict(String status, List<FigureVerdict> figures, List<String> faults, List<String> notes) {
    }

    /**
     * One figure: the candidate against the baseline over the valid pairs.
     *
     * @param change    the change B/A minus 1: the geometric mean over the pairs, or with both orders of
     *                  pair (AB and BA) that of the two orders' geometric means
     * @param low       the lower end of the interval of that change (two-sided, at the per-figure level)
     * @param high      its upper end
     * @param minEffect the smallest change that can fail the gate
     * @param alpha     the one-sided false-positive rate this figure was tested at (its level in Holm's step-down)
     * @param verdict   {@code regression}, {@code improvement}, {@code no change} or {@code no verdict}
     * @param pairChanges each valid pair's B/A minus 1, in the order the pairs ran (the evidence the test saw)
     * @param orderEffect what the server started first in a pair measured more (B/A's share) in the
     *                    crossover, cancelled out of the change; null without one
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FigureVerdict(String stack, String workload, String figure, String unit, boolean higherIsBetter, int pairs,
                                Double medianA, Double medianB, Double change, Double low, Double high, double minEffect,
                                double alpha, String verdict, String why, List<Double> pairChanges, Double orderEffect) {
    }
}
