package dev.predictbench.gatling;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Which process listens on a TCP port, from {@code /proc/net/tcp}, {@code /proc/net/tcp6} and the
 * {@code socket:[inode]} links under {@code /proc/<pid>/fd}. The runner picks a free port and the
 * server binds it a little later; another process can take it in between, and then the server
 * fails to bind while the runner's requests reach that other process. This tells them apart.
 */
final class PortOwner {
    /**
     * @param known    whether the listening socket was found at all (no /proc: unknown)
     * @param ours     the launched process (or one of its descendants) holds it
     * @param otherPid the process that holds it instead, -1 when not found
     */
    record Verdict(boolean known, boolean ours, long otherPid) {
    }

    private PortOwner() {
    }

    static Verdict check(long pid, int port) {
        Set<String> inodes = listeningInodes(port);
        if (inodes.isEmpty()) {
            return new Verdict(false, false, -1);
        }
        Set<Long> ours = new HashSet<>();
        ours.add(pid);
        ProcessHandle.of(pid).ifPresent(p -> p.descendants().forEach(d -> ours.add(d.pid())));
        for (long p : ours) {
            if (holds(p, inodes)) {
                return new Verdict(true, true, -1);
            }
        }
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                long other = Long.parseLong(proc.getFileName().toString());
                if (!ours.contains(other) && holds(other, inodes)) {
                    return new Verdict(true, false, other);
                }
            }
        } catch (IOException e) {
            // the owner stays unknown
        }
        return new Verdict(true, false, -1);
    }

    /** Inodes of sockets listening on the port (state 0A) in /proc/net/tcp and tcp6. */
    static Set<String> listeningInodes(int port) {
        Set<String> inodes = new HashSet<>();
        String hexPort = String.format(Locale.ROOT, "%04X", port);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 9 && f[1].endsWith(":" + hexPort) && f[3].equals("0A")) {
                        inodes.add(f[9]);
                    }
                }
            } catch (IOException e) {
                // no such table here
            }
        }
        return inodes;
    }

    private static boolean holds(long pid, Set<String> inodes) {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.anyMatch(fd -> {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    return target.startsWith("socket:[") && inodes.contains(target.substring(8, target.length() - 1));
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
