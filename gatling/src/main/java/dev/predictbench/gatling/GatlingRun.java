package dev.predictbench.gatling;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Runs one simulation inside the runner's JVM (already pinned to the load generator's CPUs, and on
 * the same JDK as the servers) and returns where Gatling put its report, its statistics and the
 * simulation's timeline. In-process because a fresh Gatling JVM costs about 15 s of start-up and
 * report set-up on one core here, which would eat most of a smoke run; the runner's JVM flags
 * ({@link #JVM_FLAGS}) are set for Gatling and recorded in the run record.
 */
public final class GatlingRun {
    /**
     * The generator JVM's flags (the runner's own, set by the gatling module's pom). Gatling's actor
     * system blocks one of its pool threads while another initialises, so on a one-CPU set it
     * deadlocks unless the JVM sizes its pools for at least two processors.
     */
    public static final List<String> JVM_FLAGS = List.of("-Xms512m", "-Xmx1g", "-XX:+UseParallelGC",
            "-XX:ActiveProcessorCount=2", "--add-opens=java.base/java.lang=ALL-UNNAMED");

    private static final ExecutorService GATLING = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "gatling-run");
        t.setDaemon(true);
        return t;
    });

    /** How the runner starts one simulation: {@link GatlingRun#run} (tests put a seam here). */
    @FunctionalInterface
    public interface Runner {
        Result run(Class<?> simulation, Map<String, String> properties, Path outDir, String description, long timeoutSeconds)
                throws IOException, InterruptedException;
    }

    /** What one run left behind. */
    public record Result(Path reportDir, Map<String, GatlingStats.Request> stats, List<Timeline.Mark> marks) {
    }

    private GatlingRun() {
    }

    /**
     * @param simulation     the simulation class
     * @param properties     its settings ({@code baseUrl}, {@code bench.*}), set as system properties for the run
     * @param outDir         folder for Gatling's report folder and the timeline
     * @param timeoutSeconds the run is abandoned after this
     * @throws IOException when Gatling fails, times out or leaves no statistics
     */
    public static synchronized Result run(Class<?> simulation, Map<String, String> properties, Path outDir,
                                          String description, long timeoutSeconds) throws IOException, InterruptedException {
        Files.createDirectories(outDir);
        String name = simulation.getSimpleName().toLowerCase();
        Path timeline = outDir.resolve(name + "-" + System.nanoTime() + "-timeline.json");
        List<Path> before = reportDirs(outDir, name);
        properties.forEach(System::setProperty);
        System.setProperty("bench.timeline", timeline.toString());
        String[] args = {"-s", simulation.getName(), "-rf", outDir.toAbsolutePath().toString(), "-rd", description};
        Future<Integer> run = GATLING.submit(() -> io.gatling.app.Gatling$.MODULE$.fromArgs(args));
        int status;
        try {
            status = run.get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            run.cancel(true);
            throw new IOException(simulation.getSimpleName() + " did not finish within " + timeoutSeconds + " s");
        } catch (ExecutionException e) {
            // Gatling wraps what went wrong (e.g. InvocationTargetException around a simulation that
            // could not be built): the innermost cause is the message worth reading.
            Throwable root = e.getCause();
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            throw new IOException("Gatling failed running " + simulation.getSimpleName() + ": " + root, e.getCause());
        } finally {
            properties.keySet().forEach(System::clearProperty);
            System.clearProperty("bench.timeline");
        }
        if (status != 0) {
            throw new IOException("Gatling ended with status " + status + " running " + simulation.getSimpleName());
        }
        Path report = reportDirs(outDir, name).stream().filter(p -> !before.contains(p))
                .max(Comparator.naturalOrder())
                .orElseThrow(() -> new IOException("Gatling left no report folder in " + outDir));
        Files.move(timeline, report.resolve("timeline.json"));
        return new Result(report, GatlingStats.read(report), Timeline.read(report.resolve("timeline.json")));
    }

    private static List<Path> reportDirs(Path outDir, String name) throws IOException {
        try (Stream<Path> dirs = Files.list(outDir)) {
            return dirs.filter(Files::isDirectory).filter(p -> p.getFileName().toString().startsWith(name + "-")).toList();
        }
    }
}
