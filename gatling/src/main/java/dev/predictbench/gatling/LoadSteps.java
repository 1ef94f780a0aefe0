package dev.predictbench.gatling;

import dev.predictbench.gatling.load.LoadProcess;
import dev.predictbench.gatling.load.StepOutcome;
import dev.predictbench.results.RunRecord;
import java.nio.file.Path;
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
        double mean = Arrays.stream(tput).average().orElse(0);
        double spread = mean == 0 ? 0 : (Arrays.stream(tput).max().orElse(0) - Arrays.stream(tput).min().orElse(0)) / mean;
        boolean stable = tput.length < 2 || agree(tput[tput.length - 2], tput[tput.length - 1], tolerance);
        double share = o.clientCpuSeconds() / o.measuredSeconds() / generatorCpus;
        Double serverCpuPerRequest = o.server() == null || o.completedInInterval() == 0 ? null
                : round(o.server().cpuSeconds() * 1000 / o.completedInInterval(), 4);
        String from = open ? "intended send time" : "send time";
        StepOutcome.Failures f = o.failed();
        RunRecord.Generator generator = new RunRecord.Generator(LoadProcess.CLIENT, open ? "open" : "closed", from, open,
                o.plan().connectionCount(), o.scheduled(), millis(o.service(), "load client: actual send to last byte"),
                open ? micros(o.scheduleLag()) : null, o.lateOver1ms(), o.connectionWaits(), o.clientCpuMicrosPerRequest(),
                new RunRecord.Failures(f.byStatus(), f.badBody(), f.timeouts(), f.connectionErrors(), f.protocolErrors(),
                        f.firstError()),
                runDir.relativize(logDir.resolve(o.histogramLog())).toString(), o.clientPollSeconds());
        Map<String, String> sources = new LinkedHashMap<>();
        sources.put("throughput", "load client: good answers (200 with the workload's key) completed in each window / window "
                + "length; mean of windows");
        sources.put("latency", "load client: one HdrHistogram pooled over the step's windows, " + from + " to the last byte "
                + "of each good answer" + (open ? "" : " (closed model: not corrected for coordinated omission)")
                + ", resolution " + RESOLUTION);
        sources.put("serverCpuMillisPerRequest", "/proc/<server pid>/stat utime+stime (10 ms ticks) over the windows / good "
                + "answers completed in them");
        sources.put("serverRssBytes", "/proc/<server pid>/status VmRSS at the end of the last window");
        sources.put("generatorCpuShare", "/proc/<load client pid>/stat over the windows, less the time it spent polling idle "
                + "sockets (generator.pollSeconds) / their length / generator CPUs");
        return new RunRecord.Step(o.plan().name(), open ? null : o.plan().concurrency(), open ? o.plan().rate() : null,
                round(mean, 1), o.ok(), f.total(), millis(o.latency(), "load client: pooled histogram of the step, from the "
                + from), serverCpuPerRequest, o.server() == null ? null : o.server().rssBytesAtEnd(), round(share, 3),
                share > SATURATED_CPU_SHARE, round(spread, 4), stable, 1, windows, sources, generator);
    }

    /** Percentiles in milliseconds, to the microsecond; null when the histogram is empty. */
    static RunRecord.Latency millis(StepOutcome.Percentiles p, String source) {
        if (p == null || p.count() == 0) {
            return null;
        }
        return new RunRecord.Latency(ms(p.p50()), ms(p.p90()), ms(p.p99()), ms(p.p999()), ms(p.max()), ms(p.mean()), "ms",
                source, p.count(), RESOLUTION);
    }

    private static RunRecord.Latency micros(StepOutcome.Percentiles p) {
        if (p == null || p.count() == 0) {
            return null;
        }
        return new RunRecord.Latency(p.p50(), p.p90(), p.p99(), p.p999(), p.max(), p.mean(), "us",
                "load client: actual send time - intended send time, each request", p.count(), RESOLUTION);
    }

    private static Double ms(Double micros) {
        return micros == null ? null : round(micros / 1000.0, 3);
    }

    static boolean agree(double a, double b, double tolerance) {
        double base = Math.max(a, b);
        return base == 0 || Math.abs(a - b) / base <= tolerance;
    }

    public static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
