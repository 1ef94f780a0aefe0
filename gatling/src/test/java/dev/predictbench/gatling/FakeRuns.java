package dev.predictbench.gatling;

import dev.predictbench.contract.Contract;
import dev.predictbench.contract.Stacks;
import dev.predictbench.contract.launch.JvmSettings;
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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Runs the real {@link BenchRunner} against {@link FakeStack} jars in a temporary checkout: what the
 * fault and calibration tests share.
 */
final class FakeRuns {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private FakeRuns() {
    }

    /** The runner's exit status, the record it wrote and what it printed. */
    record Outcome(int status, RunRecord record, String console, Path runDir) {
    }

    /** Settings for a short smoke run of the tabular workload; {@code overrides} replace or add bench.* properties. */
    static BenchSettings settings(String stacks, Map<String, String> overrides) {
        Map<String, String> props = new TreeMap<>();
        props.put("bench.profile", "bench-smoke");
        props.put("bench.stacks", stacks);
        props.put("bench.scenarios", "sweep,overload");
        props.put("bench.workloads", "tabular");
        props.put("bench.warmup", "0");
        props.put("bench.window", "1");
        props.put("bench.windows", "3");
        props.put("bench.maxWindows", "4");
        props.put("bench.warmupCap", "2");
        props.put("bench.warmupChunk", "0.5");
        // The fault tests judge the harness's bookkeeping, not how steady a fake server is on a busy machine.
        props.put("bench.tolerance", "0.6");
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
        // The fake stacks have no /chat: the llm workload is a test of its own.
        props.put("bench.llm", "false");
        props.putAll(overrides);
        props.forEach(System::setProperty);
        try {
            return BenchSettings.fromSystemProperties();
        } finally {
            props.keySet().forEach(System::clearProperty);
        }
    }

    static Outcome run(Path root, BenchSettings settings, LoadRunner load) throws Exception {
        JvmSettings jvm = new JvmSettings(Path.of(System.getProperty("java.home"), "bin", "java"), List.of("-Xmx64m"), null);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream out = System.out;
        int status;
        System.setOut(new PrintStream(new Tee(out, console), true, StandardCharsets.UTF_8));
        try {
            status = new BenchRunner(settings, root, jvm, new Progress(settings.stacks().size(), 10), FakeRuns::minimalConformance,
                    load).run();
        } finally {
            System.setOut(out);
        }
        Path runs = root.resolve("results/runs");
        Path newest;
        try (Stream<Path> dirs = Files.list(runs)) {
            newest = dirs.filter(p -> !p.getFileName().toString().startsWith("2025")).filter(p -> !p.getFileName().toString().startsWith("."))
                    .findFirst().orElseThrow();
        }
        return new Outcome(status, RunRecords.read(newest.resolve("run.json")), console.toString(StandardCharsets.UTF_8), newest);
    }

    /** The fake stacks are not the contract's servers: the check they must pass is ready, /info and one prediction. */
    static RunRecord.Conformance minimalConformance(URI base, String stack, boolean genAi) {
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
    static void fakeJar(Path root, Stacks stack, String mode) throws Exception {
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

    /** Writes to two streams. */
    static final class Tee extends OutputStream {
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
