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
        List<String> out = new ArrayList<>();
        long self = ProcessHandle.current().pid();
        ProcessHandle.allProcesses().filter(p -> p.pid() != self).forEach(p -> {
            Optional<String> cmd = p.info().commandLine();
            if (cmd.isEmpty() || !cmd.get().contains(" -jar " + servers + "/") || !cmd.get().endsWith(".jar")) {
                return;
            }
            Optional<ProcessHandle> parent = p.parent();
            boolean orphan = parent.isEmpty() || parent.get().pid() == 1
                    || parent.get().info().command().map(c -> !c.endsWith("/java")).orElse(true);
            String jar = cmd.get().substring(cmd.get().lastIndexOf(' ') + 1);
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

    /** How long the stop of one leftover may take. */
    static final Duration GRACE = Duration.ofSeconds(5);
}
