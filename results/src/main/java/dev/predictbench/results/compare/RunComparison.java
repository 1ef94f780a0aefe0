package dev.predictbench.results.compare;

import dev.predictbench.results.RunRecord;
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
 * their peaks do); the SLO search by its result, not its steps (the rates it tried differ too).
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
                 Double candidate, double threshold, String basis, Verdict verdict, String note) {
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

    private final RunRecord baseline;
    private final RunRecord candidate;
    private final double minimum;

    RunComparison(RunRecord baseline, RunRecord candidate, double minimum) {
        this.baseline = baseline;
        this.candidate = candidate;
        this.minimum = minimum;
    }

    /** Why the two runs cannot be compared; empty when they can. */
    List<String> differences() {
        List<String> d = new ArrayList<>();
        same(d, "schema version", baseline.schemaVersion(), candidate.schemaVersion());
        same(d, "profile", baseline.profile(), candidate.profile());
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
        for (RunRecord.StackResult b : baseline.stacks()) {
            RunRecord.StackResult c = candidate.stacks().stream().filter(x -> x.stack().equals(b.stack())).findFirst().orElse(null);
            if (c == null) {
                if (candidate.settings() != null && candidate.settings().stacks().contains(b.stack())) {
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
            }
        }
        return out;
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
        List<Double> fractions = baseline.settings() == null ? null : baseline.settings().rateFractions();
        if (bRate != null && cRate != null) {
            for (int i = 0; i < Math.min(bRate.steps().size(), cRate.steps().size()); i++) {
                String key = fractions != null && fractions.size() == bRate.steps().size()
                        ? Math.round(fractions.get(i) * 100) + "% load" : "#" + (i + 1);
                steps(out, stack, workload, "rate", key, bRate.steps().get(i), cRate.steps().get(i));
            }
        }
        RunRecord.Scenario bSlo = bs.get("slo");
        RunRecord.Scenario cSlo = cs.get("slo");
        if (bSlo != null && cSlo != null && bSlo.slo() != null && cSlo.slo() != null) {
            Double a = bSlo.slo().maxRate();
            Double z = cSlo.slo().maxRate();
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

    /** p99 and CPU per request of one matched step, each against its windows' noise. */
    private void steps(List<Delta> out, String stack, String workload, String scenario, String key, RunRecord.Step b, RunRecord.Step c) {
        if (b.latency() != null && c.latency() != null && b.latency().p99() != null && c.latency().p99() != null) {
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
