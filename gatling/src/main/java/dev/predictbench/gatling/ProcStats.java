package dev.predictbench.gatling;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * CPU time and resident memory of a Linux process and the processes it started, from {@code /proc}:
 * the source of the run record's server CPU per request, server RSS and load-generator CPU share.
 * A server is its process tree (gunicorn's and uvicorn's worker processes are children of the one the
 * runner launched; a JVM server is one process): CPU time and RSS are summed over the tree, the same
 * way for every stack. Summed RSS counts pages that forked processes share once per process.
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
        try (Reader reader = new Reader(pid)) {
            return reader.sample();
        }
    }

    /**
     * Every thread's time on a CPU so far, in nanoseconds, by thread id, over the process and the
     * processes below it: the first field of
     * {@code /proc/<pid>/task/<tid>/schedstat} (the scheduler's own accounting, not clock ticks).
     * Empty when the process is gone or there is no such file.
     */
    public static java.util.Map<Long, Long> taskRunNanos(long pid) {
        java.util.Map<Long, Long> out = new java.util.HashMap<>();
        for (long process : tree(pid)) {
            out.putAll(processTaskRunNanos(process));
        }
        return out;
    }

    /** Threads and resident memory of a process and every process below it, from {@code /proc/<pid>/status}. */
    public record TreeUse(long threads, long rssBytes) {
    }

    /** {@link TreeUse} now; -1 each when the process is gone. */
    public static TreeUse treeUse(long pid) {
        long threads = 0;
        long rss = 0;
        boolean any = false;
        for (long process : tree(pid)) {
            try {
                for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc", Long.toString(process), "status"))) {
                    if (line.startsWith("Threads:")) {
                        threads += Long.parseLong(line.substring(8).trim());
                        any = true;
                    } else if (line.startsWith("VmRSS:")) {
                        rss += Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
                    }
                }
            } catch (java.io.IOException | RuntimeException e) {
                // The process ended between listing and reading: it holds no threads now.
            }
        }
        return any ? new TreeUse(threads, rss) : new TreeUse(-1, -1);
    }

    /** {@code pid} and every process below it now (thread ids are unique across processes). */
    static java.util.List<Long> tree(long pid) {
        java.util.List<Long> pids = new java.util.ArrayList<>(java.util.List.of(pid));
        ProcessHandle.of(pid).ifPresent(p -> p.descendants().forEach(d -> pids.add(d.pid())));
        return pids;
    }

    private static java.util.Map<Long, Long> processTaskRunNanos(long pid) {
        java.util.Map<Long, Long> out = new java.util.HashMap<>();
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        try (java.util.stream.Stream<Path> list = java.nio.file.Files.list(tasks)) {
            for (Path task : (Iterable<Path>) list::iterator) {
                try {
                    String text = java.nio.file.Files.readString(task.resolve("schedstat")).trim();
                    int space = text.indexOf(' ');
                    out.put(Long.parseLong(task.getFileName().toString()), Long.parseLong(space < 0 ? text : text.substring(0, space)));
                } catch (IOException | RuntimeException e) {
                    // The thread ended between listing and reading: counted as gone by between().
                }
            }
        } catch (IOException | RuntimeException e) {
            return java.util.Map.of();
        }
        return out;
    }

    /**
     * CPU time between two {@link #taskRunNanos} readings of one process: threads in both by their
     * difference, threads that started in between by all of theirs. Threads that ended in between
     * took their time with them: {@code gone} counts them.
     */
    public record TaskCpu(long nanos, int threads, int gone) {
        public static TaskCpu between(java.util.Map<Long, Long> before, java.util.Map<Long, Long> after) {
            long nanos = 0;
            for (java.util.Map.Entry<Long, Long> e : after.entrySet()) {
                Long was = before.get(e.getKey());
                nanos += Math.max(0, e.getValue() - (was == null ? 0 : was));
            }
            int gone = (int) before.keySet().stream().filter(t -> !after.containsKey(t)).count();
            return new TaskCpu(nanos, after.size(), gone);
        }
    }

    /**
     * The machine's CPU time so far from the first line of {@code /proc/stat}, in clock ticks: all of
     * it, and the part stolen by the hypervisor for other guests; {@code null} when unreadable.
     */
    public static long[] machineTicks() {
        try (Reader reader = new Reader(0)) {
            return reader.machineTicks();
        }
    }

    /**
     * Reads one process's CPU time and RSS, and the machine's CPU ticks, again and again without
     * making garbage or opening files: the files stay open and are read from their start into one
     * buffer, and the numbers are parsed in place. The load client reads it between two windows,
     * on its sending thread, so a reading costs microseconds even before the JIT has compiled it
     * (parsing with strings and regular expressions took milliseconds there).
     */
    public static final class Reader implements AutoCloseable {
        /** The process's and its descendants' files, the process first. */
        private final FileChannel[] stat;
        private final FileChannel[] status;
        private final FileChannel machine;
        private final ByteBuffer buffer = ByteBuffer.allocate(8192);

        /**
         * A reader of process {@code pid} and the processes below it when the reader is made (a
         * server's workers are started before it is ready); 0: the machine only.
         */
        public Reader(long pid) {
            java.util.List<Long> pids = pid > 0 ? tree(pid) : java.util.List.of();
            stat = new FileChannel[pids.size()];
            status = new FileChannel[pids.size()];
            for (int i = 0; i < pids.size(); i++) {
                stat[i] = open(Path.of("/proc", Long.toString(pids.get(i)), "stat"));
                status[i] = open(Path.of("/proc", Long.toString(pids.get(i)), "status"));
            }
            machine = open(Path.of("/proc/stat"));
        }

        /** The number of processes read (the process and its descendants found when the reader was made). */
        public int processes() {
            return stat.length;
        }

        private static FileChannel open(Path file) {
            try {
                return FileChannel.open(file, StandardOpenOption.READ);
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        /**
         * The process and its descendants now, summed, or {@link Sample#NONE} when the process
         * itself cannot be read; a descendant that has ended adds nothing.
         */
        public Sample sample() {
            long now = System.nanoTime();
            double cpu = 0;
            long rss = 0;
            for (int i = 0; i < stat.length; i++) {
                Sample one = sample(stat[i], status[i], now);
                if (!one.available()) {
                    if (i == 0) {
                        return Sample.NONE;
                    }
                    continue;
                }
                cpu += one.cpuSeconds();
                rss += Math.max(0, one.rssBytes());
            }
            return stat.length == 0 ? Sample.NONE : new Sample(now, cpu, rss);
        }

        private Sample sample(FileChannel stat, FileChannel status, long now) {
            int n = fill(stat);
            if (n <= 0) {
                return Sample.NONE;
            }
            byte[] b = buffer.array();
            int at = n - 1;
            while (at >= 0 && b[at] != ')') {
                at--;
            }
            // Fields after the command name: state is field 0, utime 11, stime 12.
            at = field(b, at + 2, n, 11);
            long utime = digits(b, at, n);
            long stime = digits(b, field(b, at, n, 1), n);
            if (at < 0 || utime < 0 || stime < 0) {
                return Sample.NONE;
            }
            return new Sample(now, (utime + stime) / TICKS_PER_SECOND, rss(status));
        }

        private long rss(FileChannel status) {
            int n = fill(status);
            byte[] b = buffer.array();
            for (int at = 0; at + 6 < n; at++) {
                if ((at == 0 || b[at - 1] == '\n') && b[at] == 'V' && b[at + 1] == 'm' && b[at + 2] == 'R' && b[at + 3] == 'S'
                        && b[at + 4] == 'S' && b[at + 5] == ':') {
                    at += 6;
                    while (at < n && b[at] == ' ' || at < n && b[at] == '\t') {
                        at++;
                    }
                    long kb = digits(b, at, n);
                    return kb < 0 ? -1 : kb * 1024;
                }
            }
            return -1;
        }

        /** As {@link ProcStats#machineTicks()}. */
        public long[] machineTicks() {
            int n = fill(machine);
            byte[] b = buffer.array();
            if (n < 4 || b[0] != 'c' || b[1] != 'p' || b[2] != 'u' || b[3] != ' ') {
                return null;
            }
            int at = 3;
            long total = 0;
            long steal = 0;
            // cpu user nice system idle iowait irq softirq steal [guest guest_nice, already counted in user/nice]
            for (int i = 1; i <= 8; i++) {
                while (at < n && b[at] == ' ') {
                    at++;
                }
                if (at >= n || b[at] == '\n') {
                    break;
                }
                long v = digits(b, at, n);
                if (v < 0) {
                    return null;
                }
                total += v;
                if (i == 8) {
                    steal = v;
                }
                while (at < n && b[at] != ' ' && b[at] != '\n') {
                    at++;
                }
            }
            return new long[] {total, steal};
        }

        /** Reads the whole file from its start into the buffer: its length, or -1. */
        private int fill(FileChannel channel) {
            if (channel == null) {
                return -1;
            }
            buffer.clear();
            try {
                long position = 0;
                int read;
                while (buffer.hasRemaining() && (read = channel.read(buffer, position)) > 0) {
                    position += read;
                }
                return buffer.position();
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }

        /** Where the field {@code skip} spaces after {@code at} starts; -1 past the end. */
        private static int field(byte[] b, int at, int n, int skip) {
            if (at < 0) {
                return -1;
            }
            for (int i = 0; i < skip; i++) {
                while (at < n && b[at] != ' ') {
                    at++;
                }
                at++;
            }
            return at < n ? at : -1;
        }

        /** The decimal number starting at {@code at}; -1 when there is none. */
        private static long digits(byte[] b, int at, int n) {
            if (at < 0 || at >= n || b[at] < '0' || b[at] > '9') {
                return -1;
            }
            long v = 0;
            while (at < n && b[at] >= '0' && b[at] <= '9') {
                v = v * 10 + (b[at++] - '0');
            }
            return v;
        }

        @Override
        public void close() {
            java.util.List<FileChannel> all = new java.util.ArrayList<>(java.util.Arrays.asList(stat));
            all.addAll(java.util.Arrays.asList(status));
            all.add(machine);
            for (FileChannel c : all) {
                if (c != null) {
                    try {
                        c.close();
                    } catch (IOException ignored) {
                        // A /proc file: nothing to flush.
                    }
                }
            }
        }
    }
}
