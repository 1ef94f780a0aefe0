package dev.predictbench.gatling;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time and resident memory of a Linux process, from {@code /proc}: the source of the run
 * record's server CPU per request, server RSS and load-generator CPU share.
 */
public final class ProcStats {
    /** Clock ticks per second of {@code utime}/{@code stime} (USER_HZ, 100 on Linux). */
    static final double TICKS_PER_SECOND = 100.0;

    private ProcStats() {
    }

    /** One reading. {@code cpuSeconds} is user + system time; negative values mean "not available". */
    public record Sample(long nanos, double cpuSeconds, long rssBytes) {
        public static final Sample NONE = new Sample(0, -1, -1);

        public boolean available() {
            return cpuSeconds >= 0;
        }
    }

    /** Reads a process's CPU time and RSS now; {@link Sample#NONE} when it cannot (no /proc, gone). */
    public static Sample sample(long pid) {
        long now = System.nanoTime();
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // Fields after the command name, which is in parentheses and may hold spaces.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return new Sample(now, ticks / TICKS_PER_SECOND, rss(pid));
        } catch (IOException | RuntimeException e) {
            return Sample.NONE;
        }
    }

    /**
     * The machine's CPU time so far from the first line of {@code /proc/stat}, in clock ticks: all of
     * it, and the part stolen by the hypervisor for other guests; {@code null} when unreadable.
     */
    public static long[] machineTicks() {
        try (java.io.BufferedReader r = Files.newBufferedReader(Path.of("/proc/stat"))) {
            String[] f = r.readLine().trim().split("\\s+");
            long total = 0;
            // cpu user nice system idle iowait irq softirq steal [guest guest_nice, already counted in user/nice]
            for (int i = 1; i <= Math.min(8, f.length - 1); i++) {
                total += Long.parseLong(f[i]);
            }
            return new long[] {total, f.length > 8 ? Long.parseLong(f[8]) : 0};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static long rss(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }
}
