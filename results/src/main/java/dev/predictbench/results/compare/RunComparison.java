package dev.predictbench.results.compare;

import dev.predictbench.results.RunRecord;
import dev.predictbench.results.Validity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Compares a candidate run with a baseline: first whether they can be compared at all (same schema,
 * same environment fingerprint, same settings), then every figure matched by stack, workload,
 * scenario and step, each against a noise-aware threshold in its own direction.
 *
 * <p>Steps are matched by what they mean, not by name: a sweep step by its concurrency ({@code c16});
 * a rate step by its share of the best sweep throughput ({@code 75%}, the runs' rates differ because
 * their peaks do), or by its rate ({@code r1000}) when the run asked for absolute rates
 * ({@code settings.load.rates}); the SLO search by its result, not its steps (the rates it tried differ too).
 *
 * <p>The load client: a record without {@code settings.load} (its figures from Gatling, latency in
 * whole milliseconds) stays comparable with one that has it, as a record without overload settings
 * does; every figure is compared but p99, which the two clients time differently (Gatling from the
 * send, in whole milliseconds, a median of windows; the load client from the intended send time of
 * an open-model step, to the microsecond, one histogram pooled over the step): a step measured by one
 * client against one measured by the other has its p99 noted, not gated. When both runs have load
 * settings, they must match like the other settings.
 *
 * <p>The overload scenario (see {@link #deltas()}) is judged in two parts. Its hard faults regress
 * whatever the noise, because no amount of noise turns a served request into a crash: the scenario
 * VALID in the baseline and INVALID in the candidate (its reasons in the note), missing from the
 * candidate although asked for, the server dead or hung afterwards, an OutOfMemoryError, and answers
 * other than 2xx, 503 and 429 of a kind the baseline had none of. The server dead and the
 * OutOfMemoryError regress even against a baseline without the scenario: they need no baseline. The
 * load generator running out of open files leaves the scenario INVALID without figures; that is the
 * harness's limit on this machine, not the server's, and is only noted. Its soft figures (served
 * share, p99 of the served, recovery time, peak RSS) come from ONE short overload on a small shared
 * machine, with no windows to measure their spread, and moved a lot between two smoke runs of the
 * same commit (served 82% and 96%, p99 2.1 s and 4.5 s; between two quiet runs of nearby commits
 * Helidon served 100% and 62.8%). They are gated, so that a stack serving less than half as much or
 * taking three times as long to recover fails, but only beyond wide thresholds:
 * {@link #OVERLOAD_MIN_CHANGE} (configurable, {@code --overload-min-change}), and for the served
 * share, p99 and recovery time {@link #SERVED_SHARE_NOISE}, {@link #SERVED_P99_NOISE} and
 * {@link #RECOVERY_NOISE}. A record without overload
 * settings (made before the scenario existed) stays comparable for everything else; the overload is
 * then noted as not compared.
 */
final class RunComparison {
    /** A figure's better direction. */
    enum Better { HIGHER, LOWER }

    /** What became of one figure. */
    enum Verdict { REGRESSION, IMPROVED, OK, INFO }

    /**
     * One compared figure.
     *
     * @param threshold the relative change it had to exceed to count (the larger of the minimum and
     *                  the noise); {@code basis} says where it came from
     */
    record Delta(String stack, String workload, String scenario, String step, String metric, String unit, Double baseline,
                 Double candidate, double threshold, String basis, Verdict verdict, String note, String baselineText,
                 String candidateText) {
        /** A numeric figure (or one missing on a side). */
        Delta(String stack, String workload, String scenario, String step, String metric, String unit, Double baseline,
              Double candidate, double threshold, String basis, Verdict verdict, String note) {
            this(stack, workload, scenario, step, metric, unit, baseline, candidate, threshold, basis, verdict, note, null, null);
        }

        /** A yes/no or a word on each side (no change, no threshold): the overload scenario's hard checks. */
        static Delta fact(String stack, String workload, String scenario, String metric, String baselineText,
                          String candidateText, String basis, Verdict verdict, String note) {
            return new Delta(stack, workload, scenario, "-", metric, "", null, null, 0, basis, verdict, note, baselineText,
                    candidateText);
        }

        Delta withStep(String key) {
            return new Delta(stack, workload, scenario, key, metric, unit, baseline, candidate, threshold, basis, verdict, note,
                    baselineText, candidateText);
        }

        Delta withNote(String more) {
            return more.isEmpty() ? this : new Delta(stack, workload, scenario, step, metric, unit, baseline, candidate, threshold,
                    basis, verdict, note.isEmpty() ? more : note + "; " + more, baselineText, candidateText);
        }

        Double change() {
            return baseline == null || candidate == null ? null : candidate - baseline;
        }

        Double relative() {
            return baseline == null || candidate == null || baseline == 0 ? null : (candidate - baseline) / baseline;
        }
    }

    /** Share of memory that may differ and still be the same machine (MemTotal moves with the kernel's reservations). */
    static final double MEMORY_TOLERANCE = 0.02;
    /** A single sample with no recorded spread: start-up time varies this much run to run on a quiet machine. */
    static final double STARTUP_NOISE = 0.25;
    /** RSS is sampled once per step and depends on when the collector last ran. */
    static final double RSS_NOISE = 0.15;
    /** Gatling's latencies are whole milliseconds: a change must be larger than that to mean anything. */
    static final double LATENCY_RESOLUTION_MS = 1.0;

    /**
     * The overload scenario's soft figures (peak RSS under overload, and the floor of the served
     * share, p99 and recovery time below) must move by more than this share to count, unless {@code --overload-min-change}
     * says otherwise. They come from ONE short window of an open-model overload on a small shared
     * machine, with nothing to measure their spread within the run: two smoke runs of the same
     * commit served 82% and 96% (15% apart) and peak RSS moved less than 10%; 30% leaves room for
     * that.
     */
    static final double OVERLOAD_MIN_CHANGE = 0.30;
    /**
     * The served share moved more than that between runs: on quiet fresh-clone smoke runs of two
     * commits a few hours apart Helidon served 100% and 62.8% (-37%), and a run on a busy machine
     * served 50% where a quiet one served 91% (Javalin). It counts only when it falls by more than
     * half (still a stack that serves half as much under the same overload).
     */
    static final double SERVED_SHARE_NOISE = 0.50;
    /**
     * The p99 of the requests served under overload is queueing time, not service time: it moved
     * from 2.1 s to 4.5 s (+114%) between two smoke runs of the same commit. It counts only when
     * it grows 2.5-fold (+150%).
     */
    static final double SERVED_P99_NOISE = 1.50;
    /**
     * The time to recover depends on how much queued work the overload left behind, which is as
     * noisy as the served p99: it counts only when it grows 2.5-fold (+150%), and by more than one
     * recovery window (the figure's resolution).
     */
    static final double RECOVERY_NOISE = 1.50;
    /** Served share must also move by more than this many percentage points (a small share is all noise). */
    static final double SERVED_SHARE_FLOOR_POINTS = 5.0;

    private final RunRecord baseline;
    private final RunRecord candidate;
    private final double minimum;
    private final double overloadMinimum;

    RunComparison(RunRecord baseline, RunRecord candidate, double minimum) {
        this(baseline, candidate, minimum, OVERLOAD_MIN_CHANGE);
    }

    /**
     * @param minimum         the smallest relative change that counts for any figure
     * @param overloadMinimum the same for the overload scenario's soft figures (see {@link #OVERLOAD_MIN_CHANGE})
     */
    RunComparison(RunRecord baseline, RunRecord candidate, double minimum, double overloadMinimum) {
        this.baseline = baseline;
        this.candidate = candidate;
        this.minimum = minimum;
        this.overloadMinimum = overloadMinimum;
    }

    /** Why the two runs cannot be compared; empty when they can. */
    List<String> differences() {
        List<String> d = new ArrayList<>();
        same(d, "schema version", baseline.schemaVersion(), candidate.schemaVersion());
        same(d, "profile", baseline.profile(), candidate.profile());
        Double calibration = baseline.settings() == null || baseline.settings().load() == null ? null
                : baseline.settings().load().calibrationCpuMicros();
        if (calibration != null && calibration > 0) {
            d.add("the baseline is a calibration run (" + calibration + " us of extra CPU per inference call, "
                    + "settings.load.calibrationCpuMicros): it can never be a baseline");
        }
        RunRecord.Environment a = baseline.environment();
        RunRecord.Environment b = candidate.environment();
        if (a == null || b == null) {
            d.add("environment fingerprint missing");
        } else {
            same(d, "CPU model", a.cpuModel(), b.cpuModel());
            same(d, "CPU count", a.cpuCount(), b.cpuCount());
            if (Math.abs(a.memoryBytes() - b.memoryBytes()) > MEMORY_TOLERANCE * Math.max(a.memoryBytes(), b.memoryBytes())) {
                d.add("memory: " + a.memoryBytes() + " vs " + b.memoryBytes() + " bytes");
            }
            same(d, "JDK", a.jdk(), b.jdk());
            same(d, "JVM flags", a.jvmFlags(), b.jvmFlags());
            same(d, "server CPU set", a.serverCpuSet(), b.serverCpuSet());
            same(d, "load generator CPU set", a.loadCpuSet(), b.loadCpuSet());
        }
        RunRecord.Settings s = baseline.settings();
        RunRecord.Settings t = candidate.settings();
        if (s == null || t == null) {
            d.add("settings missing");
        } else {
            // Which stacks, scenarios and workloads ran may differ: only what both measured is compared.
            same(d, "settings.warmupSeconds", s.warmupSeconds(), t.warmupSeconds());
            same(d, "settings.windowSeconds", s.windowSeconds(), t.windowSeconds());
            same(d, "settings.windows", s.windows(), t.windows());
            same(d, "settings.concurrency", s.concurrency(), t.concurrency());
            same(d, "settings.rateFractions", s.rateFractions(), t.rateFractions());
            same(d, "settings.sloP99Millis", s.sloP99Millis(), t.sloP99Millis());
            same(d, "settings.sloRounds", s.sloRounds(), t.sloRounds());
            same(d, "settings.stabilityTolerance", s.stabilityTolerance(), t.stabilityTolerance());
            same(d, "settings.maxRepeats", s.maxRepeats(), t.maxRepeats());
            same(d, "settings.probeRequests", s.probeRequests(), t.probeRequests());
            same(d, "settings.seed", s.seed(), t.seed());
            // The overload scenario's knobs shape every figure it records. A record without them (made
            // before the scenario existed, or a run without it) is still comparable: the overload is
            // then not compared, and deltas() says so.
            RunRecord.OverloadSettings o = s.overload();
            RunRecord.OverloadSettings p = t.overload();
            if (o != null && p != null) {
                same(d, "settings.overload.workloads", o.workloads(), p.workloads());
                same(d, "settings.overload.factor", o.factor(), p.factor());
                same(d, "settings.overload.seconds", o.seconds(), p.seconds());
                same(d, "settings.overload.requestTimeoutSeconds", o.requestTimeoutSeconds(), p.requestTimeoutSeconds());
                same(d, "settings.overload.recoveryFactor", o.recoveryFactor(), p.recoveryFactor());
                same(d, "settings.overload.recoverySeconds", o.recoverySeconds(), p.recoverySeconds());
                same(d, "settings.overload.recoveryWindowRequests", o.recoveryWindowRequests(), p.recoveryWindowRequests());
            }
            // The load client's knobs shape every load figure. A record without them (its figures from
            // Gatling) is still comparable, as one without overload settings is: deltas() notes it.
            RunRecord.LoadSettings l = s.load();
            RunRecord.LoadSettings m = t.load();
            if (l != null && m != null) {
                same(d, "settings.load.client", l.client(), m.client());
                same(d, "settings.load.jvmFlags", l.jvmFlags(), m.jvmFlags());
                same(d, "settings.load.connections", l.connections(), m.connections());
                same(d, "settings.load.overloadConnections", l.overloadConnections(), m.overloadConnections());
                same(d, "settings.load.requestTimeoutSeconds", l.requestTimeoutSeconds(), m.requestTimeoutSeconds());
                same(d, "settings.load.settleSeconds", l.settleSeconds(), m.settleSeconds());
                same(d, "settings.load.rates", l.rates(), m.rates());
                same(d, "settings.load.calibrationCpuMicros", l.calibrationCpuMicros(), m.calibrationCpuMicros());
            }
            // The validity rules and the run's shape (rounds, control, windows) shape every figure. A record without
            // them (made before they were recorded) stays comparable, as one without load settings does.
            if (s.rules() != null && t.rules() != null) {
                same(d, "settings.rules", s.rules(), t.rules());
            }
        }
        return d;
    }

    private static void same(List<String> d, String what, Object a, Object b) {
        if (!Objects.equals(a, b)) {
            d.add(what + ": " + a + " vs " + b);
        }
    }

    /** Every matched figure, compared. */
    List<Delta> deltas() {
        List<Delta> out = new ArrayList<>();
        RunRecord.OverloadSettings bOverload = overloadSettings(baseline);
        RunRecord.OverloadSettings cOverload = overloadSettings(candidate);
        if (bOverload == null && cOverload != null) {
            out.add(Delta.fact("all", "-", "overload", "scenario", "not run", "run", "", Verdict.INFO,
                    "not compared: the baseline has no overload settings (recorded before the scenario existed, or "
                            + "without it); only the candidate's crashes and out-of-memory errors under overload are gated"));
            for (RunRecord.StackResult c : candidate.stacks()) {
                if (c.workloads() != null) {
                    c.workloads().forEach((w, load) -> {
                        RunRecord.Scenario cs = load.scenarios() == null ? null : load.scenarios().get("overload");
                        if (cs != null && cs.overload() != null) {
                            survival(out, c.stack(), w, null, cs.overload());
                        }
                    });
                }
            }
        } else if (bOverload != null && cOverload == null) {
            out.add(Delta.fact("all", "-", "overload", "scenario", "run", "not run", "", Verdict.INFO,
                    "not compared: the candidate did not run the overload scenario"));
        }
        boolean bLoad = baseline.settings() != null && baseline.settings().load() != null;
        boolean cLoad = candidate.settings() != null && candidate.settings().load() != null;
        if (bLoad != cLoad) {
            out.add(Delta.fact("all", "-", "all", "load client", client(baseline), client(candidate), "", Verdict.INFO,
                    "the " + (bLoad ? "candidate" : "baseline") + "'s load figures come from Gatling (whole ms): every figure is "
                            + "compared but the p99 of steps measured by different clients, which is noted, not gated"));
        }
        for (RunRecord.StackResult b : baseline.stacks()) {
            RunRecord.StackResult c = candidate.stacks().stream().filter(x -> x.stack().equals(b.stack())).findFirst().orElse(null);
            if (c == null) {
                if (!candidate.complete()) {
                    out.add(new Delta(b.stack(), "-", "-", "-", "stack", "", null, null, 0, "", Verdict.INFO,
                            "not reached: the candidate run is incomplete"));
                } else if (candidate.settings() != null && candidate.settings().subjects().contains(b.stack())) {
                    out.add(new Delta(b.stack(), "-", "-", "-", "stack", "", null, null, 0, "", Verdict.REGRESSION,
                            "asked for but missing from the candidate run"));
                }
                continue;
            }
            startup(out, b, c);
            if (b.workloads() == null) {
                continue;
            }
            for (Map.Entry<String, RunRecord.Workload> w : b.workloads().entrySet()) {
                RunRecord.Workload cw = c.workloads() == null ? null : c.workloads().get(w.getKey());
                if (cw == null) {
                    boolean asked = candidate.settings() == null || candidate.settings().workloads() == null
                            || candidate.settings().workloads().contains(w.getKey());
                    out.add(new Delta(b.stack(), w.getKey(), "-", "-", "workload", "", null, null, 0, "",
                            asked ? Verdict.REGRESSION : Verdict.INFO,
                            asked ? "not measured in the candidate: " + String.join("; ", c.reasons()) : "not asked for"));
                    continue;
                }
                workload(out, b.stack(), w.getKey(), w.getValue(), cw);
                if (bOverload != null && cOverload != null) {
                    overload(out, b.stack(), w.getKey(), scenario(w.getValue(), "overload"), scenario(cw, "overload"), c.reasons(),
                            cOverload.workloads() == null || cOverload.workloads().contains(w.getKey()));
                }
            }
        }
        return out;
    }

    /** Which client measured a run's load figures, in a word. */
    private static String client(RunRecord r) {
        return r.settings() != null && r.settings().load() != null ? "load client" : "Gatling";
    }

    private static RunRecord.OverloadSettings overloadSettings(RunRecord r) {
        return r.settings() == null || r.settings().scenarios() != null && !r.settings().scenarios().contains("overload")
                ? null : r.settings().overload();
    }

    private static RunRecord.Scenario scenario(RunRecord.Workload w, String name) {
        return w.scenarios() == null ? null : w.scenarios().get(name);
    }

    /**
     * The overload scenario of one stack and workload. Hard faults gate regardless of noise: the
     * scenario VALID in the baseline and INVALID in the candidate, missing from the candidate
     * although asked for, the server dead or out of memory afterwards, answers other than 2xx, 503
     * and 429 where the baseline had none. The load generator running out of open files is the
     * harness's limit, not the server's: reported, not gated. The soft figures, from one short
     * window each, gate only beyond wide thresholds (see {@link #OVERLOAD_MIN_CHANGE}).
     */
    private void overload(List<Delta> out, String stack, String workload, RunRecord.Scenario b, RunRecord.Scenario c,
                          List<String> candidateReasons, boolean asked) {
        if (b == null && c == null) {
            return;
        }
        if (c == null) {
            out.add(Delta.fact(stack, workload, "overload", "scenario", word(b), "not measured", "",
                    asked ? Verdict.REGRESSION : Verdict.INFO, asked ? "asked for but not measured in the candidate"
                            + (candidateReasons == null || candidateReasons.isEmpty() ? "" : ": " + String.join("; ", candidateReasons))
                            : "not asked for"));
            return;
        }
        if (generatorLimited(c)) {
            out.add(Delta.fact(stack, workload, "overload", "scenario", b == null ? "not measured" : word(b), "not measured", "",
                    Verdict.INFO, "the load generator's limit, not the server's (not gated): " + String.join("; ", c.reasons())));
            return;
        }
        if (b == null || generatorLimited(b)) {
            out.add(Delta.fact(stack, workload, "overload", "scenario", "not measured", word(c), "", Verdict.INFO,
                    b == null ? "not in the baseline" : "not measured in the baseline: " + String.join("; ", b.reasons())));
            if (c.overload() != null) {
                survival(out, stack, workload, null, c.overload());
                statuses(out, stack, workload, null, c.overload());
            }
            return;
        }
        boolean worse = b.status() == RunRecord.Status.VALID && c.status() == RunRecord.Status.INVALID;
        boolean better = b.status() == RunRecord.Status.INVALID && c.status() == RunRecord.Status.VALID;
        out.add(Delta.fact(stack, workload, "overload", "status", word(b), word(c), "hard: VALID must stay VALID",
                worse ? Verdict.REGRESSION : better ? Verdict.IMPROVED : Verdict.OK,
                c.status() == RunRecord.Status.INVALID && c.reasons() != null && !c.reasons().isEmpty()
                        ? String.join("; ", c.reasons()) : ""));
        if (c.overload() == null) {
            return;
        }
        survival(out, stack, workload, b.overload(), c.overload());
        statuses(out, stack, workload, b.overload(), c.overload());
        if (b.overload() != null) {
            soft(out, stack, workload, b.overload(), c.overload());
        }
    }

    /** A scenario the runner could not measure because the load generator ran out of open files. */
    static boolean generatorLimited(RunRecord.Scenario s) {
        return s.status() == RunRecord.Status.INVALID && s.overload() == null && s.reasons() != null
                && !s.reasons().isEmpty() && s.reasons().stream().allMatch(r -> r.startsWith("the load generator"));
    }

    private static String word(RunRecord.Scenario s) {
        return s.status() == null ? "?" : s.status().name();
    }

    /** The server alive and within its heap after the overload: a regression whenever it is not, whatever the baseline. */
    private static void survival(List<Delta> out, String stack, String workload, RunRecord.Overload b, RunRecord.Overload c) {
        String bAlive = b == null ? "-" : b.serverAlive() ? "yes" : "NO";
        out.add(Delta.fact(stack, workload, "overload", "server alive afterwards", bAlive, c.serverAlive() ? "yes" : "NO",
                "hard: no stack may crash or hang", c.serverAlive() ? Verdict.OK : Verdict.REGRESSION,
                c.serverAlive() ? "" : "no 200 from /health/ready after the overload"
                        + (b != null && !b.serverAlive() ? " (nor in the baseline)" : "")));
        String bOom = b == null ? "-" : b.outOfMemory() ? "YES" : "no";
        out.add(Delta.fact(stack, workload, "overload", "OutOfMemoryError", bOom, c.outOfMemory() ? "YES" : "no",
                "hard: no stack may exceed its heap", c.outOfMemory() ? Verdict.REGRESSION : Verdict.OK,
                c.outOfMemory() ? "OutOfMemoryError in the server log" + (b != null && b.outOfMemory() ? " (also in the baseline)" : "")
                        : ""));
    }

    /** Answers other than 2xx, 503 and 429: a regression when the baseline had none of that kind. */
    private static void statuses(List<Delta> out, String stack, String workload, RunRecord.Overload b, RunRecord.Overload c) {
        RunRecord.OverloadErrors be = b == null ? null : b.errors();
        RunRecord.OverloadErrors ce = c.errors();
        if (ce == null) {
            return;
        }
        count(out, stack, workload, "other 4xx", be == null ? null : be.other4xx(), ce.other4xx());
        count(out, stack, workload, "other 5xx", be == null ? null : be.other5xx(), ce.other5xx());
        count(out, stack, workload, "other status", be == null ? null : be.otherStatus(), ce.otherStatus());
    }

    private static void count(List<Delta> out, String stack, String workload, String metric, Long b, long c) {
        boolean had = b != null && b > 0;
        Verdict v = c == 0 ? (had ? Verdict.IMPROVED : Verdict.OK) : had ? Verdict.INFO : Verdict.REGRESSION;
        out.add(new Delta(stack, workload, "overload", "-", metric, "answers", b == null ? null : b.doubleValue(), (double) c, 0,
                "hard: none allowed where the baseline had none", v,
                c > 0 && had ? "the baseline had them too" : c > 0 ? "only 2xx, 503 and 429 are acceptable under overload" : ""));
    }

    /** Served share, p99 of the served, recovery time and peak RSS: one window each, wide thresholds. */
    private void soft(List<Delta> out, String stack, String workload, RunRecord.Overload b, RunRecord.Overload c) {
        double floor = Math.max(minimum, overloadMinimum);
        String floorBasis = "one window, no spread recorded: overload minimum " + pct(floor);
        double shareThreshold = Math.max(floor, SERVED_SHARE_NOISE);
        Delta share = judge(stack, workload, "overload", "-", "served share", "%", round1(b.servedShare() * 100),
                round1(c.servedShare() * 100), Better.HIGHER, shareThreshold, "one window: " + pct(SERVED_SHARE_NOISE)
                        + " between quiet runs, and > " + fmt(SERVED_SHARE_FLOOR_POINTS) + " points", SERVED_SHARE_FLOOR_POINTS);
        out.add(share.withNote(generatorNote(b, "baseline")).withNote(generatorNote(c, "candidate")));
        Double bp99 = b.servedLatency() == null ? null : b.servedLatency().p99();
        Double cp99 = c.servedLatency() == null ? null : c.servedLatency().p99();
        double p99Threshold = Math.max(floor, SERVED_P99_NOISE);
        out.add(judge(stack, workload, "overload", "-", "p99 of the served", "ms", bp99, cp99, Better.LOWER, p99Threshold,
                "one window: queueing time, " + pct(SERVED_P99_NOISE) + " between runs of one commit, and > "
                        + fmt(LATENCY_RESOLUTION_MS) + " ms", LATENCY_RESOLUTION_MS));
        recovery(out, stack, workload, b.recovery(), c.recovery(), floor);
        out.add(judge(stack, workload, "overload", "-", "peak RSS", "MiB", mib(b.peakRssBytes()), mib(c.peakRssBytes()),
                Better.LOWER, Math.max(floor, RSS_NOISE), "one overload, sampled every 50 ms: overload minimum "
                        + pct(Math.max(floor, RSS_NOISE)), 0));
    }

    private static String generatorNote(RunRecord.Overload o, String side) {
        return o.generatorCpuShare() != null && o.generatorCpuShare() > 0.9
                ? "the load generator was saturated in the " + side + " (CPU share " + fmt(o.generatorCpuShare())
                + "): the offered rate was its limit" : "";
    }

    /**
     * Recovery time: gated when both runs recovered, or one did and the other not (then the one
     * that did not counts as its bound, a lower bound of its recovery time).
     */
    private void recovery(List<Delta> out, String stack, String workload, RunRecord.Recovery b, RunRecord.Recovery c, double floor) {
        if (b == null || c == null) {
            out.add(new Delta(stack, workload, "overload", "-", "recovery time", "ms", b == null ? null : b.millis(),
                    c == null ? null : c.millis(), 0, "", Verdict.INFO, "recovery not recorded in the " + (b == null ? "baseline" : "candidate")));
            return;
        }
        if (!b.recovered() && !c.recovered()) {
            out.add(new Delta(stack, workload, "overload", "-", "recovery time", "ms", null, null, 0, "", Verdict.INFO,
                    "not recovered within the bound in either run"));
            return;
        }
        double resolution = Math.max(window(b), window(c));
        double bMillis = recoveredOrBound(b);
        double cMillis = recoveredOrBound(c);
        double granularity = bMillis > 0 ? resolution / bMillis : 0;
        double threshold = Math.max(floor, Math.max(RECOVERY_NOISE, granularity));
        Delta d = judge(stack, workload, "overload", "-", "recovery time", "ms", bMillis, cMillis, Better.LOWER, threshold,
                "one recovery: " + pct(RECOVERY_NOISE) + ", and > one window (" + fmt(resolution) + " ms)", resolution);
        String note = !c.recovered() ? "not recovered within " + fmt(c.boundSeconds()) + " s in the candidate: compared as that bound"
                : !b.recovered() ? "not recovered within " + fmt(b.boundSeconds()) + " s in the baseline: compared as that bound" : "";
        out.add(d.withNote(note));
    }

    /** Milliseconds to recover, or for a recovery that did not come its lower bound: the drain and the whole bound. */
    private static double recoveredOrBound(RunRecord.Recovery r) {
        if (r.recovered() && r.millis() != null) {
            return r.millis();
        }
        return (r.drainMillis() == null ? 0 : r.drainMillis()) + r.boundSeconds() * 1000;
    }

    /** How long one recovery window took (the recovery time's resolution), 0 when unknown. */
    private static double window(RunRecord.Recovery r) {
        if (!r.recovered() || r.millis() == null || r.windowP99Micros() == null || r.windowP99Micros().isEmpty()) {
            return 0;
        }
        double drain = r.drainMillis() == null ? 0 : r.drainMillis();
        return Math.max(0, (r.millis() - drain) / r.windowP99Micros().size());
    }

    private static Double round1(double d) {
        return Math.round(d * 10) / 10.0;
    }

    private void startup(List<Delta> out, RunRecord.StackResult b, RunRecord.StackResult c) {
        if (b.startup() != null && c.startup() != null) {
            double t = Math.max(minimum, STARTUP_NOISE);
            String basis = "one sample, no spread recorded: " + pct(STARTUP_NOISE);
            out.add(judge(b.stack(), "-", "startup", "-", "ready", "ms", b.startup().readyMillis(), c.startup().readyMillis(),
                    Better.LOWER, t, basis, 0));
            out.add(judge(b.stack(), "-", "startup", "-", "RSS after start", "MiB", mib(b.startup().rssBytes()),
                    mib(c.startup().rssBytes()), Better.LOWER, Math.max(minimum, RSS_NOISE), "sampled once: " + pct(RSS_NOISE), 0));
        }
    }

    private void workload(List<Delta> out, String stack, String workload, RunRecord.Workload b, RunRecord.Workload c) {
        Map<String, RunRecord.Scenario> bs = b.scenarios() == null ? Map.of() : b.scenarios();
        Map<String, RunRecord.Scenario> cs = c.scenarios() == null ? Map.of() : c.scenarios();
        RunRecord.Scenario bSweep = bs.get("sweep");
        RunRecord.Scenario cSweep = cs.get("sweep");
        if (bSweep != null && cSweep != null) {
            for (RunRecord.Step bStep : bSweep.steps()) {
                RunRecord.Step cStep = cSweep.steps().stream().filter(x -> Objects.equals(x.concurrency(), bStep.concurrency()))
                        .findFirst().orElse(null);
                if (cStep != null) {
                    String key = "c" + bStep.concurrency();
                    if (notCompared(out, stack, workload, "sweep", key, bStep, cStep)) {
                        continue;
                    }
                    double noise = Math.max(bStep.spread(), cStep.spread());
                    out.add(judge(stack, workload, "sweep", key, "throughput", "req/s", bStep.throughput(), cStep.throughput(),
                            Better.HIGHER, Math.max(minimum, noise), basis(noise, "window throughput spread"), 0));
                    steps(out, stack, workload, "sweep", key, bStep, cStep);
                }
            }
            Long bPeak = peakRss(bs);
            Long cPeak = peakRss(cs);
            out.add(judge(stack, workload, "all", "-", "peak RSS", "MiB", mib(bPeak), mib(cPeak), Better.LOWER,
                    Math.max(minimum, RSS_NOISE), "sampled once per step: " + pct(RSS_NOISE), 0));
        }
        RunRecord.Scenario bRate = bs.get("rate");
        RunRecord.Scenario cRate = cs.get("rate");
        if (bRate != null && cRate != null && bRate.steps() != null && cRate.steps() != null) {
            boolean matched = false;
            for (int i = 0; i < bRate.steps().size(); i++) {
                String key = rateKey(baseline, bRate.steps(), i);
                for (int j = 0; j < cRate.steps().size(); j++) {
                    if (key.equals(rateKey(candidate, cRate.steps(), j))) {
                        if (!notCompared(out, stack, workload, "rate", key, bRate.steps().get(i), cRate.steps().get(j))) {
                            steps(out, stack, workload, "rate", key, bRate.steps().get(i), cRate.steps().get(j));
                        }
                        matched = true;
                        break;
                    }
                }
            }
            if (!matched && !bRate.steps().isEmpty() && !cRate.steps().isEmpty()) {
                out.add(new Delta(stack, workload, "rate", "-", "steps", "", null, null, 0, "", Verdict.INFO,
                        "not compared: no rate step of one run matches one of the other (shares of the sweep's peak "
                                + "in one, absolute rates in the other, or different ones)"));
            }
        }
        RunRecord.Scenario bSlo = bs.get("slo");
        RunRecord.Scenario cSlo = cs.get("slo");
        if (bSlo != null && cSlo != null && bSlo.slo() != null && cSlo.slo() != null) {
            Double a = bSlo.slo().maxRate();
            Double z = cSlo.slo().maxRate();
            RunRecord.Step bResult = resultStep(bSlo);
            RunRecord.Step cResult = resultStep(cSlo);
            if (bResult != null && cResult != null && notCompared(out, stack, workload, "slo", "-", bResult, cResult)) {
                return;
            }
            if (a == null || z == null) {
                out.add(new Delta(stack, workload, "slo", "-", "SLO-bounded throughput", "req/s", a, z, 0,
                        "gated only when both runs met the objective",
                        Verdict.INFO, a == null && z == null ? "objective not met in either run"
                        : a == null ? "objective now met" : "objective no longer met at any rate tried"));
            } else {
                double granularity = searchStep(bSlo.slo(), a);
                out.add(judge(stack, workload, "slo", "-", "SLO-bounded throughput", "req/s", a, z, Better.HIGHER,
                        Math.max(minimum, granularity), basis(granularity, "the search's next rate above the result"), 0));
            }
        }
    }

    /**
     * A step INVALID in either run (it did not settle, had errors, the generator was saturated: see
     * {@link RunRecord.Step#valid()}) is not gated: its figures are not evidence of a change. Noted
     * instead, with the reasons; true when it was.
     */
    private static boolean notCompared(List<Delta> out, String stack, String workload, String scenario, String key,
                                       RunRecord.Step b, RunRecord.Step c) {
        if (b.valid() && c.valid()) {
            return false;
        }
        String side = !b.valid() && !c.valid() ? "baseline and candidate" : !b.valid() ? "baseline" : "candidate";
        List<String> why = new ArrayList<>();
        if (!b.valid()) {
            why.add((c.valid() ? "" : "baseline: ") + String.join("; ", Validity.reasons(b)));
        }
        if (!c.valid()) {
            why.add((b.valid() ? "" : "candidate: ") + String.join("; ", Validity.reasons(c)));
        }
        out.add(Delta.fact(stack, workload, scenario, "validity", b.valid() ? "VALID" : "INVALID", c.valid() ? "VALID" : "INVALID", "",
                        Verdict.INFO,
                        "not compared: INVALID in the " + side + " (" + String.join("; ", why) + ")")
                .withStep(key));
        return true;
    }

    /** The step the SLO search reports as its result, or null. */
    private static RunRecord.Step resultStep(RunRecord.Scenario slo) {
        if (slo.slo() == null || slo.slo().step() == null || slo.steps() == null) {
            return null;
        }
        return slo.steps().stream().filter(st -> slo.slo().step().equals(st.name())).findFirst().orElse(null);
    }

    /**
     * Why a run cannot be compared because it did not finish ({@code conduct.complete} false); empty
     * when both finished. Its figures are of the stacks and scenarios it reached, and a stack it never
     * reached would read as a regression.
     */
    List<String> incomplete() {
        List<String> out = new ArrayList<>();
        for (RunRecord r : List.of(baseline, candidate)) {
            if (!r.complete()) {
                String reason = r.conduct().incomplete();
                out.add("the " + (r == baseline ? "baseline" : "candidate") + " run `" + r.runId() + "` is incomplete: "
                        + (reason == null || reason.isBlank() ? "the record does not say why it stopped" : reason));
            }
        }
        return out;
    }

    /**
     * What a rate step means, to match it across runs: its rate ({@code r1000}) when the run asked
     * for absolute rates, else its share of the sweep's peak ({@code 75% load}), else its place.
     */
    static String rateKey(RunRecord run, List<RunRecord.Step> steps, int i) {
        RunRecord.Settings s = run.settings();
        if (s != null && s.load() != null && s.load().rates() != null && steps.get(i).targetRate() != null) {
            return "r" + Math.round(steps.get(i).targetRate());
        }
        List<Double> fractions = s == null ? null : s.rateFractions();
        return fractions != null && fractions.size() == steps.size() ? Math.round(fractions.get(i) * 100) + "% load" : "#" + (i + 1);
    }

    /** p99 and CPU per request of one matched step, each against its windows' noise. */
    private void steps(List<Delta> out, String stack, String workload, String scenario, String key, RunRecord.Step b, RunRecord.Step c) {
        boolean sameClient = (b.generator() == null) == (c.generator() == null);
        if (!sameClient && b.latency() != null && c.latency() != null) {
            out.add(new Delta(stack, workload, scenario, key, "p99", "ms", b.latency().p99(), c.latency().p99(), 0, "",
                    Verdict.INFO, "not gated: measured by different clients (" + (b.generator() == null ? "Gatling" : "load client")
                    + " in the baseline, " + (c.generator() == null ? "Gatling" : "load client") + " in the candidate)"));
        } else if (b.latency() != null && c.latency() != null && b.latency().p99() != null && c.latency().p99() != null) {
            double noise = Math.max(range(b.windows(), w -> w.latency() == null ? null : w.latency().p99()),
                    range(c.windows(), w -> w.latency() == null ? null : w.latency().p99()));
            out.add(judge(stack, workload, scenario, key, "p99", "ms", b.latency().p99(), c.latency().p99(), Better.LOWER,
                    Math.max(minimum, noise), basis(noise, "window p99 range") + ", and > " + fmt(LATENCY_RESOLUTION_MS) + " ms",
                    LATENCY_RESOLUTION_MS));
        }
        if (b.serverCpuMillisPerRequest() != null && c.serverCpuMillisPerRequest() != null) {
            double noise = Math.max(cpuNoise(b), cpuNoise(c));
            out.add(judge(stack, workload, scenario, key, "CPU per request", "ms", b.serverCpuMillisPerRequest(),
                    c.serverCpuMillisPerRequest(), Better.LOWER, Math.max(minimum, noise),
                    basis(noise, "CPU/request noise"), 0));
        }
    }

    private Delta judge(String stack, String workload, String scenario, String step, String metric, String unit, Double a,
                        Double z, Better better, double threshold, String basis, double absoluteFloor) {
        if (a == null || z == null) {
            return new Delta(stack, workload, scenario, step, metric, unit, a, z, threshold, basis, Verdict.INFO,
                    "only in " + (a == null ? "the candidate" : "the baseline"));
        }
        double rel = a == 0 ? (z == 0 ? 0 : Double.POSITIVE_INFINITY) : (z - a) / Math.abs(a);
        double worse = better == Better.HIGHER ? -rel : rel;
        boolean beyond = Math.abs(rel) > threshold && Math.abs(z - a) > absoluteFloor;
        Verdict v = !beyond ? Verdict.OK : worse > 0 ? Verdict.REGRESSION : Verdict.IMPROVED;
        return new Delta(stack, workload, scenario, step, metric, unit, a, z, threshold, basis, v, "");
    }

    private static Long peakRss(Map<String, RunRecord.Scenario> scenarios) {
        return scenarios.values().stream().filter(s -> s.steps() != null).flatMap(s -> s.steps().stream())
                .map(RunRecord.Step::serverRssBytes).filter(Objects::nonNull).max(Long::compare).orElse(null);
    }

    /** (max - min) / median of a figure over a step's windows: how much it moved within one run. */
    static double range(List<RunRecord.Window> windows, Function<RunRecord.Window, Double> figure) {
        if (windows == null) {
            return 0;
        }
        List<Double> v = windows.stream().map(figure).filter(Objects::nonNull).sorted().toList();
        if (v.size() < 2) {
            return 0;
        }
        double median = v.size() % 2 == 1 ? v.get(v.size() / 2) : (v.get(v.size() / 2 - 1) + v.get(v.size() / 2)) / 2;
        // Whole-millisecond latencies: a median of 0 means "under 1 ms"; measure the range against the resolution.
        return (v.getLast() - v.getFirst()) / Math.max(median, LATENCY_RESOLUTION_MS / 2);
    }

    /**
     * How much CPU per request moved within a step: from the windows' CPU seconds where the runner
     * recorded them, else the step's throughput spread (requests are the figure's denominator).
     */
    private static double cpuNoise(RunRecord.Step step) {
        List<RunRecord.Window> windows = step.windows();
        if (windows == null || windows.stream().noneMatch(w -> w.serverCpuSeconds() != null)) {
            return step.spread();
        }
        double ticks = windows.stream().map(RunRecord.Window::serverCpuSeconds).filter(s -> s != null && s > 0)
                .mapToDouble(s -> 0.01 / s).max().orElse(0);
        return Math.max(ticks, range(windows, w -> w.serverCpuSeconds() == null || w.requests() == 0 ? null
                : w.serverCpuSeconds() * 1000 / w.requests()));
    }

    /** How finely the SLO search resolved its result: the gap to the next rate it tried above it. */
    private static double searchStep(RunRecord.Slo slo, double result) {
        return slo.ratesTried() == null ? 0 : slo.ratesTried().stream().filter(r -> r > result).min(Double::compare)
                .map(next -> (next - result) / result).orElse(0.0);
    }

    private String basis(double noise, String what) {
        return noise > minimum ? what + " " + pct(noise) : "minimum " + pct(minimum) + " (" + what + " " + pct(noise) + ")";
    }

    private static Double mib(Long bytes) {
        return bytes == null ? null : Math.round(bytes / 1048576.0 * 10) / 10.0;
    }

    static String pct(double d) {
        return String.format(java.util.Locale.ROOT, "%.0f%%", d * 100);
    }

    static String fmt(double d) {
        if (Math.abs(d) >= 100) {
            return String.format(java.util.Locale.ROOT, "%,.0f", d);
        }
        return String.format(java.util.Locale.ROOT, "%.3g", d).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "");
    }
}
