package dev.predictbench.gatling;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Console progress: which stack, what it is doing, elapsed and (estimated) remaining time. */
final class Progress {
    private final long started = System.nanoTime();
    private int stacks;
    private final double secondsPerStack;
    private int stack;
    private String stackName = "";
    private long stackStarted = System.nanoTime();
    private double finishedSeconds;

    Progress(int stacks, double secondsPerStack) {
        this.stacks = stacks;
        this.secondsPerStack = secondsPerStack;
    }

    synchronized void nextStack(String name) {
        if (stack > 0) {
            finishedSeconds += (System.nanoTime() - stackStarted) / 1e9;
        }
        stack++;
        stackName = name;
        stackStarted = System.nanoTime();
        say("=== " + stack + " of " + stacks + ": " + name + " ===");
    }

    /** One more unit of work than planned (a pair measured again), so the estimate counts it. */
    synchronized void oneMore() {
        stacks++;
    }

    synchronized void say(String message) {
        double elapsed = (System.nanoTime() - started) / 1e9;
        // The estimate until a stack is done; then the mean of the stacks measured so far.
        double perStack = stack > 1 ? finishedSeconds / (stack - 1) : secondsPerStack;
        double remaining = Math.max(0, perStack * (stacks - Math.max(0, stack - 1)) - (System.nanoTime() - stackStarted) / 1e9);
        System.out.printf("[%s elapsed, ~%s left] %s%n", format(elapsed), format(remaining), message);
        System.out.flush();
    }

    /** Prints a line every 15 s while a long step runs. */
    Ticker ticker(String what, double expectedSeconds) {
        return new Ticker(what, expectedSeconds);
    }

    final class Ticker implements AutoCloseable {
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "progress");
            t.setDaemon(true);
            return t;
        });
        private final long start = System.nanoTime();

        Ticker(String what, double expectedSeconds) {
            timer.scheduleAtFixedRate(() -> say("  ... " + what + ": " + format((System.nanoTime() - start) / 1e9)
                    + " of about " + format(expectedSeconds + 6)), 15, 15, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            timer.shutdownNow();
        }
    }

    static String format(double seconds) {
        long s = Math.round(seconds);
        return String.format("%d:%02d", s / 60, s % 60);
    }
}
