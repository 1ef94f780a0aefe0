package dev.predictbench.model;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * A known amount of extra CPU work on every inference call, to prove that a regression gate catches
 * a slowdown of a known size: {@code PREDICTBENCH_CALIBRATION_CPU_MICROS} microseconds of CPU per
 * call (0, the default, is off). It is a busy loop like JMH's {@code Blackhole.consumeCPU} (a
 * linear-congruential recurrence the JIT cannot fold), not a wait: a sleeping server would free its
 * CPU for others and a benchmark would see latency but no CPU cost. The loop's speed is measured at
 * start-up in this thread's CPU time, so the setting means the same on a fast and a slow machine.
 * It runs in {@link InflightLimit#call}, inside the in-flight slot after the inference, the one place
 * every stack's tabular, embed and search inference passes; {@code /info} shows it, so every run
 * record that used it says so.
 */
public final class CalibrationWork {
    /** The setting: microseconds of CPU per inference call. */
    public static final String SETTING = "PREDICTBENCH_CALIBRATION_CPU_MICROS";

    /** The largest setting: a second of CPU per call is no longer a calibration but a different server. */
    static final double MAX_MICROS = 1_000_000;

    private static final CalibrationWork OFF = new CalibrationWork(0, 0, 0);

    /** Keeps the loop's result observable, so the JIT cannot remove the loop. */
    private static volatile long sink;

    private final double cpuMicrosPerCall;
    private final long iterationsPerCall;
    private final double iterationsPerMicro;

    private CalibrationWork(double cpuMicrosPerCall, long iterationsPerCall, double iterationsPerMicro) {
        this.cpuMicrosPerCall = cpuMicrosPerCall;
        this.iterationsPerCall = iterationsPerCall;
        this.iterationsPerMicro = iterationsPerMicro;
    }

    /** What {@code /info} shows: the setting, the loop's measured speed and the iterations per call; absent when off. */
    public record Info(double cpuMicrosPerCall, long iterationsPerCall, double iterationsPerMicro, String note) {
    }

    /**
     * The setting the environment (or a system property) asks for, calibrated now. The process's one
     * instance is the one its {@link InflightLimit#forProcess()} holds.
     */
    public static CalibrationWork fromEnvironment() {
        return of(parse(Settings.string(SETTING, null)));
    }

    /** Off (0) or {@code micros} of CPU per call, the loop's speed measured now. */
    public static CalibrationWork of(double micros) {
        if (!(micros >= 0) || micros > MAX_MICROS) {
            throw new IllegalArgumentException(SETTING + " must be between 0 and " + (long) MAX_MICROS
                    + " (microseconds of CPU per inference call), got " + micros);
        }
        if (micros == 0) {
            return OFF;
        }
        double perMicro = iterationsPerMicro();
        return new CalibrationWork(micros, Math.max(1, Math.round(micros * perMicro)), perMicro);
    }

    static double parse(String value) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(SETTING + " must be a number of microseconds, got '" + value + "'", e);
        }
    }

    /** Spends the configured CPU on the calling thread; nothing when off. */
    public void burn() {
        if (iterationsPerCall > 0) {
            sink = consume(iterationsPerCall, sink);
        }
    }

    public boolean enabled() {
        return iterationsPerCall > 0;
    }

    public long iterationsPerCall() {
        return iterationsPerCall;
    }

    /** The settings for {@code /info}, or null when off (so the field is absent). */
    public Info info() {
        if (!enabled()) {
            return null;
        }
        return new Info(cpuMicrosPerCall, iterationsPerCall, Math.round(iterationsPerMicro * 100) / 100.0,
                "a busy loop after each inference call, sized at start-up in thread CPU time: a calibration run, never a "
                        + "baseline");
    }

    /** The recurrence: each step depends on the last, so the loop cannot be folded or vectorized away. */
    static long consume(long iterations, long seed) {
        long t = seed;
        for (long i = iterations; i > 0; i--) {
            t += (t * 0x5DEECE66DL + 0xBL + i) & 0xFFFFFFFFFFFFL;
        }
        return t;
    }

    /**
     * Iterations of {@link #consume} per microsecond of this thread's CPU time: the loop is compiled
     * first (a few hundred milliseconds of it), then the median of nine timed runs of about 2 ms each.
     */
    static double iterationsPerMicro() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (!threads.isCurrentThreadCpuTimeSupported()) {
            throw new IllegalStateException(SETTING + " needs thread CPU time to size its loop, and this JVM has none");
        }
        long n = 1_000;
        long warmEnd = System.nanoTime() + 300_000_000L;
        while (System.nanoTime() < warmEnd) {
            sink = consume(n, sink);
        }
        // Grow the run until it takes about 2 ms of CPU, so the clock's resolution does not matter.
        while (true) {
            long cpu = cpuNanos(threads, n);
            if (cpu >= 2_000_000 || n > (1L << 40)) {
                break;
            }
            n *= 2;
        }
        double[] rates = new double[9];
        for (int i = 0; i < rates.length; i++) {
            rates[i] = n / (cpuNanos(threads, n) / 1000.0);
        }
        Arrays.sort(rates);
        return rates[rates.length / 2];
    }

    private static long cpuNanos(ThreadMXBean threads, long iterations) {
        long start = threads.getCurrentThreadCpuTime();
        sink = consume(iterations, sink);
        return Math.max(1, threads.getCurrentThreadCpuTime() - start);
    }
}
