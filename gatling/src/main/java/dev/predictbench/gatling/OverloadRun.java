package dev.predictbench.gatling;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.concurrent.atomic.AtomicLong;

/**
 * The overload scenario for one stack and workload: {@link OverloadSimulation} at
 * {@code bench.overloadFactor} x the sweep's peak throughput for {@code bench.overloadSeconds},
 * the server's RSS sampled from {@code /proc} every 50 ms meanwhile, then the verdict: INVALID
 * when any answer had a status other than 2xx, 503 or 429, when the server did not answer
 * {@code /health/ready} afterwards (crashed or hung), or when its log shows an OutOfMemoryError.
 * Timeouts, connection errors and a recovery that did not come within the bound are recorded, not
 * verdicts.
 */
final class OverloadRun {
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
        double rate = Math.max(1, StepResults.round(at.settings().overloadFactor() * peak, 1));
        double unloadedP99 = probe.latency() != null && probe.latency().p99() != null ? probe.latency().p99() : Double.NaN;
        at.progress().say(at.label() + ": overload at " + rate + " requests/s (" + at.settings().overloadFactor()
                + " x the sweep's peak " + peak + "/s) for " + at.settings().overloadSeconds() + " s, then recovery (up to "
                + at.settings().recoverySeconds() + " s)");
        Path gatlingDir = at.dir().resolve("gatling");
        Files.createDirectories(gatlingDir);
        Path outFile = gatlingDir.resolve("overload-" + System.nanoTime() + "-outcome.json");
        Map<String, String> props = new LinkedHashMap<>();
        props.put("baseUrl", at.server().baseUri().toString());
        props.put("bench.serverPid", Long.toString(at.server().pid()));
        props.put("bench.workload", at.workload().id());
        props.put("bench.seed", Long.toString(at.settings().seed()));
        props.put("bench.overloadRate", Double.toString(rate));
        props.put("bench.overloadSeconds", Double.toString(at.settings().overloadSeconds()));
        props.put("bench.overloadTimeout", Double.toString(at.settings().overloadTimeoutSeconds()));
        props.put("bench.unloadedP99Micros", Double.toString(unloadedP99));
        props.put("bench.recoveryFactor", Double.toString(at.settings().recoveryFactor()));
        props.put("bench.recoverySeconds", Double.toString(at.settings().recoverySeconds()));
        props.put("bench.recoveryWindowRequests", Integer.toString(at.settings().recoveryWindowRequests()));
        props.put("bench.overloadOut", outFile.toString());
        long rssBefore = ProcStats.sample(at.server().pid()).rssBytes();
        double expected = at.settings().overloadSeconds() + at.settings().overloadTimeoutSeconds() + at.settings().recoverySeconds() / 4 + 3;
        long timeout = Math.round(at.settings().overloadSeconds() + at.settings().overloadTimeoutSeconds() + at.settings().recoverySeconds()) * 3 + 120;
        GatlingRun.Result result;
        RssSampler sampler = RssSampler.start(at.server().pid());
        try (Progress.Ticker ticker = at.progress().ticker(at.label() + ": overload", expected)) {
            result = at.gatling().run(OverloadSimulation.class, props, gatlingDir, at.label() + " overload",
                    timeout);
        } catch (IOException e) {
            if (!at.server().isAlive()) {
                throw new BenchRunner.ServerDied("server exited with status " + at.server().process().exitValue() + " during overload");
            }
            if (String.valueOf(e.getMessage()).contains("Too many open files")) {
                // The generator's limit, not the server's and not a fault of the harness: an open
                // model at this rate with this timeout needs more sockets than the process may open.
                // The scenario has no figures and says why; the rest of the run goes on.
                out.put("overload", new RunRecord.Scenario(RunRecord.Status.INVALID, List.of(
                        "the load generator ran out of open files offering " + rate + " requests/s with a "
                                + at.settings().overloadTimeoutSeconds() + " s timeout (raise `ulimit -n`, or lower "
                                + "bench.overloadTimeout or bench.overloadFactor)"), List.of(), null, null, null));
                at.progress().say(at.label() + ": overload not measured: the load generator ran out of open files");
                return;
            }
            throw e;
        } finally {
            sampler.stop();
        }
        Path kept = result.reportDir().resolve("overload-outcome.json");
        Files.move(outFile, kept);
        OverloadSimulation.Outcome outcome = new ObjectMapper().readValue(kept.toFile(), OverloadSimulation.Outcome.class);
        GatlingStats.Request stats = result.stats().get(OverloadSimulation.STEP);
        boolean alive = answersReady();
        boolean oom = logMentions("OutOfMemoryError");
        RunRecord.Overload overload = figures(at.settings(), peak, rate, stats, outcome, result.marks(), rssBefore,
                sampler.max(), alive, oom, CpuList.size(at.settings().loadCpus()));
        List<String> reasons = reasons(overload);
        out.put("overload", new RunRecord.Scenario(reasons.isEmpty() ? RunRecord.Status.VALID : RunRecord.Status.INVALID,
                reasons, List.of(at.runDir().relativize(result.reportDir().resolve("index.html")).toString()), null, null, overload));
        if (!at.server().isAlive()) {
            throw new BenchRunner.ServerDied("server exited with status " + at.server().process().exitValue() + " during overload");
        }
    }

    /** The scenario's figures from Gatling's statistics, the simulation's counts, the marks and the /proc samples. */
    static RunRecord.Overload figures(BenchSettings settings, double peak, double rate, GatlingStats.Request stats,
                                      OverloadSimulation.Outcome outcome, List<Timeline.Mark> marks, long rssBefore,
                                      long rssPeak, boolean alive, boolean oom, int generatorCpus) {
        long sent = stats == null ? 0 : stats.ok() + stats.ko();
        long s503 = 0;
        long s429 = 0;
        long other4xx = 0;
        long other5xx = 0;
        long other = 0;
        long served = 0;
        Map<String, Long> byStatus = new LinkedHashMap<>(outcome.statuses());
        for (Map.Entry<String, Long> e : byStatus.entrySet()) {
            int code = Integer.parseInt(e.getKey());
            long n = e.getValue();
            if (code >= 200 && code < 300) {
                served += n;
            } else if (code == 503) {
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
        RunRecord.Latency latency = stats == null || Double.isNaN(stats.p50()) ? null
                : new RunRecord.Latency(stats.p50(), stats.p90(), stats.p99(), stats.p999(), stats.max(), stats.mean(), "ms",
                "gatling js/stats.json (whole ms), requests answered 200");
        Double generatorShare = null;
        Timeline.Mark start = marks.stream().filter(m -> m.label().equals(OverloadSimulation.STEP)).findFirst().orElse(null);
        Timeline.Mark end = marks.stream().filter(m -> m.label().equals(OverloadSimulation.END)).findFirst().orElse(null);
        long peakRss = rssPeak;
        for (Timeline.Mark m : marks) {
            peakRss = Math.max(peakRss, m.serverRssBytes());
        }
        if (start != null && end != null && end.nanos() > start.nanos() && start.generatorCpuSeconds() >= 0) {
            generatorShare = StepResults.round((end.generatorCpuSeconds() - start.generatorCpuSeconds())
                    / ((end.nanos() - start.nanos()) / 1e9) / generatorCpus, 3);
        }
        Map<String, String> sources = new LinkedHashMap<>();
        sources.put("sent", "gatling js/stats.json: OK + KO of the overload requests");
        sources.put("served", "answers with a 2xx status, counted in the simulation's status check");
        sources.put("servedLatency", "gatling js/stats.json (whole ms), OK requests (status 200)");
        sources.put("errors", "statuses counted in the simulation's status check; a request without a status is a timeout "
                + "when it took at least 99% of the request timeout, a connection error otherwise");
        sources.put("peakRssBytes", "/proc/<server pid>/status VmRSS every " + RSS_SAMPLE_MILLIS
                + " ms from just before the overload to the end of the recovery, and at the marks");
        sources.put("generatorCpuShare", "/proc/self/stat of the load generator's JVM between the overload's first mark and the "
                + "mark after its last answer / that time / generator CPUs");
        sources.put("serverAlive", "process alive and GET /health/ready 200 within 5 s after the recovery");
        return new RunRecord.Overload(StepResults.round(peak, 1), settings.overloadFactor(), rate, settings.overloadSeconds(),
                settings.overloadTimeoutSeconds(), sent, StepResults.round(sent / settings.overloadSeconds(), 1), served,
                sent == 0 ? 0 : StepResults.round((double) served / sent, 4), latency,
                new RunRecord.OverloadErrors(s503, s429, other4xx, other5xx, other, outcome.timeouts(), outcome.connectionErrors(),
                        byStatus),
                rssBefore >= 0 ? rssBefore : null, peakRss > 0 ? peakRss : null, generatorShare, alive, oom, HEAP_CHECK,
                outcome.recovery(), sources);
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
