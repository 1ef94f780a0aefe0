package dev.predictbench.gatling.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The load client as a child process of the runner (so on the runner's CPU set and JDK) with
 * bounded memory: started once, warmed up once against a server of its own (so its JIT has
 * compiled its hot paths before it measures anyone), then handed one spec after another over its
 * standard input. A client that runs out of memory, out of open files, crashes or overruns a
 * spec's time bound is a {@link Fault} with that reason and whatever steps it finished; the next
 * spec starts a fresh client.
 */
public final class LoadProcess implements AutoCloseable {
    /**
     * The client JVM's flags: small fixed heap, and exit (not limp on) when it is exceeded. Its JIT
     * stops at C1: C2 keeps recompiling the client's hot loop long after start-up, and each
     * compilation (milliseconds of CPU on the client's own CPU) and each speculative compile thrown
     * away when a step starts counting held sends back by milliseconds; C1's code costs a few
     * microseconds more per request and is compiled within the warm-up.
     */
    public static final List<String> JVM_FLAGS = List.of("-Xms256m", "-Xmx256m", "-XX:+UseParallelGC",
            "-XX:+ExitOnOutOfMemoryError", "-XX:ActiveProcessorCount=1", "-XX:TieredStopAtLevel=1");
    /** A one-line description for run records. */
    public static final String CLIENT = "predict-bench load client (java.nio, one I/O thread, bounded keep-alive connections, "
            + "HdrHistogram in microseconds), in its own JVM (" + String.join(" ", JVM_FLAGS) + ")";
    static final String READY = "@@ready";
    static final String DONE = "@@done ";
    static final String FAILED = "@@failed ";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> launcher;
    private final boolean warm;
    /** Where the client's output goes now: the log of the spec it is running. */
    private volatile Path log;
    private Process process;
    private PrintWriter commands;
    private BlockingQueue<String> replies;
    private int starts;

    /**
     * @param launcher a command that runs the rest of the line (such as {@code prlimit --nofile=64}); empty for none
     * @param warm     warm the client up against a server of its own when it starts
     */
    public LoadProcess(List<String> launcher, boolean warm) {
        this.launcher = List.copyOf(launcher);
        this.warm = warm;
    }

    /** One spec in a client of its own, not warmed up (tests, one-off runs). */
    public static List<StepOutcome> run(LoadMain.Spec spec, long timeoutSeconds) throws IOException, InterruptedException {
        return run(spec, timeoutSeconds, List.of());
    }

    /** One spec in a client of its own started through {@code launcher}. */
    public static List<StepOutcome> run(LoadMain.Spec spec, long timeoutSeconds, List<String> launcher)
            throws IOException, InterruptedException {
        try (LoadProcess p = new LoadProcess(launcher, false)) {
            return p.execute(spec, timeoutSeconds);
        }
    }

    /** How many times a client process was started (a restart follows each fault). */
    public int starts() {
        return starts;
    }

    /** The client failed: the reason for a person, and the steps it finished before. */
    public static final class Fault extends IOException {
        private final transient List<StepOutcome> finished;

        Fault(String message, List<StepOutcome> finished) {
            super(message);
            this.finished = finished;
        }

        public List<StepOutcome> finished() {
            return finished;
        }
    }

    /**
     * Runs a spec in the client, starting (and warming) one first if none is running.
     *
     * @param timeoutSeconds the client is killed after this and the run is a fault
     */
    public synchronized List<StepOutcome> execute(LoadMain.Spec spec, long timeoutSeconds) throws IOException, InterruptedException {
        Path out = Path.of(spec.outDir());
        Files.createDirectories(out);
        Path specFile = out.resolve(spec.prefix() + "-spec.json");
        JSON.writerWithDefaultPrettyPrinter().writeValue(specFile.toFile(), spec);
        Path outcomeFile = out.resolve(spec.prefix() + "-outcome.json");
        Files.deleteIfExists(outcomeFile);
        log = out.resolve(spec.prefix() + "-client.log");
        Files.deleteIfExists(log);
        if (process == null || !process.isAlive()) {
            start();
        }
        commands.println("run " + specFile);
        commands.flush();
        String reply = replies.poll(timeoutSeconds, TimeUnit.SECONDS);
        List<StepOutcome> finished = read(outcomeFile);
        if (reply == null) {
            boolean died = !process.isAlive();
            kill();
            throw new Fault(died ? reason() : "the load client did not finish within " + timeoutSeconds + " s (killed)", finished);
        }
        if (reply.startsWith(FAILED)) {
            String why = reply.substring(FAILED.length());
            kill();
            throw new Fault(why.contains("Too many open files") ? "the load generator ran out of open files (" + why + ")"
                    : "the load generator failed: " + why, finished);
        }
        if (!reply.startsWith(DONE)) {
            kill();
            throw new Fault(reason(), finished);
        }
        if (finished.size() != spec.steps().size()) {
            throw new Fault("the load client measured " + finished.size() + " of " + spec.steps().size() + " steps", finished);
        }
        return finished;
    }

    private void start() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(launcher);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_FLAGS);
        String poll = System.getProperty(LoadClient.POLL_PROPERTY);
        if (poll != null && !poll.isBlank()) {
            command.add("-D" + LoadClient.POLL_PROPERTY + "=" + poll);
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(LoadMain.class.getName());
        command.add(warm ? "--agent-warm" : "--agent");
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        starts++;
        commands = new PrintWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
        replies = new LinkedBlockingQueue<>();
        BlockingQueue<String> mine = replies;
        Process p = process;
        Thread reader = new Thread(() -> relay(p, mine), "load-client-output");
        reader.setDaemon(true);
        reader.start();
        String ready = replies.poll(120, TimeUnit.SECONDS);
        if (!READY.equals(ready)) {
            boolean died = !process.isAlive();
            kill();
            throw new Fault(died ? reason() : "the load client did not start within 120 s", List.of());
        }
    }

    /**
     * Copies the client's output to the current spec's log (a few lines per step) and its protocol
     * lines to the queue; when the process ends, puts {@code @@exit <status>} on the queue.
     */
    private void relay(Process p, BlockingQueue<String> queue) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("@@")) {
                    queue.add(line);
                } else {
                    try {
                        Files.writeString(log, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    } catch (IOException e) {
                        // The log cannot be written: the run goes on, the line is lost.
                    }
                }
            }
        } catch (IOException e) {
            // The process is gone: the caller sees the missing reply.
        }
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        queue.add("@@exit " + (p.isAlive() ? "?" : Integer.toString(p.exitValue())));
    }

    private void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        process = null;
    }

    @Override
    public synchronized void close() {
        if (process == null) {
            return;
        }
        commands.println("exit");
        commands.flush();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Why the client stopped, from its exit status and its log. */
    private String reason() throws InterruptedException {
        int status = -1;
        if (process != null && process.waitFor(5, TimeUnit.SECONDS)) {
            status = process.exitValue();
        }
        return reason(status, log);
    }

    /** Why a client stopped, from its exit status and what it wrote to the log of the spec it was running. */
    static String reason(int status, Path log) {
        String text;
        try {
            text = Files.readString(log, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            text = "";
        }
        if (text.contains("OutOfMemoryError")) {
            String heap = JVM_FLAGS.stream().filter(f -> f.startsWith("-Xmx")).map(f -> f.substring(4)).findFirst().orElse("?");
            return "the load generator ran out of memory (heap " + heap + "; exit status " + status + ")";
        }
        if (text.contains("Too many open files")) {
            return "the load generator ran out of open files (exit status " + status + ")";
        }
        String last = text.lines().filter(l -> l.contains("Exception") || l.contains("Error")).reduce((a, b) -> b).orElse("");
        return "the load generator failed with exit status " + status + (last.isEmpty() ? "" : ": " + last.trim());
    }

    private static List<StepOutcome> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try {
            return List.of(JSON.readValue(file.toFile(), StepOutcome[].class));
        } catch (IOException e) {
            return List.of();
        }
    }
}
