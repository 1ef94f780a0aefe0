package dev.predictbench.gatling;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Servers of this checkout left running by an earlier run that died (their parent gone): they would
 * take the server CPU from the stacks measured now, so the runner stops them before it starts and
 * records that it did. A server whose parent is still a live Java process (another run, a test) is
 * left alone and reported.
 */
final class Leftovers {
    private Leftovers() {
    }

    static List<String> stopOrphans(Path root) {
        String servers = root.toAbsolutePath().normalize().resolve("servers").toString();
        String python = root.toAbsolutePath().normalize().resolve(dev.predictbench.contract.Stacks.Launch.PYTHON).toString();
        List<String> out = new ArrayList<>();
        long self = ProcessHandle.current().pid();
        ProcessHandle.allProcesses().filter(p -> p.pid() != self).forEach(p -> {
            Optional<String> cmd = p.info().commandLine();
            boolean jvm = cmd.isPresent() && cmd.get().contains(" -jar " + servers + "/") && cmd.get().endsWith(".jar");
            // A Python stack's server and its workers run the Python stacks' interpreter of this checkout.
            boolean py = argv0(p.pid()).startsWith(python);
            if (!jvm && !py) {
                return;
            }
            Optional<ProcessHandle> parent = p.parent();
            // A worker whose server is alive is the server's to stop; a server started by a live runner or test is theirs.
            boolean orphan = parent.isEmpty() || parent.get().pid() == 1
                    || parent.get().info().command().map(c -> !c.endsWith("/java")).orElse(true)
                    && !argv0(parent.get().pid()).startsWith(python);
            String jar = jvm ? cmd.get().substring(cmd.get().lastIndexOf(' ') + 1) : cmd.get();
            if (!orphan) {
                out.add("a server of this checkout is running under another process (pid " + p.pid() + ", parent "
                        + parent.get().pid() + ", " + jar + "): left alone; it shares the server CPU with this run");
                return;
            }
            p.destroy();
            boolean gone = p.onExit().completeOnTimeout(null, 5, java.util.concurrent.TimeUnit.SECONDS).join() != null
                    || !p.isAlive();
            if (!gone) {
                p.destroyForcibly();
            }
            out.add("stopped a server left running by an earlier run (pid " + p.pid() + ", " + jar + ")"
                    + (gone ? "" : " with SIGKILL"));
        });
        return out;
    }

    /**
     * The program a process was started as ({@code /proc/<pid>/cmdline}'s first argument), not the file
     * it runs: a virtual environment's {@code bin/python} is a link to the interpreter, which is what
     * {@link ProcessHandle.Info#command()} names. Empty when unreadable.
     */
    static String argv0(long pid) {
        try {
            byte[] cmdline = java.nio.file.Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            int end = 0;
            while (end < cmdline.length && cmdline[end] != 0) {
                end++;
            }
            return new String(cmdline, 0, end, java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException | RuntimeException e) {
            return "";
        }
    }

    /** How long the stop of one leftover may take. */
    static final Duration GRACE = Duration.ofSeconds(5);
}
