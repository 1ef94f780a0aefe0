package dev.predictbench.contract.launch;

import dev.predictbench.contract.Stacks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One server started as its own process, the way the harness starts every stack: as its registry
 * entry says ({@code java [flags] -jar <jar>}, or a command line in the stack's folder), with
 * {@code HOST=127.0.0.1} and {@code PORT}, output to a log file. It knows
 * when it was launched, so start-up is measured from launch to the first {@code 200} of
 * {@code /health/ready} and to the first successful {@code /predict}.
 */
public final class ServerProcess implements AutoCloseable {
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

    private final Stacks stack;
    private final Process process;
    private final long launchedNanos;
    private final int port;
    private final Path log;
    private final List<String> command;

    private ServerProcess(Stacks stack, Process process, long launchedNanos, int port, Path log, List<String> command) {
        this.stack = stack;
        this.process = process;
        this.launchedNanos = launchedNanos;
        this.port = port;
        this.log = log;
        this.command = command;
    }

    /**
     * Launches a stack's server on a free loopback port.
     *
     * @throws IllegalStateException when the stack has not been built
     */
    public static ServerProcess start(Stacks stack, Path repoRoot, JvmSettings jvm, Path log, Map<String, String> env) {
        Path artifact = stack.artifact(repoRoot);
        java.util.Optional<String> unavailable = stack.unavailable(repoRoot);
        if (unavailable.isPresent()) {
            throw new Unavailable(stack.id() + " cannot run on this machine: " + unavailable.get());
        }
        if (!Files.isRegularFile(artifact)) {
            throw new IllegalStateException(stack.id() + ": " + artifact + " does not exist; build it with ./mvnw package");
        }
        int port = freePort();
        List<String> command = command(stack.launch(), repoRoot, jvm);
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory(stack.launch(), repoRoot).toFile())
                .redirectErrorStream(true).redirectOutput(log.toAbsolutePath().toFile());
        builder.environment().put("HOST", "127.0.0.1");
        builder.environment().put("PORT", Integer.toString(port));
        builder.environment().putAll(env);
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            long launched = System.nanoTime();
            return new ServerProcess(stack, builder.start(), launched, port, log, command);
        } catch (IOException e) {
            throw new UncheckedIOException(stack.id() + ": cannot launch " + String.join(" ", command), e);
        }
    }

    /** A stack whose build said it cannot run on this machine (no python3): skipped, with the build's reason. */
    public static final class Unavailable extends IllegalStateException {
        public Unavailable(String message) {
            super(message);
        }
    }

    /**
     * The command line that starts a server launched this way: a jar with the JVM's flags; a
     * command line with its {@code ./} arguments in the stack's folder and a relative program path
     * from the repository root, pinned as {@code jvm} says. */
    public static List<String> command(Stacks.Launch launch, Path repoRoot, JvmSettings jvm) {
        return switch (launch) {
            case Stacks.Launch.Jar jar -> jvm.command(repoRoot.resolve(jar.artifact()));
            case Stacks.Launch.Command c -> {
                Path directory = directory(c, repoRoot);
                List<String> argv = new java.util.ArrayList<>();
                for (String a : c.argv()) {
                    if (a.startsWith("./")) {
                        argv.add(directory.resolve(a).normalize().toString());
                    } else if (argv.isEmpty() && a.contains("/") && !a.startsWith("/")) {
                        argv.add(repoRoot.resolve(a).normalize().toString());
                    } else {
                        argv.add(a);
                    }
                }
                yield jvm.pinned(argv);
            }
        };
    }

    /** Where a server launched this way runs: a command line in its folder, a jar at the repository root. */
    private static Path directory(Stacks.Launch launch, Path repoRoot) {
        return launch instanceof Stacks.Launch.Command c ? repoRoot.resolve(c.directory()) : repoRoot;
    }

    public Stacks stack() {
        return stack;
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public long pid() {
        return process.pid();
    }

    public Process process() {
        return process;
    }

    public List<String> command() {
        return command;
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Waits until {@code GET path} answers 200 (or, with a body, {@code POST path} does).
     *
     * @return time from launch to that first 200
     * @throws IllegalStateException when the process dies or the timeout passes first, with the log's tail
     */
    public Duration awaitOk(String path, String jsonBody, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest.Builder request = HttpRequest.newBuilder(baseUri().resolve(path)).timeout(Duration.ofSeconds(5));
        if (jsonBody != null) {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(jsonBody));
        }
        HttpRequest built = request.build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(stack.id() + " exited with status " + process.exitValue()
                        + " before " + path + " answered 200; log tail:\n" + logTail(20));
            }
            try {
                if (CLIENT.send(built, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return Duration.ofNanos(System.nanoTime() - launchedNanos);
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + stack.id(), e);
            }
            sleep(10);
        }
        throw new IllegalStateException(stack.id() + " did not answer 200 on " + path + " within " + timeout
                + "; log tail:\n" + logTail(20));
    }

    /** The last lines of the server's log, for messages. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /**
     * Stops the server: SIGTERM, a bounded wait, then SIGKILL; then SIGKILL to any of its child
     * processes still alive.
     *
     * @return true when it stopped on SIGTERM within the grace period
     */
    public boolean stop(Duration grace) {
        // A server's own processes (gunicorn's and uvicorn's workers) are its process's descendants:
        // SIGTERM goes to the process, which stops them; any left after it has gone are killed.
        List<ProcessHandle> children = process.descendants().toList();
        try {
            if (!process.isAlive()) {
                return true;
            }
            process.destroy();
            try {
                if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    return true;
                }
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
            return false;
        } finally {
            children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
