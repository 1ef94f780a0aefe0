package dev.predictbench.gatling;

import dev.predictbench.results.RunRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The open-file limit the run works under. The load client opens at most
 * {@code max(bench.connections, bench.overloadConnections)} sockets plus its files, so the run
 * needs only that much; when the soft limit is lower and the hard limit allows, the runner raises
 * its own soft limit (prlimit, util-linux) before it starts the load client and the servers, which
 * inherit it, and records what it did. Nothing needs raising by hand.
 */
final class Limits {
    /** Files the client and the runner keep open besides the sockets (jars, logs, the JDK's own). */
    static final long HEADROOM = 512;

    private Limits() {
    }

    static long needed(BenchSettings settings) {
        // The llm workload's server holds each client's connection and one to the upstream per stream.
        long llm = settings.llm() == null || !settings.llm().enabled() ? 0
                : 2L * settings.llm().concurrency().getLast();
        return Math.max(Math.max(settings.connections(), settings.overloadConnections()), llm) + HEADROOM;
    }

    /** Reads the limit and raises the soft one to what the run needs when it is lower. */
    static RunRecord.Limits ensure(BenchSettings settings) {
        long[] before = read();
        long need = needed(settings);
        if (before == null) {
            return new RunRecord.Limits(null, null, null, "no /proc/self/limits: the open-file limit is unknown; the run "
                    + "needs about " + need);
        }
        if (before[0] >= need) {
            return new RunRecord.Limits(before[0], before[1], before[0], "soft limit " + before[0] + " covers the "
                    + need + " the run needs (load client connections + " + HEADROOM + "): not raised");
        }
        long target = Math.min(before[1], Math.max(need, 4096));
        boolean raised = raise(target);
        long[] after = read();
        long used = after == null ? before[0] : after[0];
        String note = raised && used >= need
                ? "soft limit raised from " + before[0] + " to " + used + " (prlimit on the runner; the load client and "
                        + "servers inherit it): the run needs " + need
                : "soft limit " + before[0] + " is below the " + need + " the run needs and could not be raised (hard "
                        + before[1] + "): steps may fail with 'too many open files', and say so";
        return new RunRecord.Limits(before[0], before[1], used, note);
    }

    /** {soft, hard} open files of this process, or null. */
    static long[] read() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String[] f = line.substring("Max open files".length()).trim().split("\\s+");
                    return new long[] {parse(f[0]), parse(f[1])};
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    private static long parse(String v) {
        return v.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(v);
    }

    private static boolean raise(long soft) {
        return Commands.succeeds("prlimit", "--pid", Long.toString(ProcessHandle.current().pid()), "--nofile=" + soft + ":");
    }
}
