package dev.predictbench.gatling;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Marks written by a simulation at the start of every window and at the end: when (nanoTime and
 * wall clock), and the server's and the load generator's CPU time and RSS at that moment. The runner
 * turns consecutive marks into per-window durations, server CPU and generator CPU.
 */
public final class Timeline {
    /** One mark; {@code label} is the window that starts here ({@code end} after the last). */
    public record Mark(String label, long nanos, long epochMillis, double serverCpuSeconds, long serverRssBytes,
                       double generatorCpuSeconds) {
    }

    private final long serverPid;
    private final List<Mark> marks = new ArrayList<>();

    public Timeline(long serverPid) {
        this.serverPid = serverPid;
    }

    public synchronized void mark(String label) {
        ProcStats.Sample server = serverPid > 0 ? ProcStats.sample(serverPid) : ProcStats.Sample.NONE;
        ProcStats.Sample self = ProcStats.sample(ProcessHandle.current().pid());
        marks.add(new Mark(label, System.nanoTime(), System.currentTimeMillis(), server.cpuSeconds(),
                server.rssBytes(), self.cpuSeconds()));
    }

    public synchronized List<Mark> marks() {
        return List.copyOf(marks);
    }

    public synchronized void write(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), marks);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write timeline " + file, e);
        }
    }

    public static List<Mark> read(Path file) throws IOException {
        return List.of(new ObjectMapper().readValue(file.toFile(), Mark[].class));
    }
}
