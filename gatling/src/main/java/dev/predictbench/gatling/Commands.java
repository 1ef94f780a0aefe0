package dev.predictbench.gatling;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Runs a short system command (taskset, prlimit) and says whether it succeeded. */
final class Commands {
    private Commands() {
    }

    /** True when the command ran and exited 0 within 10 s; its output is read and dropped. */
    static boolean succeeds(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
