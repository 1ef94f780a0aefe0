package dev.predictbench.gatling;

import dev.predictbench.gatling.load.LoadProcess;
import dev.predictbench.gatling.load.Stability;
import dev.predictbench.gatling.load.StepOutcome;
import dev.predictbench.results.RunRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns what the load client measured in a step into the run record's step: throughput from the
 * good answers completed in each window, latency from the step's pooled histogram (milliseconds to
 * the microsecond, with the number of requests behind it), the client's own schedule-keeping, and
 * the server's CPU and RSS over the windows.
 */
public final class LoadSteps {
    /** A generator whose process used more than this share of its CPUs during the windows was saturated. */
    static final double SATURATED_CPU_SHARE = 0.9;
    static final String RESOLUTION = "1 us (HdrHistogram, 3 significant digits)";
    /** An open step with more than this share of its requests sent over 1 ms late measured the generator. */
    static final double LATE_ALLOWED = 0.01;

    private LoadSteps() {
    }

    /**
     * @param logDir        the folder the client wrote its histogram logs in
     * @param generatorCpus how many CPUs the generator may use
     */
    static RunRecord.Step step(StepOutcome o, Path logDir, Path runDir, double tolerance, int generatorCpus) {
        boolean open = o.plan().open();
        List<RunRecord.Window> windows = o.windows().stream().map(w -> new RunRecord.Window(w.seconds(), w.completed(),
                w.failed(), w.throughput(), millis(w.latency(), "load client: this window's requests"), w.serverCpuSeconds(),
                w.serverRssBytes(), w.clientCpuSeconds())).toList();
        double[] tput = o.windows().stream().mapToDouble(StepOutcome.WindowOutcome::throughput).toArray();
        double[] p50 = o.windows().stream().mapToDouble(w -> w.latency() == null || w.latency().p50() == null ? 0
                : w.latency().p50()).toArray();
        double mean = Arrays.stream(tput).average().orElse(0);
        double spread = Stability.spread(tput);
        StepOutcome.Health h = o.health();
        String stopped = h == null ? "fixed" : h.stopped();
        boolean stable = switch (String.valueOf(stopped)) {
            case "stable" -> true;
            case "fixed" -> Stability.within(tput, tolerance);
            default -> false;
        };
        double share = o.measuredSeconds() == 0 ? 0 : o.clientCpuSeconds() / o.measuredSeconds() / generatorCpus;
        Double serverCpuPerRequest = o.server() == null || o.completedInInterval() == 0 ? null
                : round(o.server().cpuSeconds() * 1000 / o.completedInInterval(), 4);
        String from = open ? "intended send time" : "send time";
        StepOutcome.Failures f = o.failed();
        RunRecord.Generator generator = new RunRecord.Generator(LoadProcess.CLIENT, open ? "open" : "closed", from, open,
                o.plan().connectionCount(), o.scheduled(), millis(o.service(), "load client: actual send to last byte"),
                open ? micros(o.scheduleLag()) : null, o.lateOver1ms(), o.connectionWaits(), o.clientCpuMicrosPerRequest(),
                new RunRecord.Failures(f.byStatus(), f.badBody(), f.timeouts(), f.connectionErrors(), f.protocolErrors(),
                        f.firstError()),
                o.histogramLog() == null ? null : runDir.relativize(logDir.resolve(o.histogramLog())).toString(),
                o.clientPollSeconds());
        Map<String, String> sources = new LinkedHashMap<>();
        sources.put("throughput", "load client: good answers (200 with the workload's key) completed in each counted window / "
                + "window length; mean of windows");
        sources.put("latency", "load client: one HdrHistogram pooled over the step's counted windows, " + from + " to the last "
                + "byte of each good answer" + (open ? "" : " (closed model: not corrected for coordinated omission)")
                + ", resolution " + RESOLUTION + "; a tail percentile is published only with MLPerf LoadGen's early-stopping "
                + "count of requests behind it (99% confidence, one request over it)");
        sources.put("serverCpuMillisPerRequest", "/proc/<server pid>/stat utime+stime (10 ms ticks) over the windows / good "
                + "answers completed in them");
        sources.put("serverRssBytes", "/proc/<server pid>/status VmRSS at the end of the last window");
        sources.put("generatorCpuShare", "the load client's I/O thread: wall time over the windows it did not spend waiting "
                + "(polling idle sockets or asleep in the selector) / their length / generator CPUs; a thread kept from its "
                + "CPU counts as busy");
        sources.put("health", "compiles and GC pauses: the server JVM's hsperfdata counters (sun.ci.totalCompiles, "
                + "sun.gc.collector.*.time) at the window bounds; steal: /proc/stat");
        RunRecord.Latency latency = millis(o.latency(), "load client: pooled histogram of the step's counted windows, from the "
                + from);
        RunRecord.Health health = h == null ? null : new RunRecord.Health(h.compiles(), h.gcPauseMillis(), h.stealShare(),
                h.windowsNeeded(), h.stopped());
        List<String> reasons = reasons(o, latency, stable, spread, Stability.spread(p50), share > SATURATED_CPU_SHARE,
                tolerance);
        return new RunRecord.Step(o.plan().name(), open ? null : o.plan().concurrency(), open ? o.plan().rate() : null,
                round(mean, 1), o.ok(), f.total(), latency, serverCpuPerRequest, o.server() == null ? null
                : o.server().rssBytesAtEnd(), round(share, 3), share > SATURATED_CPU_SHARE, round(spread, 4), stable, 1, windows,
                sources, generator, reasons, health, null);
    }

    /**
     * The validity rules: why a step's figures cannot be trusted (empty: they can). A step that
     * ended early because it clearly missed its p99 objective is valid evidence of that miss and is
     * not held to the rules about settling and request counts.
     */
    static List<String> reasons(StepOutcome o, RunRecord.Latency latency, boolean stable, double throughputSpread,
                                double p50Spread, boolean saturated, double tolerance) {
        List<String> reasons = new ArrayList<>();
        String name = o.plan().name();
        boolean missed = o.health() != null && "objective".equals(o.health().stopped());
        if (o.failed().total() > 0) {
            reasons.add(name + ": " + o.failed().total() + " failed requests of " + (o.ok() + o.failed().total()));
        }
        if (!stable && !missed) {
            int needed = o.health() == null ? o.windows().size() : o.health().windowsNeeded();
            reasons.add(name + ": did not settle: the last " + o.windows().size() + " of " + needed + " windows disagree by "
                    + pct(throughputSpread) + " on throughput and " + pct(p50Spread) + " on median latency (allowed "
                    + pct(tolerance) + ")");
        }
        if (!missed && latency != null && latency.withheld() != null && latency.p99() == null) {
            reasons.add(name + ": too few requests: " + latency.withheld());
        }
        if (latency == null && !missed) {
            reasons.add(name + ": no good answer to measure");
        }
        int minRequests = o.plan().minWindowRequests();
        for (int i = 0; i < o.windows().size() && !missed; i++) {
            if (o.windows().get(i).completed() < minRequests) {
                reasons.add(name + ": a window closed after " + o.windows().get(i).seconds() + " s with "
                        + o.windows().get(i).completed() + " good answers (a window needs " + minRequests + ")");
                break;
            }
        }
        String late = lateReason(o);
        if (late != null) {
            reasons.add(late);
        }
        if (o.plan().open() && o.connectionWaits() > 0) {
            reasons.add(name + ": " + o.connectionWaits() + " requests found all " + o.plan().connections()
                    + " connections busy at their send time: the generator's connections, not the server, limited them");
        }
        if (saturated) {
            reasons.add(name + ": the load generator was saturated (CPU share above " + SATURATED_CPU_SHARE
                    + "): the figure is the generator's limit, not the server's");
        }
        return reasons;
    }

    /** Why an open step's sends were too late to trust, or null when they kept the schedule. */
    static String lateReason(StepOutcome o) {
        if (!o.plan().open() || o.scheduled() == 0 || o.lateOver1ms() <= LATE_ALLOWED * o.scheduled()) {
            return null;
        }
        return o.plan().name() + ": the load client sent " + pct((double) o.lateOver1ms() / o.scheduled())
                + " of its requests more than 1 ms late (allowed " + pct(LATE_ALLOWED) + "): the generator was measured, "
                + "not the server";
    }

    /**
     * Whether late sends are the step's only fault: the server's figures were sound as far as the
     * rules can tell, but the generator did not keep its schedule, so the step may be measured again.
     */
    static boolean lateOnly(StepOutcome o, RunRecord.Step step) {
        String late = lateReason(o);
        return late != null && step.reasons() != null && step.reasons().equals(List.of(late));
    }

    /** Percentiles in milliseconds, to the microsecond; null when the histogram is empty. */
    static RunRecord.Latency millis(StepOutcome.Percentiles p, String source) {
        if (p == null || p.count() == 0) {
            return null;
        }
        List<String> withheld = new ArrayList<>();
        Double p90 = publish(p.p90(), 90, p.count(), "p90", withheld);
        Double p99 = publish(p.p99(), 99, p.count(), "p99", withheld);
        Double p999 = publish(p.p999(), 99.9, p.count(), "p99.9", withheld);
        return new RunRecord.Latency(ms(p.p50()), ms(p90), ms(p99), ms(p999), ms(p.max()), ms(p.mean()), "ms",
                source, p.count(), RESOLUTION, withheld.isEmpty() ? null : String.join("; ", withheld));
    }

    /** A percentile, or null (and why in {@code withheld}) when too few requests are behind it. */
    private static Double publish(Double value, double percentile, long count, String label, List<String> withheld) {
        long needed = Stability.minRequests(percentile);
        if (count < needed) {
            withheld.add(label + ": too few requests (" + count + " < " + needed + ")");
            return null;
        }
        return value;
    }

    static String pct(double share) {
        return Double.isInfinite(share) ? "without bound" : round(share * 100, 1) + "%";
    }

    private static RunRecord.Latency micros(StepOutcome.Percentiles p) {
        if (p == null || p.count() == 0) {
            return null;
        }
        // The schedule lag is the client's own bookkeeping, every value of it: nothing withheld.
        return new RunRecord.Latency(p.p50(), p.p90(), p.p99(), p.p999(), p.max(), p.mean(), "us",
                "load client: actual send time - intended send time, each request", p.count(), RESOLUTION);
    }

    private static Double ms(Double micros) {
        return micros == null ? null : round(micros / 1000.0, 3);
    }

    public static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
