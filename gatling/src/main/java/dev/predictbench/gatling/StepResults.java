package dev.predictbench.gatling;

import dev.predictbench.results.RunRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one Gatling run (its statistics per window and the simulation's timeline of marks) into
 * the run record's steps. A window's throughput is the successful requests that started in it
 * over its length; server CPU and RSS and the generator's CPU come from the marks around the step. The
 * step's throughput is the mean over windows, its spread (max - min) / mean, and it is stable when
 * its last two windows agree within the tolerance. Its latency figures are the median over windows
 * of Gatling's per-window percentiles (whole milliseconds) and the largest maximum.
 */
public final class StepResults {
    /** A generator whose process used more than this share of its CPU during a window was saturated. */
    public static final double SATURATED_CPU_SHARE = 0.9;

    private StepResults() {
    }

    /**
     * @param stepNames     the steps in order (warm-up excluded)
     * @param concurrency   for closed steps, users per step name; else empty
     * @param targetRates   for open steps, arrivals per second per step name; else empty
     * @param generatorCpus how many CPUs the generator may use (its CPU set's size)
     */
    public static List<RunRecord.Step> steps(List<String> stepNames, Map<String, Integer> concurrency,
                                             Map<String, Double> targetRates, Map<String, GatlingStats.Request> stats,
                                             List<Timeline.Mark> marks, double windowSeconds, double tolerance,
                                             int generatorCpus) {
        Map<String, Integer> markIndex = new LinkedHashMap<>();
        for (int i = 0; i < marks.size(); i++) {
            markIndex.put(marks.get(i).label(), i);
        }
        List<RunRecord.Step> out = new ArrayList<>();
        for (String step : stepNames) {
            List<RunRecord.Window> windows = new ArrayList<>();
            for (int w = 1; stats.containsKey(step + "#" + w); w++) {
                GatlingStats.Request r = stats.get(step + "#" + w);
                windows.add(new RunRecord.Window(windowSeconds, r.ok(), r.ko(), round(r.ok() / windowSeconds, 1), latency(r),
                        null, null, null));
            }
            Integer at = markIndex.get(step);
            if (windows.isEmpty() || at == null || at + 1 >= marks.size()) {
                continue;
            }
            Timeline.Mark start = marks.get(at);
            Timeline.Mark end = marks.get(at + 1);
            double loadSeconds = windows.size() * windowSeconds;
            boolean serverKnown = start.serverCpuSeconds() >= 0 && end.serverCpuSeconds() >= 0;
            double serverCpu = end.serverCpuSeconds() - start.serverCpuSeconds();
            double stepSeconds = Math.max(loadSeconds, (end.nanos() - start.nanos()) / 1e9);
            double generatorShare = (end.generatorCpuSeconds() - start.generatorCpuSeconds()) / stepSeconds / generatorCpus;
            long requests = windows.stream().mapToLong(RunRecord.Window::requests).sum();
            long errors = windows.stream().mapToLong(RunRecord.Window::errors).sum();
            double[] tput = windows.stream().mapToDouble(RunRecord.Window::throughput).toArray();
            double mean = Arrays.stream(tput).average().orElse(0);
            double spread = mean == 0 ? 0 : (Arrays.stream(tput).max().orElse(0) - Arrays.stream(tput).min().orElse(0)) / mean;
            boolean stable = tput.length < 2 || agree(tput[tput.length - 2], tput[tput.length - 1], tolerance);
            Map<String, String> sources = new LinkedHashMap<>();
            sources.put("throughput", "gatling: successful requests started in each window / window length; mean of windows");
            sources.put("latency", "gatling js/stats.json (whole ms), median over windows of each percentile; max over windows");
            sources.put("serverCpuMillisPerRequest", "/proc/<server pid>/stat utime+stime (10 ms ticks) between the step's marks / requests");
            sources.put("serverRssBytes", "/proc/<server pid>/status VmRSS at the step's end");
            sources.put("generatorCpuShare", "/proc/self/stat of the load generator's JVM between the step's marks / that time / generator CPUs");
            out.add(new RunRecord.Step(step, concurrency.get(step), targetRates.get(step), round(mean, 1), requests, errors,
                    median(windows), serverKnown && requests > 0 ? round(serverCpu * 1000 / requests, 4) : null,
                    end.serverRssBytes() >= 0 ? end.serverRssBytes() : null, round(generatorShare, 3),
                    generatorShare > SATURATED_CPU_SHARE, round(spread, 4), stable, 1, windows, sources));
        }
        return out;
    }

    static boolean agree(double a, double b, double tolerance) {
        double base = Math.max(a, b);
        return base == 0 || Math.abs(a - b) / base <= tolerance;
    }

    private static RunRecord.Latency latency(GatlingStats.Request r) {
        return new RunRecord.Latency(nan(r.p50()), nan(r.p90()), nan(r.p99()), nan(r.p999()), nan(r.max()), nan(r.mean()),
                "ms", "gatling");
    }

    private static RunRecord.Latency median(List<RunRecord.Window> windows) {
        List<RunRecord.Latency> l = windows.stream().map(RunRecord.Window::latency).filter(x -> x != null && x.p50() != null).toList();
        if (l.isEmpty()) {
            return null;
        }
        return new RunRecord.Latency(med(l, RunRecord.Latency::p50), med(l, RunRecord.Latency::p90),
                med(l, RunRecord.Latency::p99), med(l, RunRecord.Latency::p999),
                l.stream().mapToDouble(RunRecord.Latency::max).max().orElse(Double.NaN),
                med(l, RunRecord.Latency::mean), "ms", "gatling (whole ms), median of windows");
    }

    private static Double med(List<RunRecord.Latency> l, java.util.function.Function<RunRecord.Latency, Double> f) {
        double[] v = l.stream().map(f).filter(x -> x != null).mapToDouble(Double::doubleValue).sorted().toArray();
        if (v.length == 0) {
            return null;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static Double nan(double v) {
        return Double.isNaN(v) ? null : v;
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
