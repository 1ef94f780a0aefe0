package dev.predictbench.gatling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictbench.contract.Stacks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the runner stops before it starts: servers of this checkout whose runner is gone, JVM or Python. */
class LeftoversTest {
    @Test
    void aPythonServerWhoseRunnerIsGoneIsStoppedAndOneUnderALiveRunnerIsLeftAlone(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("servers"));
        String python = root.resolve(Stacks.Launch.PYTHON).toString();
        // Started as the venv's interpreter (argv[0]), as a launched Python server and its workers are.
        Process underUs = new ProcessBuilder("bash", "-c", "exec -a " + python + " sleep 60").start();
        Path pidFile = root.resolve("orphan.pid");
        // The orphan: its parent (a subshell) exits at once, so it is re-parented away from any runner.
        new ProcessBuilder("bash", "-c", "(exec -a " + python + " sleep 60) & echo $! > " + pidFile).start().waitFor(10, TimeUnit.SECONDS);
        long orphan = Long.parseLong(Files.readString(pidFile).trim());
        try {
            waitForArgv0(underUs.pid(), python);
            waitForArgv0(orphan, python);
            assertEquals(python, Leftovers.argv0(underUs.pid()));
            List<String> said = Leftovers.stopOrphans(root);
            assertTrue(said.stream().anyMatch(l -> l.startsWith("stopped a server left running") && l.contains("pid " + orphan)),
                    said.toString());
            assertTrue(said.stream().anyMatch(l -> l.contains("running under another process (pid " + underUs.pid())),
                    said.toString());
            assertTrue(underUs.isAlive(), "a server whose runner is alive is left alone");
            assertTrue(ProcessHandle.of(orphan).map(p -> p.onExit().completeOnTimeout(p, 10, TimeUnit.SECONDS).join())
                    .map(p -> !p.isAlive()).orElse(true), "the orphan was stopped");
        } finally {
            underUs.destroyForcibly();
            ProcessHandle.of(orphan).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private static void waitForArgv0(long pid, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Leftovers.argv0(pid).equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }
}
