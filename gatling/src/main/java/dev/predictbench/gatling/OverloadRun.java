package dev.predictbench.gatling;

import dev.predictbench.contract.Contract;
import dev.predictbench.results.RunRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import dev.predictbench.gatling.load.LoadMain;
import dev.predictbench.gatling.load.LoadProcess;
import dev.predictbench.gatling.load.StepOutcome;
import dev.predictbench.gatling.load.StepPlan;

/**
 * The overload scenario for one stack and workload: the load client's open model at
 * {@code bench.overloadFactor} x the sweep's peak throughput for {@code bench.overloadSeconds},
 * the server's RSS sampled from {@code /proc} every 50 ms meanwhile, then the verdict: INVALID
 * when any answer had a status other than 2xx, 503 or 429, when the server did not answer
 * {@code /health/ready} afterwards (crashed or hung), or when its log shows an OutOfMemoryError.
 * Timeouts, connection errors and a recovery that did not come within the bound are recorded, not
 * verdicts.
 */
final class OverloadRun {
    static final String STEP = "overload";
    static final long RSS_SAMPLE_MILLIS = 50;
    static final String HEAP_CHECK = "server process alive after the overload and the recovery, GET /health/ready 200 "
            + "within 5 s, and no \"OutOfMemoryError\" in its log (the heap is fixed by -Xmx; the JVM throws that error "
            + "when the heap is exceeded)";

    private final StackWorkload at;

    OverloadRun(StackWorkload at) {
        this.at = at;
    }

    void run(Map<String, RunRecord.Scenario> out, double peak, RunRecord.Probe probe) throws Exception {
        if (!at.server().isAlive()) {
            throw new BenchRunner.ServerDied("server exited with status " + at.server().process().exitValue() + " before overload");
        }
        BenchSettings s = at.settings();
        double rate = Math.max(1, LoadSteps.round(s.overloadFactor() * peak, 1));
        double unloadedP99 = probe.latency() != null && probe.latency().p99() != null ? probe.latency().p99() : Double.NaN;
        at.progress().say(at.label() + ": overload at " + rate + " requests/s (" + s.overloadFactor()
                + " x the sweep's peak " + peak + "/s) over " + s.overloadConnections() + " connections for "
                + s.overloadSeconds() + " s, then recovery (up to " + s.recoverySeconds() + " s)");
        Path loadDir = at.dir().resolve("load");
        Files.createDirectories(loadDir);
        StepPlan plan = StepPlan.open(STEP, rate, s.overloadConnections(), 0, s.overloadSeconds(), 1, s.overloadTimeoutSeconds());
        LoadMain.Spec spec = Scenarios.spec(at, loadDir, at.workload().id() + "-overload", List.of(plan));
        long rssBefore = ProcStats.sample(at.server().pid()).rssBytes();
        double expected = s.overloadSeconds() + s.overloadTimeoutSeconds() + s.recoverySeconds() / 4 + 3;
        long timeout = Math.round(s.overloadSeconds() + s.overloadTimeoutSeconds() + 10) * 3 + 60;
        StepOutcome outcome;
        long returned;
        RssSampler sampler = RssSampler.start(at.server().pid());
        RunRecord.Recovery recovery;
        try (Progress.Ticker ticker = at.progress().ticker(at.label() + ": overload", expected)) {
            try {
                outcome = at.load().run(spec, timeout).getFirst();
                returned = System.nanoTime();
            } catch (LoadProcess.Fault e) {
                if (!at.server().isAlive()) {
                    throw new BenchRunner.ServerDied("server exited with status " + at.server().process().exitValue() + " during overload");
                }
                // The generator's limit, not the server's: the scenario has no figures and says why; the run goes on.
                out.put("overload", new RunRecord.Scenario(RunRecord.Status.INVALID, List.of("harness fault: " + e.getMessage()
                        + " offering " + rate + " requests/s"), List.of(), null, null, null));
                at.progress().say(at.label() + ": overload not measured: " + e.getMessage());
                return;
            }
            long overloadEnd = returned - Math.round(outcome.drainSeconds() * 1e9);
            recovery = RecoveryProbe.run(at.server().baseUri(), at.workload().path(), at.workload().bodies(s.seed()), unloadedP99,
                    s.recoveryFactor(), s.recoverySeconds(), s.recoveryWindowRequests(), overloadEnd);
        } finally {
            sampler.stop();
        }
        boolean alive = answersReady();
        boolean oom = logMentions("OutOfMemoryError");
        RunRecord.Overload overload = figures(s, peak, rate, outcome, recovery, rssBefore, sampler.max(), alive, oom,
                CpuList.size(s.loadCpus()), at.runDir().relativize(loadDir.resolve(outcome.histogramLog())).toString());
        List<String> reasons = reasons(overload);
        out.put("overload", new RunRecord.Scenario(reasons.isEmpty() ? RunRecord.Status.VALID : RunRecord.Status.INVALID,
                reasons, List.of(), null, null, overload));
        if (!at.server().isAlive()) {
            throw new BenchRunner.ServerDied("server exited with status " + at.server().process().exitValue() + " during overload");
        }
    }

    /** The scenario's figures from the load client's outcome, the recovery and the /proc samples. */
    static RunRecord.Overload figures(BenchSettings settings, double peak, double rate, StepOutcome o, RunRecord.Recovery recovery,
                                      long rssBefore, long rssPeak, boolean alive, boolean oom, int generatorCpus,
                                      String histogramLog) {
        long sent = o.scheduled();
        long s503 = 0;
        long s429 = 0;
        long other4xx = 0;
        long other5xx = 0;
        long other = 0;
        Map<String, Long> byStatus = new TreeMap<>(o.failed().byStatus());
        if (o.ok() > 0) {
            byStatus.merge("200", o.ok(), Long::sum);
        }
        if (o.failed().badBody() > 0) {
            byStatus.merge("200", o.failed().badBody(), Long::sum);
            other += o.failed().badBody();
        }
        for (Map.Entry<String, Long> e : o.failed().byStatus().entrySet()) {
            int code = Integer.parseInt(e.getKey());
            long n = e.getValue();
            if (code == 503) {
                s503 += n;
            } else if (code == 429) {
                s429 += n;
            } else if (code >= 400 && code < 500) {
                other4xx += n;
            } else if (code >= 500 && code < 600) {
                other5xx += n;
            } else {
                other += n;
            }
        }
        RunRecord.Latency latency = LoadSteps.millis(o.latency(), "load client: pooled histogram of the served requests, "
                + "from the intended send time");
        Double generatorShare = LoadSteps.round(o.clientCpuSeconds() / o.measuredSeconds() / generatorCpus, 3);
        long peakRss = Math.max(rssPeak, o.server() == null ? -1 : o.server().rssBytesAtEnd());
        Map<String, String> sources = new LinkedHashMap<>();
        sources.put("sent", "load client: requests whose intended send time (Poisson schedule) fell in the overload window; "
                + "one still waiting for one of the " + o.plan().connections() + " connections when its timeout passed is a "
                + "timeout without being written");
        sources.put("served", "answers 200 with the workload's key in the body");
        sources.put("servedLatency", "load client: pooled HdrHistogram of the served requests, from the intended send time, "
                + "microsecond resolution (" + histogramLog + ")");
        sources.put("errors", "load client: every answered status; timeouts (no answer within the request timeout of the "
                + "intended send time) and connection errors (reset, refused, closed before answering)");
        sources.put("peakRssBytes", "/proc/<server pid>/status VmRSS every " + RSS_SAMPLE_MILLIS
                + " ms from just before the overload to the end of the recovery");
        sources.put("generatorCpuShare", "/proc/<load client pid>/stat over the overload window / its length / generator CPUs");
        sources.put("serverAlive", "process alive and GET /health/ready 200 within 5 s after the recovery");
        return new RunRecord.Overload(LoadSteps.round(peak, 1), settings.overloadFactor(), rate, settings.overloadSeconds(),
                settings.overloadTimeoutSeconds(), sent, LoadSteps.round(sent / settings.overloadSeconds(), 1), o.ok(),
                sent == 0 ? 0 : LoadSteps.round((double) o.ok() / sent, 4), latency,
                new RunRecord.OverloadErrors(s503, s429, other4xx, other5xx, other, o.failed().timeouts(),
                        o.failed().connectionErrors() + o.failed().protocolErrors(), byStatus),
                rssBefore >= 0 ? rssBefore : null, peakRss > 0 ? peakRss : null, generatorShare, alive, oom, HEAP_CHECK,
                recovery, sources);
    }

    /** Why the scenario is INVALID (empty: VALID). */
    static List<String> reasons(RunRecord.Overload o) {
        List<String> reasons = new ArrayList<>();
        if (o.sent() == 0) {
            reasons.add("no request was sent");
        }
        o.errors().byStatus().forEach((code, n) -> {
            int c = Integer.parseInt(code);
            if (!(c >= 200 && c < 300) && c != 503 && c != 429) {
                reasons.add(n + " answers with status " + code + ": under overload only 2xx, 503 and 429 are acceptable");
            }
        });
        if (!o.serverAlive()) {
            reasons.add("the server did not survive the overload (no 200 from /health/ready afterwards)");
        }
        if (o.outOfMemory()) {
            reasons.add("OutOfMemoryError in the server log: the heap was exceeded");
        }
        return reasons;
    }

    private boolean answersReady() {
        if (!at.server().isAlive()) {
            return false;
        }
        try {
            at.server().awaitOk(Contract.READY, null, Duration.ofSeconds(5));
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private boolean logMentions(String text) {
        try (java.util.stream.Stream<String> lines = Files.lines(at.server().log(), java.nio.charset.StandardCharsets.ISO_8859_1)) {
            return lines.anyMatch(l -> l.contains(text));
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }

    /** The server's RSS every {@link #RSS_SAMPLE_MILLIS} ms on a daemon thread; {@link #max()} the highest seen. */
    static final class RssSampler {
        private final AtomicLong max = new AtomicLong(-1);
        private final Thread thread;
        private volatile boolean running = true;

        private RssSampler(long pid) {
            thread = new Thread(() -> {
                while (running) {
                    long rss = ProcStats.sample(pid).rssBytes();
                    max.accumulateAndGet(rss, Math::max);
                    try {
                        Thread.sleep(RSS_SAMPLE_MILLIS);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "rss-sampler");
            thread.setDaemon(true);
        }

        static RssSampler start(long pid) {
            RssSampler s = new RssSampler(pid);
            s.thread.start();
            return s;
        }

        void stop() throws InterruptedException {
            running = false;
            thread.interrupt();
            thread.join(1000);
        }

        long max() {
            return max.get();
        }
    }
}
