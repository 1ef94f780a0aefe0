package dev.predictbench.gatling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictbench.contract.Stacks;
import dev.predictbench.gatling.load.LoadMain;
import dev.predictbench.gatling.load.LoadProcess;
import dev.predictbench.gatling.load.StepOutcome;
import dev.predictbench.results.RunRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner against stacks that misbehave on purpose ({@link FakeStack} jars launched by the same
 * ServerProcess as real stacks, in a temporary checkout): a server that never becomes ready, one
 * that exits mid-run, a port taken by another process, a load generator that runs out of memory or
 * of open files, and a disk write that fails. Each must give an INVALID record with a clear reason
 * while the other stacks and scenarios are still measured (overload included), no server may be
 * left running, and no earlier run or baseline may change.
 */
class RunnerFaultTest {
    @Test
    void everyFaultMakesItsStackInvalidAndTheOthersAreStillMeasured(@TempDir Path root) throws Exception {
        FakeRuns.fakeJar(root, Stacks.JAVALIN, "good");
        FakeRuns.fakeJar(root, Stacks.SPRING_BOOT, "never-ready");
        FakeRuns.fakeJar(root, Stacks.QUARKUS, "exit-mid-run 150");
        FakeRuns.fakeJar(root, Stacks.HELIDON_SE, "port-taken");
        FakeRuns.fakeJar(root, Stacks.LANGCHAIN4J, "good");
        Map<Path, String> before = earlierRunAndBaseline(root);
        // A real generator failure for one stack: its load client runs out of memory (request
        // bodies larger than its heap) in the sweep.
        Path huge = hugeBodies(root);
        LoadRunner load = (spec, timeout) -> LoadProcess.run(spec.port() == portOf(root, "langchain4j")
                && spec.prefix().endsWith("sweep") ? withBodies(spec, huge) : spec, timeout);

        FakeRuns.Outcome outcome = FakeRuns.run(root, FakeRuns.settings("javalin,spring-boot,quarkus,helidon-se,langchain4j", Map.of()), load);

        assertEquals(1, outcome.status(), "a harness fault makes the runner exit 1");
        RunRecord record = outcome.record();
        assertEquals(List.of("javalin", "spring-boot", "quarkus", "helidon-se", "langchain4j"),
                record.stacks().stream().map(RunRecord.StackResult::stack).toList());
        Map<String, RunRecord.StackResult> by = new LinkedHashMap<>();
        record.stacks().forEach(s -> by.put(s.stack(), s));

        assertMeasured(by.get("javalin"));
        assertInvalid(by.get("spring-boot"), "did not answer 200 on /health/ready within");
        assertInvalid(by.get("quarkus"), "exited with status 3");
        assertInvalid(by.get("helidon-se"), "is answered by another process");
        assertTrue(by.get("helidon-se").reasons().getFirst().contains("the port was taken"), by.get("helidon-se").reasons().toString());
        RunRecord.StackResult lc = by.get("langchain4j");
        assertInvalid(lc, "sweep: harness fault in sweep (steps [c1, c4] not measured): the load generator ran out of memory");
        // The generator's failure costs that scenario only: the overload after it was measured.
        assertEquals(RunRecord.Status.VALID, lc.workloads().get("tabular").scenarios().get("overload").status(), lc.reasons().toString());
        // Each fault was said on the console too.
        for (String s : List.of("spring-boot: INVALID", "quarkus: INVALID", "helidon-se: INVALID", "langchain4j: INVALID")) {
            assertTrue(outcome.console().contains(s), "console mentions " + s);
        }
        assertEquals(before, snapshot(root, before.keySet()), "earlier run and baseline untouched");
        assertTrue(outcome.record().complete(), "every stack was measured or marked: the record is complete");
        assertEquals(5, outcome.record().conduct().timing().stream().filter(p -> "start".equals(p.phase())).count(),
                "every stack's start is in the time breakdown: " + outcome.record().conduct().timing());
        assertNoSquatterLeft(root);
        assertNoServerLeft(root);
    }

    @Test
    void aGeneratorOutOfOpenFilesMakesThatScenarioInvalidAndTheRunGoesOn(@TempDir Path root) throws Exception {
        FakeRuns.fakeJar(root, Stacks.JAVALIN, "good");
        FakeRuns.fakeJar(root, Stacks.QUARKUS, "good");
        // The overload opens 512 connections; a client allowed 64 open files runs out of them.
        LoadRunner load = (spec, timeout) -> LoadProcess.run(spec, timeout,
                spec.prefix().endsWith("overload") && spec.port() == portOf(root, "javalin")
                        ? List.of("prlimit", "--nofile=64:64") : List.of());

        FakeRuns.Outcome outcome = FakeRuns.run(root, FakeRuns.settings("javalin,quarkus", Map.of()), load);

        RunRecord.StackResult javalin = outcome.record().stacks().get(0);
        assertInvalid(javalin, "overload: harness fault: the load generator ran out of open files");
        assertTrue(javalin.workloads().get("tabular").scenarios().get("sweep").reasons().stream()
                .noneMatch(r -> r.contains("harness fault")), "the sweep before it was measured");
        assertEquals(2, javalin.workloads().get("tabular").scenarios().get("sweep").steps().size());
        assertMeasured(outcome.record().stacks().get(1));
        assertTrue(outcome.record().complete(), "a generator's fault is a step's fault: the run's record is complete");
        assertNoServerLeft(root);
    }

    @Test
    void aStepTheGeneratorSentLateIsMeasuredAgainAndTheRecordSaysWhy(@TempDir Path root) throws Exception {
        FakeRuns.fakeJar(root, Stacks.JAVALIN, "good");
        FakeRuns.fakeJar(root, Stacks.QUARKUS, "good");
        // The generator's late sends, injected: every rate attempt against Javalin, the first against Quarkus.
        Map<Integer, Integer> attempts = new java.util.HashMap<>();
        LoadRunner load = (spec, timeout) -> {
            List<StepOutcome> out = LoadProcess.run(spec, timeout);
            if (!spec.prefix().contains("-rate")) {
                return out;
            }
            int attempt = attempts.merge(spec.port(), 1, Integer::sum);
            boolean late = spec.port() == portOf(root, "javalin") || attempt == 1;
            return late ? out.stream().map(RunnerFaultTest::allLate).toList() : out;
        };

        FakeRuns.Outcome outcome = FakeRuns.run(root, FakeRuns.settings("javalin,quarkus", Map.of("bench.scenarios", "rate",
                "bench.rates", "200", "bench.connections", "64", "bench.lateRetries", "2")), load);

        RunRecord.Step javalin = rateStep(outcome.record().stacks().get(0));
        assertEquals(3, javalin.attempts(), "measured once and again twice: " + javalin);
        assertEquals(2, javalin.earlierAttempts().size(), javalin.earlierAttempts().toString());
        assertTrue(javalin.earlierAttempts().getFirst().startsWith("attempt 1: r200: the load client sent 100.0%"),
                javalin.earlierAttempts().toString());
        assertTrue(javalin.earlierAttempts().get(1).startsWith("attempt 2: "), javalin.earlierAttempts().toString());
        assertFalse(javalin.valid(), "late every time: the last attempt's reason stands");
        assertTrue(javalin.reasons().getFirst().contains("more than 1 ms late"), javalin.reasons().toString());
        RunRecord.Step quarkus = rateStep(outcome.record().stacks().get(1));
        // Only the first Quarkus attempt is made late; a retry this machine itself sent late may take the third.
        assertTrue(quarkus.attempts() == 2 || quarkus.attempts() == 3, quarkus.toString());
        assertEquals(quarkus.attempts() - 1, quarkus.earlierAttempts().size());
        assertTrue(quarkus.earlierAttempts().getFirst().startsWith("attempt 1: r200: the load client sent 100.0%"),
                quarkus.earlierAttempts().toString());
        if (quarkus.attempts() == 2) {
            assertTrue(quarkus.reasons().stream().noneMatch(r -> r.contains("late")), "the kept attempt was on time: "
                    + quarkus.reasons());
        }
        assertTrue(quarkus.generator().histogramLog().endsWith("tabular-rate-attempt" + quarkus.attempts() + "-r200.hlog"),
                "each attempt keeps its own histogram log: " + quarkus.generator().histogramLog());
        assertTrue(outcome.console().contains("r200: the load client sent late, measuring it again (attempt 2 of at most 3)"),
                "the retry is said on the console");
        assertEquals(Integer.valueOf(2), outcome.record().settings().rules().lateRetries());
        assertNoServerLeft(root);
    }

    private static RunRecord.Step rateStep(RunRecord.StackResult s) {
        return s.workloads().get("tabular").scenarios().get("rate").steps().getFirst();
    }

    /** The outcome with every scheduled request sent more than 1 ms late. */
    private static StepOutcome allLate(StepOutcome o) {
        return new StepOutcome(o.plan(), o.timedFrom(), o.measuredSeconds(), o.scheduled(), o.ok(), o.failed(),
                o.completedInInterval(), o.throughput(), o.latency(), o.service(), o.scheduleLag(), o.scheduled(),
                o.connectionWaits(), o.windows(), o.clientCpuSeconds(), o.clientPollSeconds(), o.clientCpuMicrosPerRequest(),
                o.server(), o.events(), o.histogramLog(), o.drainSeconds(), o.health());
    }

    @Test
    void aFailedDiskWriteMakesThatStackInvalid(@TempDir Path root) throws Exception {
        FakeRuns.fakeJar(root, Stacks.JAVALIN, "disk-fault");
        FakeRuns.fakeJar(root, Stacks.QUARKUS, "good");
        Map<Path, String> before = earlierRunAndBaseline(root);

        FakeRuns.Outcome outcome = FakeRuns.run(root, FakeRuns.settings("javalin,quarkus", Map.of()), LoadProcess::run);

        assertEquals(1, outcome.status());
        RunRecord.StackResult javalin = outcome.record().stacks().get(0);
        assertInvalid(javalin, "a disk write failed: java.nio.file.FileAlreadyExistsException");
        assertMeasured(outcome.record().stacks().get(1));
        assertEquals(before, snapshot(root, before.keySet()), "earlier run and baseline untouched");
    }

    /**
     * Measured in full: no harness fault, every step there. (Whether a fake server's windows settle
     * on a busy machine is the validity rules' business, not the fault handling's.)
     */
    @Test
    void aRunnerThatCannotGoOnWritesWhatItMeasuredMarkedIncompleteAndStopsItsServers(@TempDir Path root) throws Exception {
        FakeRuns.fakeJar(root, Stacks.JAVALIN, "good");
        FakeRuns.fakeJar(root, Stacks.QUARKUS, "good");
        // A server of this checkout left running by an earlier runner that died: its parent is gone.
        int orphanPort;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            orphanPort = free.getLocalPort();
        }
        Path jar = Stacks.SPRING_BOOT.jar(root);
        FakeRuns.fakeJar(root, Stacks.SPRING_BOOT, "good");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process shell = new ProcessBuilder("sh", "-c", "PORT=" + orphanPort + " " + javaBin + " -Xmx64m -jar " + jar
                + " > /dev/null 2>&1 &").start();
        assertEquals(0, shell.waitFor());
        ProcessHandle orphan = awaitProcess(jar);
        // The runner's own failure (here its load seam running out of heap) at the second stack.
        LoadRunner load = (spec, timeout) -> {
            if (spec.port() == portOf(root, "quarkus")) {
                throw new OutOfMemoryError("simulated: the runner's heap");
            }
            return LoadProcess.run(spec, timeout);
        };

        FakeRuns.Outcome outcome = FakeRuns.run(root, FakeRuns.settings("javalin,quarkus", Map.of()), load);

        assertEquals(1, outcome.status());
        assertTrue(outcome.console().contains("stopped a server left running by an earlier run (pid " + orphan.pid()),
                outcome.console());
        assertTrue(orphan.onExit().completeOnTimeout(null, 10, java.util.concurrent.TimeUnit.SECONDS).join() != null
                || !orphan.isAlive(), "the leftover server was stopped");
        assertFalse(outcome.record().complete());
        assertTrue(outcome.record().conduct().incomplete().contains("simulated: the runner's heap"),
                outcome.record().conduct().incomplete());
        assertEquals(List.of("javalin"), outcome.record().stacks().stream().map(RunRecord.StackResult::stack).toList(),
                "what was measured before the failure is kept");
        assertMeasured(outcome.record().stacks().getFirst());
        assertTrue(outcome.console().contains("INCOMPLETE"), "said plainly");
        try (Stream<Path> runs = Files.list(root.resolve("results/runs"))) {
            assertTrue(runs.anyMatch(p -> p.getFileName().toString().endsWith("-incomplete")), "kept under its own name");
        }
        assertNoServerLeft(root);
    }

    private static ProcessHandle awaitProcess(Path jar) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            Optional<ProcessHandle> p = ProcessHandle.allProcesses().filter(h -> h.info().commandLine()
                    .map(c -> c.endsWith(jar.toString())).orElse(false)).findFirst();
            if (p.isPresent()) {
                return p.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the leftover server did not start: " + jar);
    }

    private static void assertMeasured(RunRecord.StackResult s) {
        assertTrue(s.reasons().stream().noneMatch(r -> r.contains("harness fault") || r.contains("failed to start")
                || r.contains("exited")), s.stack() + ": " + s.reasons());
        RunRecord.Workload tabular = s.workloads().get("tabular");
        List<RunRecord.Step> sweep = tabular.scenarios().get("sweep").steps();
        assertEquals(2, sweep.size());
        for (RunRecord.Step step : sweep) {
            assertNotNull(step.generator(), "the load client's details are recorded");
            assertEquals("closed", step.generator().model());
            assertTrue(step.latency().requests() > 0 && step.latency().requests() == step.requests(), step.toString());
        }
        RunRecord.Scenario overload = tabular.scenarios().get("overload");
        assertNotNull(overload, "overload scenario recorded");
        RunRecord.Overload o = overload.overload();
        assertTrue(o.sent() > 0 && o.served() > 0 && o.served() <= o.sent(), o.toString());
        assertEquals(o.served() + o.errors().status503() + o.errors().status429() + o.errors().other4xx() + o.errors().other5xx()
                + o.errors().otherStatus() + o.errors().timeouts() + o.errors().connectionErrors(), o.sent(),
                "every request sent is served or counted as one kind of error: " + o);
        assertTrue(o.serverAlive() && !o.outOfMemory(), o.toString());
        assertTrue(o.peakRssBytes() != null && o.peakRssBytes() > 0);
        assertNotNull(o.recovery());
        assertTrue(o.recovery().windowP99Micros().size() >= 1, o.recovery().toString());
        assertEquals(2.0, o.factor());
    }

    private static void assertInvalid(RunRecord.StackResult s, String reason) {
        assertEquals(RunRecord.Status.INVALID, s.status(), s.stack());
        assertTrue(s.reasons().stream().anyMatch(r -> r.contains(reason)), s.stack() + ": " + s.reasons());
    }

    /** The port the runner gave a stack, read back from its server log's first line ("fake stack, mode ..., port N"). */
    private static int portOf(Path root, String stack) {
        try (Stream<Path> logs = Files.walk(root.resolve("results/runs"))) {
            for (Path log : logs.filter(p -> p.endsWith(Path.of(stack, "server.log"))).toList()) {
                String first = Files.readAllLines(log).stream().filter(l -> l.startsWith("fake stack")).findFirst().orElse("");
                int at = first.lastIndexOf("port ");
                if (at >= 0) {
                    return Integer.parseInt(first.substring(at + 5).trim());
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    /** One request body of 300 MB: more than the load client's heap can read. */
    private static Path hugeBodies(Path root) throws IOException {
        Path file = root.resolve("huge-bodies.jsonl");
        byte[] chunk = new byte[1 << 20];
        java.util.Arrays.fill(chunk, (byte) 'x');
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < 300; i++) {
                out.write(chunk);
            }
            out.write('\n');
        }
        return file;
    }

    private static LoadMain.Spec withBodies(LoadMain.Spec s, Path bodies) {
        return new LoadMain.Spec(s.host(), s.port(), s.path(), bodies.toString(), s.marker(), s.events(), s.serverPid(), s.seed(),
                s.outDir(), s.prefix(), s.steps());
    }

    /** An earlier complete run and a baseline, as a real checkout has them; returns their files' contents. */
    private static Map<Path, String> earlierRunAndBaseline(Path root) throws IOException {
        Path earlier = root.resolve("results/runs/20250101T000000Z-0123456789ab");
        Path baseline = root.resolve("results/baseline");
        Files.createDirectories(earlier);
        Files.createDirectories(baseline);
        Files.writeString(earlier.resolve("run.json"), "{\"schemaVersion\": 1, \"earlier\": true}\n");
        Files.writeString(earlier.resolve("index.html"), "<p>earlier report</p>\n");
        Files.writeString(baseline.resolve("run.json"), "{\"schemaVersion\": 1, \"baseline\": true}\n");
        List<Path> files = List.of(earlier.resolve("run.json"), earlier.resolve("index.html"), baseline.resolve("run.json"));
        return snapshot(root, files);
    }

    private static Map<Path, String> snapshot(Path root, Iterable<Path> files) throws IOException {
        Map<Path, String> out = new TreeMap<>();
        for (Path f : files) {
            if (Files.isDirectory(f)) {
                continue;
            }
            out.put(f, Files.readString(f) + "@" + Files.getLastModifiedTime(f));
        }
        try (Stream<Path> all = Files.walk(root.resolve("results/baseline"))) {
            out.put(root.resolve("results/baseline"), String.valueOf(all.count()));
        }
        return out;
    }

    private static void assertNoSquatterLeft(Path root) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline && squatters(root) > 0) {
            Thread.sleep(100);
        }
        assertEquals(0, squatters(root), "the process that took the port is gone with its parent");
    }

    private static long squatters(Path root) {
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(root.toString())
                && p.info().commandLine().orElse("").contains("squatter")).count();
    }

    /** No server the runner launched from this checkout is left running. */
    private static void assertNoServerLeft(Path root) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline && servers(root) > 0) {
            Thread.sleep(100);
        }
        assertEquals(0, servers(root), "every launched server was stopped");
    }

    private static long servers(Path root) {
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(root.toString())
                && p.info().commandLine().orElse("").contains("-jar")).count();
    }
}
