package dev.predictbench.gatling;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.predictbench.contract.Contract;
import dev.predictbench.contract.Stacks;
import dev.predictbench.contract.kit.HttpProbe;
import dev.predictbench.contract.launch.JvmSettings;
import dev.predictbench.contract.launch.ServerProcess;
import dev.predictbench.gatling.load.LoadMain;
import dev.predictbench.gatling.load.StepOutcome;
import dev.predictbench.gatling.load.StepPlan;
import dev.predictbench.model.genai.WordNetCorpus;
import dev.predictbench.results.RunRecord;
import dev.predictbench.simulator.Script;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The I/O-bound {@code llm} workload: every stack in every threading-model variant, each on a
 * fresh server, streaming chat completions through {@code POST /chat} from the upstream simulator
 * at rising numbers of concurrent clients. The simulator runs in the runner's JVM, on the load
 * side's CPUs, and reports how late it sent its tokens: a step where it lagged is INVALID, since
 * the figures would then be its own.
 *
 * <p>Per step: the load client's closed model ({@code c} clients, each sending its next chat as
 * soon as its stream ended), time to first token and between tokens at the client from its
 * Server-Sent Events timing, completed streams per second, and the server's threads, RSS and CPU
 * from {@code /proc}. A step holds the objective when time to first token's p99 is within
 * {@link LlmSettings#objectiveFactor} x the upstream's own; the variant's sustained streams are the
 * last level held with every level below it held too.
 */
final class LlmRun {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SAMPLE_MILLIS = 100;
    /** The warm-up's streaming clients (at most the ladder's top). */
    static final int WARMUP_CONCURRENCY = 64;

    private final LlmSettings llm;
    private final BenchSettings settings;
    private final Path root;
    private final JvmSettings serverJvm;
    private final Progress progress;
    private final LoadRunner load;
    private final Set<ServerProcess> live;
    /** The results so far, so a run stopped midway still records what was measured. */
    private final List<RunRecord.LlmResult> results = java.util.Collections.synchronizedList(new ArrayList<>());
    /** The load client streaming from the simulator itself, per level: the floor of every stack's figures. */
    private final List<RunRecord.LlmStep> direct = java.util.Collections.synchronizedList(new ArrayList<>());

    /** Where a step's load goes: a server's /chat, or the simulator itself. */
    record Aim(String label, String host, int port, String path, long pid, Path bodies) {
    }

    LlmRun(LlmSettings llm, BenchSettings settings, Path root, JvmSettings serverJvm, Progress progress, LoadRunner load,
           Set<ServerProcess> live) {
        this.llm = llm;
        this.settings = settings;
        this.root = root;
        this.serverJvm = serverJvm;
        this.progress = progress;
        this.load = load;
        this.live = live;
    }

    /** Every stack and variant asked for, in the order given; what was measured so far when one fails. */
    RunRecord.Llm run(Path runDir, List<Stacks> stacks, RunRecord.Limits limits, String serverJdk, Upstream upstream)
            throws IOException {
        Path dir = runDir.resolve("llm");
        Files.createDirectories(dir);
        Path bodies = dir.resolve("bodies.jsonl");
        Files.write(bodies, bodies(settings.seed(), null), StandardCharsets.UTF_8);
        measureDirect(runDir, dir, upstream);
        for (Map.Entry<Stacks, String> next : order(stacks, llm, settings.seed())) {
            Stacks stack = next.getKey();
            String variant = next.getValue();
            progress.say("llm: " + stack.id() + " (" + variant + "): streams from the upstream simulator at "
                    + llm.concurrency() + " concurrent clients");
            results.add(measure(stack, variant, runDir, dir, bodies, upstream));
            RunRecord.LlmResult r = results.getLast();
            progress.say("llm: " + stack.id() + " (" + variant + "): " + r.status() + ", sustained streams within the "
                    + "objective: " + (r.sustainedStreams() == null ? "none" : r.sustainedStreams())
                    + (r.reasons().isEmpty() ? "" : " - " + String.join("; ", r.reasons())));
        }
        return record(limits, serverJdk, upstream);
    }

    /**
     * The order the variants are measured in: shuffled with the run's seed, so no stack or variant is
     * always first or always right after another (the machine's state drifts over a run); the record
     * keeps this order.
     */
    static List<Map.Entry<Stacks, String>> order(List<Stacks> stacks, LlmSettings llm, long seed) {
        List<Map.Entry<Stacks, String>> all = new ArrayList<>();
        for (Stacks stack : stacks) {
            for (String variant : llm.variantsOf(stack)) {
                all.add(Map.entry(stack, variant));
            }
        }
        java.util.Collections.shuffle(all, new java.util.Random(seed));
        return all;
    }

    /** The record of what was measured so far (all of it once {@link #run} returned). */
    RunRecord.Llm record(RunRecord.Limits limits, String serverJdk, Upstream upstream) {
        Map<String, String> sources = new LinkedHashMap<>();
        sources.put("ttft", "load client: from the moment a chat was written to the end of its first Server-Sent Event "
                + "(closed model), HdrHistogram, microsecond resolution; a percentile is published only with enough "
                + "streams behind it (p99: 662)");
        sources.put("betweenTokens", "load client: between the ends of consecutive events of one stream");
        sources.put("streamDuration", "load client: from the write of the chat to the end of its stream ([DONE])");
        sources.put("streamsPerSecond", "load client: streams that ended with data: [DONE] in the measured window / its length");
        sources.put("serverThreads", "/proc/<pid>/status Threads, summed over the server's processes, the most seen in "
                + "samples every " + SAMPLE_MILLIS + " ms during the step");
        sources.put("serverRssBytes", "/proc/<pid>/status VmRSS, summed over the server's processes, the most seen");
        sources.put("serverCpuMillisPerStream", "/proc/<pid>/stat utime+stime over the measured window, all of the "
                + "server's processes / streams completed in it (clock ticks: 10 ms resolution)");
        sources.put("upstream", "the simulator's own counters over the step (its warm-up included): streams open at once, "
                + "and how late each token event went out against its schedule (HdrHistogram, microseconds)");
        List<RunRecord.LlmResult> copy;
        synchronized (results) {
            copy = List.copyOf(results);
        }
        List<RunRecord.LlmStep> floor;
        synchronized (direct) {
            floor = List.copyOf(direct);
        }
        sources.put("direct", "the same steps, the load client streaming from the simulator's own /v1/chat/completions "
                + "with no server between (its events include the finish chunk and [DONE]); a level where this misses "
                + "the objective makes every stack's step there INVALID");
        return new RunRecord.Llm(new RunRecord.LlmUpstream(upstream.implementation(), llm.ttftMillis(), llm.itlMillis(),
                llm.tokens(), llm.simulatorThreads(), settings.loadCpus(), llm.maxLagP99Millis()), llm.concurrency(),
                new RunRecord.LlmObjective(llm.objectiveMillis(), "time to first token at the client, p99, at most "
                        + llm.objectiveFactor() + " x the upstream's own (" + llm.ttftMillis() + " ms); with fewer than 662 "
                        + "streams behind the p99, the step's maximum stands in for it (the p99 is never above the maximum), "
                        + "and a maximum over the objective leaves the step undecided; failed streams or a lagging "
                        + "simulator make a step INVALID, and an INVALID step is not held"),
                limits, serverJdk, copy, sources, floor);
    }

    /**
     * The floor: each level once with the load client streaming from the simulator itself. What the
     * client, the simulator and the load CPUs cost at that concurrency is in every stack's figure too.
     */
    private void measureDirect(Path runDir, Path dir, Upstream upstream) throws IOException {
        java.net.URI base = java.net.URI.create(upstream.baseUrl());
        Path bodies = dir.resolve("bodies-direct.jsonl");
        Files.write(bodies, bodies(settings.seed(), "predictbench-sim"), StandardCharsets.UTF_8);
        Aim aim = new Aim("upstream", base.getHost(), base.getPort(), base.getPath() + "/chat/completions", 0, bodies);
        Path stepDir = dir.resolve("direct");
        progress.say("llm: the upstream alone (the load client streaming from the simulator) at " + llm.concurrency()
                + " concurrent clients: the floor of every stack's figures");
        for (int c : llm.concurrency()) {
            try {
                direct.add(step(aim, c, llm.stepWarmupSeconds(), stepDir, runDir, upstream, null));
            } catch (Exception e) {
                throw new IOException("the upstream alone could not be measured at c" + c + ": " + firstLine(e.getMessage()), e);
            }
            RunRecord.LlmStep d = direct.getLast();
            progress.say("llm: upstream alone c" + c + ": time to first token p50 " + (d.ttft() == null ? "-" : d.ttft().p50())
                    + " ms, p99 " + (d.ttft() == null ? "-" : d.ttft().p99()) + " ms, " + d.status()
                    + (Boolean.FALSE.equals(d.withinObjective()) ? ", OVER the objective: every stack's step here is INVALID" : ""));
        }
    }

    /** Why a stack's step at level {@code c} cannot be judged because the upstream alone missed there, or null. */
    private String directMiss(int c) {
        synchronized (direct) {
            for (RunRecord.LlmStep d : direct) {
                if (d.concurrency() == c && !Boolean.TRUE.equals(d.withinObjective())) {
                    return "the upstream alone (the load client streaming from the simulator) did not hold the objective at "
                            + "this concurrency" + (d.ttft() == null ? "" : " (time to first token p99 " + d.ttft().p99()
                            + " ms, max " + d.ttft().max() + " ms)") + ", so the server's share cannot be told";
                }
            }
        }
        return null;
    }

    private RunRecord.LlmResult measure(Stacks stack, String variant, Path runDir, Path dir, Path bodies, Upstream upstream) {
        String id = stack.id() + "-" + variant;
        Path stackDir = dir.resolve(id);
        boolean isDefault = variant.equals(stack.defaultVariant());
        List<String> reasons = new ArrayList<>();
        Map<String, String> env = new LinkedHashMap<>(settings.serverEnvironment());
        env.put("PREDICTBENCH_BATCHING", "off");
        env.put(Stacks.VARIANT_ENV, variant);
        env.put("PREDICTBENCH_UPSTREAM_URL", upstream.baseUrl());
        env.put("PREDICTBENCH_UPSTREAM_TIMEOUT_MS", Long.toString(llm.upstreamTimeoutMillis()));
        ServerProcess server;
        try {
            Files.createDirectories(stackDir);
            server = ServerProcess.start(stack, root, serverJvm, stackDir.resolve("server.log"), env);
            live.add(server);
        } catch (IOException | RuntimeException e) {
            return failed(stack, variant, isDefault, "failed to start: " + e.getMessage(), null, null, null);
        }
        String log = runDir.relativize(server.log()).toString();
        String model = null;
        Map<String, Object> chat = null;
        try {
            server.awaitOk(Contract.READY, null, Duration.ofMillis(Math.round(settings.readyTimeoutSeconds() * 1000)));
            JsonNode info = new HttpProbe(server.baseUri()).get(Contract.INFO).json();
            JsonNode details = info.path("threading").path("details");
            JsonNode holder = details.path("chat").isObject() ? details : info;
            model = info.path("threading").path("model").asText(null);
            chat = holder.has("chat") ? JSON.convertValue(holder.path("chat"), Map.class) : null;
            String reported = holder.path("variant").asText(null);
            if (!variant.equals(reported)) {
                return failed(stack, variant, isDefault, "the server reports variant " + reported + " in /info, not " + variant
                        + " (" + Stacks.VARIANT_ENV + "): not measured", model, chat, log, server);
            }
            String wrong = answersTheScript(server);
            if (wrong != null) {
                return failed(stack, variant, isDefault, wrong + ": not measured", model, chat, log, server);
            }
        } catch (Exception e) {
            return failed(stack, variant, isDefault, "failed to start: " + firstLine(e.getMessage()), model, chat, log, server);
        }
        List<RunRecord.LlmStep> steps = new ArrayList<>();
        Aim aim = new Aim(id, server.baseUri().getHost(), server.baseUri().getPort(), Contract.CHAT, server.pid(), bodies);
        try {
            warmUp(aim, stackDir, upstream);
        } catch (Exception e) {
            reasons.add(server.isAlive() ? "harness fault in the warm-up: " + firstLine(String.valueOf(e.getMessage()))
                    : "server exited with status " + server.process().exitValue() + " during the warm-up");
        }
        try {
            for (int c : reasons.isEmpty() ? llm.concurrency() : List.<Integer>of()) {
                if (!server.isAlive()) {
                    reasons.add("server exited with status " + server.process().exitValue() + " before the c" + c + " step");
                    break;
                }
                RunRecord.LlmStep step;
                try {
                    step = step(aim, c, llm.stepWarmupSeconds(), stackDir, runDir, upstream, directMiss(c));
                } catch (Exception e) {
                    // A server that died mid-step is its variant's fault; anything else is the harness's.
                    reasons.add("c" + c + ": " + (server.isAlive() ? "harness fault: " + firstLine(String.valueOf(e.getMessage()))
                            : "server exited with status " + server.process().exitValue() + " during the step"));
                    break;
                }
                steps.add(step);
                step.reasons().forEach(r -> reasons.add("c" + c + ": " + r));
                if (farPast(step)) {
                    progress.say("llm: " + id + ": c" + c + " is far past the objective; the higher levels are not measured");
                    break;
                }
            }
        } catch (Exception e) {
            reasons.add("harness fault: " + firstLine(String.valueOf(e.getMessage())));
        } finally {
            stop(server);
        }
        Integer sustained = null;
        Integer missed = null;
        for (RunRecord.LlmStep step : steps) {
            if (Boolean.TRUE.equals(step.withinObjective())) {
                sustained = step.concurrency();
            } else {
                missed = step.concurrency();
                break;
            }
        }
        return new RunRecord.LlmResult(stack.id(), variant, isDefault, reasons.isEmpty() ? RunRecord.Status.VALID
                : RunRecord.Status.INVALID, reasons, model, chat, steps, sustained, missed, log);
    }

    /** Why the server's {@code /chat} does not relay the simulator's answer, or null when it does. */
    private String answersTheScript(ServerProcess server) throws IOException, InterruptedException {
        String content = "Say something deterministic.";
        String expected = String.join("", Script.tokens(Script.prompt(List.of(content)), llm.tokens()));
        HttpProbe.Response r = new HttpProbe(server.baseUri()).postJson(Contract.CHAT, JSON.writeValueAsString(
                Map.of("messages", List.of(Map.of("role", "user", "content", content)), "stream", false)));
        if (r.status() != 200) {
            return "POST /chat answered " + r.status() + ": " + firstLine(r.text());
        }
        String got = r.json().path("content").asText(null);
        return expected.equals(got) ? null : "POST /chat answered '" + got + "', not the upstream's '" + expected + "'";
    }

    /** Load before the ladder, not recorded: the server's JIT and pools warm at a middle concurrency. */
    private void warmUp(Aim aim, Path stackDir, Upstream upstream) throws Exception {
        if (llm.warmupSeconds() <= 0) {
            return;
        }
        int c = Math.min(WARMUP_CONCURRENCY, llm.concurrency().getLast());
        StepPlan plan = new StepPlan("warmup", false, 0, c, c, llm.warmupSeconds(), 1, 1, llm.requestTimeoutSeconds());
        Path loadDir = stackDir.resolve("load");
        Files.createDirectories(loadDir);
        LoadMain.Spec spec = new LoadMain.Spec(aim.host(), aim.port(), aim.path(), aim.bodies().toString(), "[DONE]", true,
                aim.pid(), settings.seed(), loadDir.toString(), "warmup", List.of(plan));
        double expected = llm.warmupSeconds() + 1 + llm.streamMillis() / 1000.0;
        try (Progress.Ticker ignored = progress.ticker("llm: " + aim.label() + " warm-up, " + c + " streams", expected)) {
            load.run(spec, Math.round(expected * 3 + llm.requestTimeoutSeconds() + 60));
        }
    }

    private RunRecord.LlmStep step(Aim aim, int c, double warmup, Path stackDir, Path runDir, Upstream upstream,
                                   String directMiss) throws Exception {
        double stream = llm.streamMillis() / 1000.0;
        StepPlan plan = new StepPlan("c" + c, false, 0, c, c, warmup, llm.minStepSeconds(), 1, llm.requestTimeoutSeconds(), 1,
                LlmSettings.STREAMS_FOR_P99, 0, llm.maxStepSeconds(), 0, -1);
        Path loadDir = stackDir.resolve("load");
        Files.createDirectories(loadDir);
        LoadMain.Spec spec = new LoadMain.Spec(aim.host(), aim.port(), aim.path(), aim.bodies().toString(), "[DONE]", true,
                aim.pid(), settings.seed(), loadDir.toString(), "c" + c, List.of(plan));
        upstream.reset();
        Sampler sampler = Sampler.start(aim.pid());
        StepOutcome o;
        double expected = warmup + llm.maxStepSeconds() + stream + 1;
        try (Progress.Ticker ignored = progress.ticker("llm: " + aim.label() + " c" + c, expected)) {
            o = load.run(spec, Math.round(expected * 3 + llm.requestTimeoutSeconds() + 60)).getFirst();
        } finally {
            sampler.stop();
        }
        Upstream.Stats sim = upstream.stats();
        List<String> reasons = new ArrayList<>();
        Map<String, Long> failed = new TreeMap<>();
        o.failed().byStatus().forEach((status, n) -> failed.put("status " + status, n));
        if (o.failed().badBody() > 0) {
            failed.put("ended without [DONE]", o.failed().badBody());
        }
        if (o.failed().timeouts() > 0) {
            failed.put("timeouts", o.failed().timeouts());
        }
        if (o.failed().connectionErrors() + o.failed().protocolErrors() > 0) {
            failed.put("connection errors", o.failed().connectionErrors() + o.failed().protocolErrors());
        }
        if (o.failed().total() > 0) {
            reasons.add(o.failed().total() + " of " + o.scheduled() + " streams failed " + failed
                    + (o.failed().firstError() == null ? "" : " (first: " + firstLine(o.failed().firstError()) + ")"));
        }
        if (o.ok() == 0) {
            reasons.add("no stream completed");
        }
        if (directMiss != null) {
            reasons.add(directMiss);
        }
        if (sim.lagP99Millis() > llm.maxLagP99Millis()) {
            reasons.add("the upstream simulator lagged: its token events went out " + LoadSteps.round(sim.lagP99Millis(), 1)
                    + " ms late at p99 (allowed " + llm.maxLagP99Millis() + " ms), so the step measured the simulator");
        }
        StepOutcome.Events events = o.events();
        RunRecord.Latency ttft = events == null ? null : LoadSteps.millis(events.firstEvent(),
                "load client: chat written to the end of its first event");
        RunRecord.Latency between = events == null ? null : LoadSteps.millis(events.betweenEvents(),
                "load client: between the ends of consecutive events of a stream");
        RunRecord.Latency duration = LoadSteps.millis(o.latency(), "load client: chat written to the end of its stream");
        Boolean within = null;
        if (reasons.isEmpty() && ttft != null) {
            double objective = llm.objectiveMillis();
            if (ttft.p99() != null) {
                within = ttft.p99() <= objective;
            } else if (ttft.max() != null && ttft.max() <= objective) {
                within = true;
            } else if (ttft.p50() != null && ttft.p50() > objective) {
                within = false;
            }
        } else if (!reasons.isEmpty()) {
            within = false;
        }
        Double cpu = o.server() == null || o.completedInInterval() == 0 ? null
                : LoadSteps.round(o.server().cpuSeconds() * 1000 / o.completedInInterval(), 3);
        return new RunRecord.LlmStep(c, reasons.isEmpty() ? RunRecord.Status.VALID : RunRecord.Status.INVALID, reasons,
                within, LoadSteps.round(o.measuredSeconds(), 3), o.completedInInterval(), failed,
                LoadSteps.round(o.throughput(), 2), ttft, between, duration,
                sampler.maxThreads() > 0 ? (int) sampler.maxThreads() : null,
                sampler.maxRss() > 0 ? sampler.maxRss() : null, cpu,
                new RunRecord.LlmUpstreamStep(sim.maxActiveStreams(), sim.events(), sim.lateEvents(),
                        LoadSteps.round(sim.lagP99Millis(), 3), LoadSteps.round(sim.lagMaxMillis(), 3)),
                runDir.relativize(loadDir.resolve(o.histogramLog() == null ? "c" + c : o.histogramLog())).toString());
    }

    /** A step so far past the objective (most streams failed, or the median first token past it) that higher levels only cost time. */
    private boolean farPast(RunRecord.LlmStep step) {
        long failed = step.failed().values().stream().mapToLong(Long::longValue).sum();
        boolean mostFailed = failed > step.streams();
        boolean slow = step.ttft() != null && step.ttft().p50() != null && step.ttft().p50() > 5 * llm.objectiveMillis();
        return mostFailed || slow;
    }

    private RunRecord.LlmResult failed(Stacks stack, String variant, boolean isDefault, String why, String model,
                                       Map<String, Object> chat, String log) {
        return new RunRecord.LlmResult(stack.id(), variant, isDefault, RunRecord.Status.INVALID, List.of(why), model, chat,
                List.of(), null, null, log);
    }

    private RunRecord.LlmResult failed(Stacks stack, String variant, boolean isDefault, String why, String model,
                                       Map<String, Object> chat, String log, ServerProcess server) {
        stop(server);
        return failed(stack, variant, isDefault, why, model, chat, log);
    }

    private void stop(ServerProcess server) {
        try {
            server.stop(Duration.ofSeconds(10));
        } finally {
            live.remove(server);
        }
    }

    /**
     * The chats the clients send: one WordNet gloss as the user's message, streamed, the same bodies for
     * every stack; with {@code model} (the simulator's own API wants one) for the direct floor.
     */
    static List<String> bodies(long seed, String model) {
        List<String> out = new ArrayList<>();
        for (String text : WordNetCorpus.load().glossSample(seed, 1000)) {
            Map<String, Object> body = new LinkedHashMap<>();
            if (model != null) {
                body.put("model", model);
            }
            body.put("messages", List.of(Map.of("role", "user", "content", text)));
            body.put("stream", true);
            try {
                out.add(JSON.writeValueAsString(body));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** The most threads and resident memory of a process tree, sampled from /proc on a daemon thread. */
    static final class Sampler {
        private final AtomicLong threads = new AtomicLong(-1);
        private final AtomicLong rss = new AtomicLong(-1);
        private final Thread thread;
        private volatile boolean running = true;

        private Sampler(long pid) {
            thread = new Thread(() -> {
                while (running) {
                    ProcStats.TreeUse use = ProcStats.treeUse(pid);
                    threads.accumulateAndGet(use.threads(), Math::max);
                    rss.accumulateAndGet(use.rssBytes(), Math::max);
                    try {
                        Thread.sleep(SAMPLE_MILLIS);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "llm-sampler");
            thread.setDaemon(true);
        }

        static Sampler start(long pid) {
            Sampler s = new Sampler(pid);
            s.thread.start();
            return s;
        }

        void stop() throws InterruptedException {
            running = false;
            thread.interrupt();
            thread.join(1000);
        }

        long maxThreads() {
            return threads.get();
        }

        long maxRss() {
            return rss.get();
        }
    }
}
