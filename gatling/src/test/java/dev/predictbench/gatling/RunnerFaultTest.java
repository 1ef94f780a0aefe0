package dev.predictbench.gatling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictbench.contract.Contract;
import dev.predictbench.contract.launch.JvmSettings;
import dev.predictbench.contract.launch.Stacks;
import dev.predictbench.results.RunRecord;
import dev.predictbench.results.RunRecords;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner against stacks that misbehave on purpose ({@link FakeStack} jars launched by the same
 * ServerProcess as real stacks, in a temporary checkout): a server that never becomes ready, one
 * that exits mid-run, a port taken by another process, a Gatling failure and a disk write that
 * fails. Each must give its stack an INVALID record with a clear reason while the other stacks are
 * still measured (overload scenario included), and no earlier run or baseline may change.
 */
class RunnerFaultTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void everyFaultMakesItsStackInvalidAndTheOthersAreStillMeasured(@TempDir Path root) throws Exception {
        fakeJar(root, Stacks.JAVALIN, "good");
        fakeJar(root, Stacks.SPRING_BOOT, "never-ready");
        fakeJar(root, Stacks.QUARKUS, "exit-mid-run 150");
        fakeJar(root, Stacks.HELIDON_SE, "port-taken");
        fakeJar(root, Stacks.LANGCHAIN4J, "good");
        Map<Path, String> before = earlierRunAndBaseline(root);
        // A real Gatling failure for one stack: its simulation cannot be built.
        GatlingRun.Runner gatling = (simulation, props, outDir, description, timeout) ->
                GatlingRun.run(description.startsWith("langchain4j") ? BrokenSimulation.class : simulation, props, outDir,
                        description, timeout);

        Outcome outcome = run(root, "all", gatling);

        assertEquals(1, outcome.status, "a harness fault makes the runner exit 1");
        RunRecord record = outcome.record;
        assertEquals(List.of("javalin", "spring-boot", "quarkus", "helidon-se", "langchain4j"),
                record.stacks().stream().map(RunRecord.StackResult::stack).toList());
        Map<String, RunRecord.StackResult> by = new LinkedHashMap<>();
        record.stacks().forEach(s -> by.put(s.stack(), s));

        assertMeasured(by.get("javalin"));
        assertInvalid(by.get("spring-boot"), "did not answer 200 on /health/ready within");
        assertInvalid(by.get("quarkus"), "exited with status 3");
        assertInvalid(by.get("helidon-se"), "is answered by another process");
        assertTrue(by.get("helidon-se").reasons().getFirst().contains("the port was taken"), by.get("helidon-se").reasons().toString());
        assertInvalid(by.get("langchain4j"), "Gatling failed running BrokenSimulation: java.lang.IllegalStateException: broken on purpose");
        assertTrue(by.get("langchain4j").reasons().getFirst().startsWith("harness fault"), by.get("langchain4j").reasons().toString());
        // Each fault was said on the console too.
        for (String s : List.of("spring-boot: INVALID", "quarkus: INVALID", "helidon-se: INVALID", "langchain4j: INVALID")) {
            assertTrue(outcome.console.contains(s), "console mentions " + s);
        }
        assertEquals(before, snapshot(root, before.keySet()), "earlier run and baseline untouched");
        assertNoSquatterLeft(root);
    }

    @Test
    void aFailedDiskWriteMakesThatStackInvalid(@TempDir Path root) throws Exception {
        fakeJar(root, Stacks.JAVALIN, "disk-fault");
        fakeJar(root, Stacks.QUARKUS, "good");
        Map<Path, String> before = earlierRunAndBaseline(root);

        Outcome outcome = run(root, "javalin,quarkus", GatlingRun::run);

        assertEquals(1, outcome.status);
        RunRecord.StackResult javalin = outcome.record.stacks().get(0);
        assertInvalid(javalin, "a disk write failed: java.nio.file.FileAlreadyExistsException");
        assertMeasured(outcome.record.stacks().get(1));
        assertEquals(before, snapshot(root, before.keySet()), "earlier run and baseline untouched");
    }

    private static void assertMeasured(RunRecord.StackResult s) {
        assertEquals(RunRecord.Status.VALID, s.status(), s.stack() + ": " + s.reasons());
        RunRecord.Workload tabular = s.workloads().get("tabular");
        assertEquals(2, tabular.scenarios().get("sweep").steps().size());
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

    private record Outcome(int status, RunRecord record, String console) {
    }

    private static Outcome run(Path root, String stacks, GatlingRun.Runner gatling) throws Exception {
        Map<String, String> props = new TreeMap<>();
        props.put("bench.profile", "bench-smoke");
        props.put("bench.stacks", stacks);
        props.put("bench.scenarios", "sweep,overload");
        props.put("bench.workloads", "tabular");
        props.put("bench.warmup", "0");
        // Gatling's closed-model injection works in whole seconds: a step shorter than 1 s never ends.
        props.put("bench.window", "1");
        props.put("bench.windows", "1");
        props.put("bench.concurrency", "1,4");
        props.put("bench.probeRequests", "50");
        // The fake stacks serve the tabular workload only; the smoke profile's default overload workload is search.
        props.put("bench.overloadWorkloads", "tabular");
        props.put("bench.overloadSeconds", "1");
        props.put("bench.recoverySeconds", "2");
        props.put("bench.recoveryWindowRequests", "50");
        // Long enough for two JVMs to start on a busy machine (port-taken starts the squatter first);
        // the never-ready stack waits it out, so not longer.
        props.put("bench.readyTimeout", "20");
        BenchSettings settings;
        props.forEach(System::setProperty);
        try {
            settings = BenchSettings.fromSystemProperties();
        } finally {
            props.keySet().forEach(System::clearProperty);
        }
        JvmSettings jvm = new JvmSettings(Path.of(System.getProperty("java.home"), "bin", "java"), List.of("-Xmx64m"), null);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream out = System.out;
        int status;
        System.setOut(new PrintStream(new Tee(out, console), true, StandardCharsets.UTF_8));
        try {
            status = new BenchRunner(settings, root, jvm, new Progress(settings.stacks().size(), 10), RunnerFaultTest::minimalConformance,
                    gatling).run();
        } finally {
            System.setOut(out);
        }
        Path runs = root.resolve("results/runs");
        Path newest;
        try (Stream<Path> dirs = Files.list(runs)) {
            newest = dirs.filter(p -> !p.getFileName().toString().startsWith("2025")).filter(p -> !p.getFileName().toString().startsWith("."))
                    .findFirst().orElseThrow();
        }
        return new Outcome(status, RunRecords.read(newest.resolve("run.json")), console.toString(StandardCharsets.UTF_8));
    }

    /** The fake stacks are not the contract's servers: the check they must pass is ready, /info and one prediction. */
    private static RunRecord.Conformance minimalConformance(URI base, String stack, boolean genAi) {
        List<String> failures = new ArrayList<>();
        try {
            for (String path : List.of(Contract.READY, Contract.INFO)) {
                int status = CLIENT.send(HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode();
                if (status != 200) {
                    failures.add("GET " + path + ": " + status);
                }
            }
            HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(base.resolve(Contract.PREDICT))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Workload.TABULAR.bodies(1).getFirst())).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200 || !r.body().contains("predictions")) {
                failures.add("POST /predict: " + r.statusCode());
            }
        } catch (IOException | InterruptedException e) {
            failures.add(e.toString());
        }
        return new RunRecord.Conformance(failures.isEmpty(), 3, failures.size(), failures);
    }

    /** Writes a runnable jar of FakeStack (its classes from the test classpath) at the stack's jar path. */
    private static void fakeJar(Path root, Stacks stack, String mode) throws Exception {
        Path classes = Path.of(FakeStack.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path jar = stack.jar(root);
        Files.createDirectories(jar.getParent());
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, FakeStack.class.getName());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
             Stream<Path> files = Files.list(classes.resolve("dev/predictbench/gatling"))) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("FakeStack")).toList()) {
                out.putNextEntry(new JarEntry("dev/predictbench/gatling/" + f.getFileName()));
                out.write(Files.readAllBytes(f));
                out.closeEntry();
            }
            out.putNextEntry(new JarEntry("fake-stack-mode"));
            out.write(mode.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
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

    /** Writes to two streams. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
