package dev.predictbench.gatling;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.predictbench.contract.Contract;
import dev.predictbench.contract.HttpProbe;
import dev.predictbench.contract.launch.JvmSettings;
import dev.predictbench.contract.launch.ServerProcess;
import dev.predictbench.contract.launch.Stacks;
import dev.predictbench.gatling.load.LoadProcess;
import dev.predictbench.results.RunFolder;
import dev.predictbench.results.RunRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The main job behind {@code ./mvnw -Pbench verify}: for each stack in turn, start its server
 * (same JDK, same JVM flags, pinned to the server CPU set), measure start-up, run the conformance
 * kit, then the sequential probe and the scenarios (the load client, in its own JVM, on the other CPU set),
 * stop it, and write {@code results/runs/<id>/run.json}. A stack that fails to start, fails
 * conformance or dies mid-run is marked INVALID with the reason, the others are still measured,
 * and the runner exits 1 at the end. Bad settings exit 2.
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
    private boolean faults;

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
        Progress progress = new Progress(settings.stacks().size(), perStack);
        System.out.printf("predict-bench %s: %d stack(s) %s, scenarios %s; expected duration about %s%n",
                settings.profile(), settings.stacks().size(), settings.stacks().stream().map(Stacks::id).toList(),
                settings.scenarios(), Progress.format(perStack * settings.stacks().size()));
        System.out.printf("servers on CPUs %s, load generator on CPUs %s%s; server JVM flags %s%n", settings.serverCpus(),
                settings.loadCpus(), pinned ? "" : " (NOT pinned: taskset unavailable or one CPU)", jvm.flags());
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
        List<RunRecord.StackResult> results = new ArrayList<>();
        for (Stacks stack : settings.stacks()) {
            progress.nextStack(stack.id());
            RunRecord.StackResult result = measure(stack, folder.dir());
            results.add(result);
            progress.say(stack.id() + ": " + result.status() + (result.reasons().isEmpty() ? "" : " - " + String.join("; ", result.reasons())));
        }
        RunRecord record = new RunRecord(RunRecord.SCHEMA_VERSION, folder.id(), started.toString(), Instant.now().toString(),
                settings.profile(), settings.toRecord(),
                Fingerprint.read(root, serverJvm, settings, stackVersions), JmhResults.adopt(folder.dir(), settings), results);
        Path done;
        try {
            folder.write(record);
            done = folder.complete();
        } catch (IOException e) {
            System.err.println("predict-bench: could not write the run record: " + e.getMessage()
                    + "; the partial results stay in " + folder.dir() + " and no earlier run was touched");
            return 1;
        }
        Summary.print(record, System.out);
        System.out.println("Run record: " + root.relativize(done.resolve(RunFolder.RECORD)));
        System.out.println("Run folder: " + done);
        dev.predictbench.results.report.Report.writeAndAnnounce(done, root, System.out);
        if (faults) {
            System.out.println("predict-bench: at least one stack had a harness fault (see INVALID above); exit status 1");
        }
        return faults ? 1 : 0;
    }

    private RunRecord.StackResult measure(Stacks stack, Path runDir) {
        Path dir = runDir.resolve(stack.id());
        List<String> reasons = new ArrayList<>();
        ServerProcess server;
        try {
            Files.createDirectories(dir);
        } catch (IOException | RuntimeException e) {
            faults = true;
            return invalid(stack, "cannot write its folder " + runDir.relativize(dir) + " in the run folder: " + e, null, null,
                    null, null);
        }
        try {
            progress.say("starting " + stack.id() + ": " + String.join(" ", serverJvm.command(stack.jar(root))));
            server = ServerProcess.start(stack, root, serverJvm, dir.resolve("server.log"), Map.of());
        } catch (RuntimeException e) {
            faults = true;
            return invalid(stack, "failed to start: " + e.getMessage(), null, null, null, null);
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
            server.stop(Duration.ofSeconds(10));
            return invalid(stack, "failed to start: " + firstLine(e.getMessage()), null, null, null, log);
        }
        progress.say(stack.id() + " ready in " + Math.round(startup.readyMillis()) + " ms; running the conformance kit");
        RunRecord.Conformance conformance = this.conformance.check(server.baseUri(), stack.id(),
                settings.workloads().stream().anyMatch(Workload::genAi));
        if (!conformance.passed()) {
            faults = true;
            boolean graceful = server.stop(Duration.ofSeconds(10));
            RunRecord.StackResult r = invalid(stack, "failed conformance (" + conformance.failed() + " of "
                    + conformance.tests() + " checks): not benchmarked", startup, info, conformance, log);
            return new RunRecord.StackResult(r.stack(), r.status(), r.reasons(), startup, info, conformance, null, log, graceful);
        }
        RunRecord.Probes probes = StackProbes.run(stack, server.baseUri(), root);
        Map<String, RunRecord.Workload> workloads = new LinkedHashMap<>();
        try {
            for (Workload workload : settings.workloads()) {
                Map<String, RunRecord.Scenario> scenarios = new LinkedHashMap<>();
                progress.say(stack.id() + " " + workload.id() + ": sequential probe, " + settings.probeRequests() + " requests");
                RunRecord.Probe probe = SequentialProbe.run(server.baseUri(), workload.path(), workload.bodies(settings.seed()),
                        Math.min(500, settings.probeRequests()), settings.probeRequests());
                workloads.put(workload.id(), new RunRecord.Workload(workload.path(), scenarios, probe));
                new Scenarios(new StackWorkload(settings, server, workload, dir, runDir, progress, load)).runAll(scenarios, probe);
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
        boolean graceful = server.stop(Duration.ofSeconds(10));
        workloads.forEach((w, load) -> load.scenarios().forEach((name, s) -> s.reasons().forEach(
                r -> reasons.add((w.equals(Workload.TABULAR.id()) ? "" : w + " ") + name + ": " + r))));
        RunRecord.Status status = reasons.isEmpty() ? RunRecord.Status.VALID : RunRecord.Status.INVALID;
        return new RunRecord.StackResult(stack.id(), status, reasons, startup, info, conformance,
                workloads, log, graceful).withProbes(probes);
    }

    private String firstBody() {
        return Workload.TABULAR.bodies(settings.seed()).getFirst();
    }

    private static RunRecord.StackResult invalid(Stacks stack, String reason, RunRecord.Startup startup,
                                                 Map<String, Object> info, RunRecord.Conformance conformance, String log) {
        return new RunRecord.StackResult(stack.id(), RunRecord.Status.INVALID, List.of(reason), startup, info, conformance,
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
            if (Runtime.getRuntime().availableProcessors() < 2) {
                return false;
            }
            try {
                Process p = new ProcessBuilder("taskset", "-a", "-p", "-c", cpus, Long.toString(ProcessHandle.current().pid()))
                        .redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
