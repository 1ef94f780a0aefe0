package dev.predictbench.gatling;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.predictbench.contract.Contract;
import dev.predictbench.contract.Stacks;
import dev.predictbench.contract.kit.HttpProbe;
import dev.predictbench.contract.launch.JvmSettings;
import dev.predictbench.contract.launch.ServerProcess;
import dev.predictbench.gatling.load.LoadProcess;
import dev.predictbench.results.RunFolder;
import dev.predictbench.results.RunRecord;
import dev.predictbench.results.Subjects;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The main job behind {@code ./mvnw -Pbench verify}: in each round, every stack in turn (the order
 * rotated one place per round), start a fresh server (same JDK, same JVM flags, pinned to the
 * server CPU set), measure start-up, run the conformance kit (round one), then per workload the
 * sequential probe, the JIT warm-up and the scenarios (the load client, in its own JVM, on the
 * other CPU set), stop it. The first stack is measured once more at the end as the control. Then
 * write {@code results/runs/<id>/run.json}: a stack's figures are the median over its rounds.
 * <p>
 * A stack that fails to start, fails conformance or dies mid-run is marked INVALID with the
 * reason, the others are still measured, and the runner exits 1 at the end. A runner that fails
 * itself, or is stopped by a signal, still writes the record of what it measured, marked
 * incomplete, and stops every server it started. Bad settings exit 2.
 */
public final class BenchRunner {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BenchSettings settings;
    private final Path root;
    private final JvmSettings serverJvm;
    private final Progress progress;
    private final Conformance conformance;
    private final LoadRunner load;
    private final Map<String, String> stackVersions = new LinkedHashMap<>();
    private final PhaseClock clock = PhaseClock.forRun();
    /** Every stack's results, one per round, in the order measured. */
    private final Map<String, List<RunRecord.StackResult>> measured = new LinkedHashMap<>();
    /** Servers running now: the shutdown hook stops them. */
    private final java.util.Set<ServerProcess> live = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private RunRecord.StackResult controlResult;
    /** The llm workload's settings, its phase and upstream while it runs (null when the run leaves it out). */
    private final LlmSettings llm;
    private volatile LlmRun llmRun;
    private volatile Upstream llmUpstream;
    private volatile RunRecord.Llm llmRecord;
    private boolean written;
    private volatile boolean faults;

    /** How a launched server is checked before it is measured: {@link ConformanceRun#check} (tests put a seam here). */
    @FunctionalInterface
    interface Conformance {
        RunRecord.Conformance check(java.net.URI base, String stack, boolean genAi);
    }

    /**
     * @param root        the checkout: jars are found under it and the run goes to its results/runs
     * @param conformance the check a server must pass before it is measured
     * @param load        how the load client is run
     */
    BenchRunner(BenchSettings settings, Path root, JvmSettings serverJvm, Progress progress, Conformance conformance,
                LoadRunner load) {
        this.settings = settings;
        this.root = root;
        this.serverJvm = serverJvm;
        this.progress = progress;
        this.conformance = conformance;
        this.load = load;
        this.llm = settings.llm();
    }

    public static void main(String[] args) {
        BenchSettings settings;
        try {
            settings = BenchSettings.fromSystemProperties();
        } catch (IllegalArgumentException e) {
            System.err.println("predict-bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        Path root = Stacks.repoRoot();
        boolean pinned = CpuSets.pinSelf(settings.loadCpus());
        JvmSettings jvm = JvmSettings.defaults();
        if (pinned) {
            jvm = jvm.pinnedTo(settings.serverCpus());
        }
        double perStack = settings.loadSecondsPerStack() + settings.overheadSecondsPerStack();
        int measurements = settings.rounds() * settings.subjects().size() + (settings.control() ? 1 : 0);
        Progress progress = new Progress(measurements, perStack);
        System.out.printf("predict-bench %s: %d stack(s) %s, batching %s: %d subject(s) %s, %d round(s)%s, scenarios %s "
                        + "(later rounds: %s)%n", settings.profile(), settings.stacks().size(),
                settings.stacks().stream().map(Stacks::id).toList(), settings.batching(), settings.subjects().size(),
                settings.subjects().stream().map(Subject::id).toList(), settings.rounds(),
                settings.control() ? " and a control" : "", settings.scenarios(), settings.scenarios(2));
        settings.batchingNotes().forEach(line -> System.out.println("  " + line));
        System.out.println("step budget:");
        settings.budget().forEach(line -> System.out.println("  " + line));
        if (settings.llm().enabled()) {
            int variants = settings.stacks().stream().mapToInt(s -> settings.llm().variantsOf(s).size()).sum();
            System.out.printf("  llm workload: %d stack variant(s) x about %.0f s (concurrency %s, a window of %s to %s s "
                            + "or %d streams each); -Dbench.llm=false leaves it out%n", variants,
                    settings.llm().secondsPerVariant(), settings.llm().concurrency(), settings.llm().minStepSeconds(),
                    settings.llm().maxStepSeconds(), LlmSettings.STREAMS_FOR_P99);
        }
        System.out.printf("servers on CPUs %s, load generator on CPUs %s%s; server JVM flags %s%n", settings.serverCpus(),
                settings.loadCpus(), pinned ? "" : " (NOT pinned: taskset unavailable or one CPU)", jvm.flags());
        if (settings.calibrationCpuMicros() > 0) {
            System.out.printf("CALIBRATION RUN: every server spends %s us of extra CPU per inference call (%s); this run can "
                    + "never be a baseline%n", settings.calibrationCpuMicros(), dev.predictbench.model.CalibrationWork.SETTING);
        }
        // Before the load client starts: it and the servers inherit the limit.
        Limits.ensure(settings);
        int status;
        // One load client for the whole run, warmed up once before the first stack.
        try (LoadProcess client = new LoadProcess(List.of(), true)) {
            status = new BenchRunner(settings, root, jvm, progress, ConformanceRun::check, client::execute).run();
        }
        System.exit(status);
    }

    int run() {
        Instant started = Instant.now();
        RunFolder folder;
        try {
            folder = RunFolder.create(root.resolve("results").resolve("runs"), Fingerprint.commit(root), started);
        } catch (IOException e) {
            System.err.println("predict-bench: cannot create the run folder: " + e.getMessage());
            return 1;
        }
        List<String> leftovers = clock.timeQuietly("leftover check", () -> Leftovers.stopOrphans(root));
        leftovers.forEach(l -> progress.say("before the run: " + l));
        RunRecord.Limits limits = Limits.ensure(settings);
        progress.say("open files: " + limits.note());
        Thread hook = new Thread(() -> interrupted(started, folder, limits), "predict-bench-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        String incomplete = null;
        List<RunRecord.Round> rounds = new ArrayList<>();
        try {
            for (int round = 1; round <= settings.rounds(); round++) {
                List<Subject> order = order(settings.subjects(), round);
                List<String> scenarios = settings.scenarios(round);
                rounds.add(new RunRecord.Round(round, order.stream().map(Subject::id).toList(), scenarios));
                for (Subject subject : order) {
                    progress.nextStack(subject.id() + (settings.rounds() > 1 ? " (round " + round + " of " + settings.rounds() + ")" : ""));
                    RunRecord.StackResult result = measure(subject, folder.dir(), round, scenarios);
                    synchronized (measured) {
                        measured.computeIfAbsent(subject.id(), k -> new ArrayList<>()).add(result);
                    }
                    progress.say(subject.id() + ": " + result.status() + (result.reasons().isEmpty() ? "" : " - "
                            + String.join("; ", result.reasons())));
                }
            }
            if (settings.control() && !settings.stacks().isEmpty()) {
                Subject first = settings.subjects().getFirst();
                List<String> scenarios = settings.scenarios(2).stream().filter(x -> x.equals("sweep")).toList();
                rounds.add(new RunRecord.Round(0, List.of(first.id()), scenarios));
                progress.nextStack(first.id() + " (control: measured again at the end)");
                controlResult = measure(first, folder.dir(), 0, scenarios);
                progress.say(first.id() + " control: " + controlResult.status());
            }
            if (llm.enabled() && !settings.stacks().isEmpty()) {
                runLlm(folder.dir(), limits);
            }
        } catch (Throwable e) {
            // The runner itself failed (out of memory, a bug): what was measured is kept, marked incomplete.
            incomplete = "the runner stopped: " + e + " (the stacks measured before it are kept)";
            System.err.println("predict-bench: " + incomplete);
            e.printStackTrace();
            faults = true;
            stopLive();
        }
        return finish(started, folder, limits, incomplete, rounds, hook);
    }

    private int finish(Instant started, RunFolder folder, RunRecord.Limits limits, String incomplete,
                       List<RunRecord.Round> rounds, Thread hook) {
        synchronized (this) {
            if (written) {
                return 1;
            }
            written = true;
        }
        int expected = settings.rounds() * settings.subjects().size();
        int done = measured.values().stream().mapToInt(List::size).sum();
        if (incomplete == null && done < expected) {
            incomplete = done + " of " + expected + " stack measurements finished";
        }
        RunRecord record = record(started, folder, limits, incomplete, rounds);
        Path doneDir;
        try {
            folder.write(record);
            doneDir = incomplete == null ? folder.complete() : folder.incomplete();
        } catch (IOException e) {
            System.err.println("predict-bench: could not write the run record: " + e.getMessage()
                    + "; the partial results stay in " + folder.dir() + " and no earlier run was touched");
            return 1;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // Already shutting down: the hook is what called us.
            }
        }
        Summary.print(record, System.out);
        System.out.println(clock.summary());
        System.out.println("Run record: " + root.relativize(doneDir.resolve(RunFolder.RECORD)));
        System.out.println("Run folder: " + doneDir);
        if (incomplete != null) {
            System.out.println("predict-bench: the run is INCOMPLETE (" + incomplete + "): its record is written to "
                    + doneDir.getFileName() + "; it is never taken as the newest run");
        }
        long reportStart = System.nanoTime();
        dev.predictbench.results.report.Report.writeAndAnnounce(doneDir, root, System.out);
        System.out.printf("report written in %.1f s%n", (System.nanoTime() - reportStart) / 1e9);
        if (faults) {
            System.out.println("predict-bench: at least one stack had a harness fault (see INVALID above); exit status 1");
        }
        return faults || incomplete != null ? 1 : 0;
    }

    /** The shutdown hook: a runner stopped by a signal stops its servers and writes what it measured, marked incomplete. */
    private void interrupted(Instant started, RunFolder folder, RunRecord.Limits limits) {
        stopLive();
        synchronized (this) {
            if (written) {
                return;
            }
        }
        System.err.println("predict-bench: stopped by a signal; writing the record of what was measured");
        finish(started, folder, limits, "stopped by a signal before the end", List.of(), new Thread(() -> { }));
    }

    /**
     * The I/O-bound llm workload after the rounds: every stack and variant on a fresh server, the
     * upstream simulator in this JVM (pinned to the load CPUs with it).
     */
    private void runLlm(Path runDir, RunRecord.Limits limits) throws IOException {
        String jdk = Fingerprint.javaVersion(serverJvm);
        try (Upstream upstream = SimulatorUpstream.start(llm)) {
            llmUpstream = upstream;
            llmRun = new LlmRun(llm, settings, root, serverJvm, progress, load, live);
            progress.say("llm: upstream simulator at " + upstream.baseUrl() + " (first token after " + llm.ttftMillis()
                    + " ms, then one every " + llm.itlMillis() + " ms, " + llm.tokens() + " tokens), on the load CPUs "
                    + settings.loadCpus() + "; objective: time to first token p99 <= " + llm.objectiveMillis() + " ms");
            long start = System.nanoTime();
            llmRecord = llmRun.run(runDir, settings.stacks(), limits, jdk, upstream);
            clock.add("llm", (System.nanoTime() - start) / 1e9);
        } finally {
            llmUpstream = null;
        }
    }

    private void stopLive() {
        for (ServerProcess p : List.copyOf(live)) {
            p.stop(Duration.ofSeconds(5));
            live.remove(p);
        }
    }

    private RunRecord record(Instant started, RunFolder folder, RunRecord.Limits limits, String incomplete,
                             List<RunRecord.Round> rounds) {
        List<RunRecord.StackResult> results = new ArrayList<>();
        Map<String, List<RunRecord.StackResult>> byStack;
        synchronized (measured) {
            byStack = new LinkedHashMap<>(measured);
        }
        for (Subject subject : settings.subjects()) {
            List<RunRecord.StackResult> rs = byStack.get(subject.id());
            if (rs != null && !rs.isEmpty()) {
                results.add(Rounds.merge(rs, settings.repeatScenarios()));
            }
        }
        RunRecord.Control control = null;
        if (controlResult != null) {
            RunRecord.StackResult first = results.stream().filter(r -> r.stack().equals(controlResult.stack())).findFirst()
                    .orElse(null);
            control = Rounds.control(byStack.getOrDefault(controlResult.stack(), List.of()).stream().findFirst().orElse(first),
                    controlResult);
        }
        RunRecord.Conduct conduct = new RunRecord.Conduct(incomplete == null, incomplete, rounds, control, clock.phases(),
                limits, settings.budget());
        return new RunRecord(RunRecord.SCHEMA_VERSION, folder.id(), started.toString(), Instant.now().toString(),
                settings.profile(), settings.toRecord(), Fingerprint.read(root, serverJvm, settings, stackVersions),
                JmhResults.adopt(folder.dir(), settings), results, conduct, llmSoFar(limits));
    }

    /** The llm workload's record: whole once it ran, what it measured so far when the run stopped inside it. */
    private RunRecord.Llm llmSoFar(RunRecord.Limits limits) {
        if (llmRecord != null) {
            return llmRecord;
        }
        LlmRun run = llmRun;
        Upstream upstream = llmUpstream;
        return run == null || upstream == null ? null : run.record(limits, Fingerprint.javaVersion(serverJvm), upstream);
    }

    /**
     * Round {@code round}'s order: the stacks rotated one place per round, and a stack's two batching
     * variants (adjacent in {@code subjects}) off first in odd rounds, on first in even ones, so that
     * neither variant always runs first or right after the other stack's.
     */
    static List<Subject> order(List<Subject> subjects, int round) {
        List<List<Subject>> byStack = new ArrayList<>();
        for (Subject subject : subjects) {
            if (byStack.isEmpty() || byStack.getLast().getFirst().stack() != subject.stack()) {
                byStack.add(new ArrayList<>());
            }
            byStack.getLast().add(subject);
        }
        List<Subject> out = new ArrayList<>();
        for (List<Subject> variants : rotated(byStack, round - 1)) {
            List<Subject> v = new ArrayList<>(variants);
            if (round % 2 == 0) {
                java.util.Collections.reverse(v);
            }
            out.addAll(v);
        }
        return out;
    }

    /** The stacks in order, rotated {@code by} places: round r starts with the r-th stack. */
    static <T> List<T> rotated(List<T> stacks, int by) {
        if (stacks.isEmpty()) {
            return stacks;
        }
        int k = Math.floorMod(by, stacks.size());
        List<T> out = new ArrayList<>(stacks.subList(k, stacks.size()));
        out.addAll(stacks.subList(0, k));
        return out;
    }

    /**
     * One subject in one round (0: the control): start a fresh server with the subject's batching
     * stated in its environment, check that {@code /info} does not contradict it, then (round one
     * only) the conformance kit and the probes, then per workload the sequential probe (round one,
     * or every round when {@link BenchSettings#probeEveryRound()}) and the scenarios.
     */
    private RunRecord.StackResult measure(Subject subject, Path runDir, int round, List<String> scenarios) {
        Stacks stack = subject.stack();
        String id = subject.id();
        Path dir = round == 1 ? runDir.resolve(id) : runDir.resolve(id).resolve(round == 0 ? "control" : "round-" + round);
        PhaseClock clock = this.clock.forStack(id, round);
        List<String> reasons = new ArrayList<>();
        ServerProcess server;
        try {
            Files.createDirectories(dir);
        } catch (IOException | RuntimeException e) {
            faults = true;
            return invalid(id, "cannot write its folder " + runDir.relativize(dir) + " in the run folder: " + e, null, null,
                    null, null);
        }
        long startNanos = System.nanoTime();
        try {
            Map<String, String> env = settings.serverEnvironment(subject);
            progress.say("starting " + id + ": " + env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue() + " ")
                    .collect(java.util.stream.Collectors.joining()) + String.join(" ", ServerProcess.command(stack.launch(), root,
                    serverJvm)));
            server = ServerProcess.start(stack, root, serverJvm, dir.resolve("server.log"), env);
            live.add(server);
        } catch (RuntimeException e) {
            faults = true;
            return invalid(id, "failed to start: " + e.getMessage(), null, null, null, null);
        }
        String log = runDir.relativize(server.log()).toString();
        RunRecord.Startup startup;
        Map<String, Object> info = null;
        try {
            Duration readyTimeout = Duration.ofMillis(Math.round(settings.readyTimeoutSeconds() * 1000));
            Duration ready = server.awaitOk(Contract.READY, null, readyTimeout);
            PortOwner.Verdict owner = PortOwner.check(server.pid(), server.baseUri().getPort());
            if (owner.known() && !owner.ours()) {
                throw new IllegalStateException("port " + server.baseUri().getPort() + " is answered by another process"
                        + (owner.otherPid() > 0 ? " (pid " + owner.otherPid() + ")" : "") + ", not the launched server (pid "
                        + server.pid() + "): the port was taken between choosing it and the server binding it");
            }
            Duration firstPredict = server.awaitOk(Contract.PREDICT, firstBody(), Duration.ofSeconds(60));
            ProcStats.Sample sample = ProcStats.sample(server.pid());
            startup = new RunRecord.Startup(millis(ready), millis(firstPredict), sample.rssBytes() >= 0 ? sample.rssBytes() : null,
                    "process launch (ProcessBuilder.start) to the first 200 of GET /health/ready and of POST /predict, polled every 10 ms");
            info = JSON.convertValue(new HttpProbe(server.baseUri()).get(Contract.INFO).json(), Map.class);
            stackVersions.put(stack.id(), String.valueOf(info.get("framework")));
        } catch (Exception e) {
            faults = true;
            stop(server);
            clock.add("start", (System.nanoTime() - startNanos) / 1e9);
            return invalid(id, "failed to start: " + firstLine(e.getMessage()), null, null, null, log);
        }
        clock.add("start", (System.nanoTime() - startNanos) / 1e9);
        String ignored = ignoredBatching(subject, info);
        if (ignored != null) {
            // A harness check: figures measured under the other variant would carry this subject's name.
            faults = true;
            boolean graceful = stop(server);
            return new RunRecord.StackResult(id, RunRecord.Status.INVALID, List.of(ignored + ": not benchmarked"), startup, info,
                    null, null, log, graceful);
        }
        if (Subjects.reportedBatching(info) == null && round == 1) {
            progress.say(id + ": /info has no batching object: whether the server batches is unknown");
        }
        RunRecord.Conformance conformance = null;
        RunRecord.Probes probes = null;
        if (round == 1) {
            progress.say(id + " ready in " + Math.round(startup.readyMillis()) + " ms; running the conformance kit");
            conformance = clock.timeQuietly("conformance", () -> this.conformance.check(server.baseUri(), stack.id(),
                    settings.workloads().stream().anyMatch(Workload::genAi)));
            if (!conformance.passed()) {
                faults = true;
                boolean graceful = stop(server);
                RunRecord.StackResult r = invalid(id, "failed conformance (" + conformance.failed() + " of "
                        + conformance.tests() + " checks): not benchmarked", startup, info, conformance, log);
                return new RunRecord.StackResult(r.stack(), r.status(), r.reasons(), startup, info, conformance, null, log, graceful);
            }
            probes = clock.timeQuietly("probes", () -> StackProbes.run(stack, server.baseUri(), root));
        } else {
            progress.say(id + " ready in " + Math.round(startup.readyMillis()) + " ms (conformance checked in round 1)");
        }
        Map<String, RunRecord.Workload> workloads = new LinkedHashMap<>();
        try {
            for (Workload workload : settings.workloads()) {
                Map<String, RunRecord.Scenario> out = new LinkedHashMap<>();
                // The sequential probe (unloaded latency, the overload's reference) in round one, or in every
                // round when the run compares batching (the control, a sweep alone, never).
                RunRecord.Probe probe = null;
                if (round == 1 || round > 1 && settings.probeEveryRound()) {
                    progress.say(id + " " + workload.id() + ": sequential probe, " + settings.probeRequests() + " requests");
                    probe = clock.time(workload.id() + " probe", () -> SequentialProbe.run(server.baseUri(),
                            workload.path(), workload.bodies(settings.seed()), Math.min(100, settings.probeRequests()),
                            settings.probeRequests()));
                }
                workloads.put(workload.id(), new RunRecord.Workload(workload.path(), out, probe));
                RunRecord.Warmup warmup = new Scenarios(new StackWorkload(settings, server, workload, dir, runDir, progress, load),
                        clock).runAll(out, probe, scenarios);
                workloads.put(workload.id(), new RunRecord.Workload(workload.path(), out, probe, warmup));
            }
        } catch (ServerDied e) {
            faults = true;
            reasons.add(e.getMessage());
        } catch (java.nio.file.FileSystemException e) {
            faults = true;
            reasons.add("harness fault: a disk write failed: " + firstLine(e.toString()));
        } catch (Exception e) {
            faults = true;
            reasons.add("harness fault: " + firstLine(String.valueOf(e.getMessage())));
        }
        if (!server.isAlive() && reasons.stream().noneMatch(r -> r.contains("exited"))) {
            faults = true;
            reasons.add("server exited with status " + server.process().exitValue() + " during the run");
        }
        boolean graceful = clock.timeQuietly("stop", () -> stop(server));
        workloads.forEach((w, load) -> load.scenarios().forEach((name, s) -> s.reasons().forEach(
                r -> reasons.add((w.equals(Workload.TABULAR.id()) ? "" : w + " ") + name + ": " + r))));
        RunRecord.Status status = reasons.isEmpty() ? RunRecord.Status.VALID : RunRecord.Status.INVALID;
        return new RunRecord.StackResult(id, status, reasons, startup, info, conformance,
                workloads, log, graceful).withProbes(probes);
    }

    private boolean stop(ServerProcess server) {
        try {
            return server.stop(Duration.ofSeconds(10));
        } finally {
            live.remove(server);
        }
    }

    private String firstBody() {
        return Workload.TABULAR.bodies(settings.seed()).getFirst();
    }

    /**
     * Why the server's {@code /info} contradicts the batching the subject asked for, or null: it
     * agrees, or it does not say ({@code batching} missing: unknown, measured as asked).
     */
    static String ignoredBatching(Subject subject, Map<String, Object> info) {
        Boolean enabled = Subjects.reportedBatching(info);
        if (enabled == null || enabled == subject.batching()) {
            return null;
        }
        return "the server ignored " + Subjects.BATCHING_ENV + "=" + (subject.batching() ? "on" : "off") + " (its /info says "
                + "batching.enabled " + enabled + ")";
    }

    private static RunRecord.StackResult invalid(String subject, String reason, RunRecord.Startup startup,
                                                 Map<String, Object> info, RunRecord.Conformance conformance, String log) {
        return new RunRecord.StackResult(subject, RunRecord.Status.INVALID, List.of(reason), startup, info, conformance,
                null, log, null);
    }

    private static double millis(Duration d) {
        return Math.round(d.toNanos() / 10_000.0) / 100.0;
    }

    static String firstLine(String s) {
        if (s == null) {
            return "unknown";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** A server found dead between two measurements. */
    static final class ServerDied extends Exception {
        ServerDied(String message) {
            super(message);
        }
    }

    /** Pins this process (all its threads) to a CPU list with taskset; children inherit it. */
    static final class CpuSets {
        static boolean pinSelf(String cpus) {
            if (machineCpus(Path.of("/sys/devices/system/cpu/online"),
                    Runtime.getRuntime().availableProcessors()) < 2) {
                return false;
            }
            return Commands.succeeds("taskset", "-a", "-p", "-c", cpus, Long.toString(ProcessHandle.current().pid()));
        }

        /**
         * The machine's online CPUs, from the kernel's list: not the JVM's count, which
         * {@code -XX:ActiveProcessorCount} or a CPU quota can lower, and which would then switch
         * pinning off for servers and client alike. {@code fallback} when the list cannot be read.
         */
        static int machineCpus(Path online, int fallback) {
            try {
                return CpuList.size(Files.readString(online).trim());
            } catch (IOException | RuntimeException e) {
                return fallback;
            }
        }
    }
}
