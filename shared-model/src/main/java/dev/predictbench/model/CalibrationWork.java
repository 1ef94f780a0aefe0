package dev.predictbench.model;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongBinaryOperator;
import java.util.function.LongSupplier;

/**
 * A known amount of extra CPU work on every inference call, to prove that a regression gate catches
 * a slowdown of a known size. Two settings, at most one of them (both off by default):
 * <ul>
 *   <li>{@code PREDICTBENCH_CALIBRATION_CPU_MICROS}: a fixed number of iterations per call, sized at
 *       start-up to that many microseconds of this thread's CPU time;</li>
 *   <li>{@code PREDICTBENCH_CALIBRATION_CPU_SHARE}: a share of the server's own CPU per call, held:
 *       every second the server compares its process CPU time with the calls it served and resizes
 *       the loop so the loop's CPU is that share of the rest. A share means the same in every
 *       second of a run: when the machine slows down (a neighbour, the host's other tenants) the
 *       inference and the loop slow down together, where a fixed size measured once at start-up
 *       would be a different share in a slow second than in a fast one, and a different share in
 *       each server JVM whose start-up fell in a different second.</li>
 * </ul>
 * The loop is like JMH's {@code Blackhole.consumeCPU} (a linear-congruential recurrence the JIT
 * cannot fold), not a wait: a sleeping server would free its CPU for others and a benchmark would
 * see latency but no CPU cost. It runs in {@link InflightLimit#call}, inside the in-flight slot
 * after the inference, the one place every stack's tabular, embed and search inference passes;
 * {@code /info} shows the setting and what the loop has spent so far (one call in
 * {@value #SAMPLE_EVERY}, at random, is timed in thread CPU time), so every run record that used it says so.
 */
public final class CalibrationWork {
    /** The fixed setting: microseconds of CPU per inference call. */
    public static final String SETTING = "PREDICTBENCH_CALIBRATION_CPU_MICROS";

    /** The held setting: the loop's CPU as a share of the rest of the server's CPU per call. */
    public static final String SHARE_SETTING = "PREDICTBENCH_CALIBRATION_CPU_SHARE";

    /** The largest fixed setting: a second of CPU per call is no longer a calibration but a different server. */
    static final double MAX_MICROS = 1_000_000;

    /** The largest share: four times the server's own work per call. */
    static final double MAX_SHARE = 4;

    /** One call in this many is timed in thread CPU time, to know the loop's speed now. */
    static final int SAMPLE_EVERY = 8;

    /**
     * A second with fewer calls than this is booked but does not resize the loop: the process's
     * CPU while it idles (its collector, its timers) spread over a handful of calls is not the CPU
     * of a call, and carried into the next busy second it would swell that one.
     */
    static final long MIN_CALLS_PER_RESIZE = 200;

    /** Timed calls it takes to update the loop's speed (fewer are kept until more come). */
    static final int MIN_SAMPLES = 16;

    /** Milliseconds between two bookings of what the loop spent (and, for a held share, resizes). */
    static final long RESIZE_MILLIS = 1000;

    private static final CalibrationWork OFF = new CalibrationWork(0, 0, 0, null);

    /** Keeps the loop's result observable, so the JIT cannot remove the loop. */
    private static volatile long sink;

    private final double cpuMicrosPerCall;
    private final double share;
    private final Machine machine;
    private volatile long iterationsPerCall;

    private final LongAdder calls = new LongAdder();
    private final LongAdder iterations = new LongAdder();
    private final LongAdder sampledIterations = new LongAdder();
    private final LongAdder sampledNanos = new LongAdder();
    private final LongAdder sampledCalls = new LongAdder();

    /** The last resize: the counters then, and the loop's CPU up to it (touched only under this object's lock). */
    private double loopNanosToLastResize;
    private double lastNanosPerIteration;
    private long lastCalls;
    private long lastIterations;
    private long lastSampledIterations;
    private long lastSampledNanos;
    private long lastSampledCalls;
    private long lastProcessNanos;

    private CalibrationWork(double cpuMicrosPerCall, double share, long iterationsPerCall, Machine machine) {
        this.cpuMicrosPerCall = cpuMicrosPerCall;
        this.share = share;
        this.iterationsPerCall = iterationsPerCall;
        this.machine = machine;
        this.lastProcessNanos = machine == null ? 0 : machine.processCpuNanos().getAsLong();
        this.lastNanosPerIteration = machine == null ? 0 : 1000.0 / machine.iterationsPerMicro();
    }

    /**
     * What the loop runs on: the process's CPU clock, the calling thread's CPU clock and what two
     * back-to-back readings of it differ by, the loop itself, and the loop's speed measured at
     * start-up. {@link #jvm()} is this JVM; a test can model a machine whose every cost is known.
     */
    record Machine(LongSupplier processCpuNanos, LongSupplier threadCpuNanos, long clockNanos, LongBinaryOperator loop,
                   double iterationsPerMicro) {
        Machine {
            if (!(iterationsPerMicro > 0)) {
                throw new IllegalArgumentException("the loop's speed must be above 0 iterations per microsecond, got " + iterationsPerMicro);
            }
        }

        /** This JVM: its process and thread CPU time, the real loop, its speed measured now. */
        static Machine jvm() {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            return new Machine(CalibrationWork::processCpuNanos, threads::getCurrentThreadCpuTime, Clock.NANOS,
                    CalibrationWork::consume, CalibrationWork.iterationsPerMicro());
        }
    }

    /**
     * What {@code /info} shows, absent when off: the setting (one of {@code cpuMicrosPerCall} and
     * {@code cpuShare}), the loop's speed at start-up, its size now, and what it has spent: calls,
     * the loop's CPU and the whole process's CPU so far (two readings give the share held between them).
     */
    public record Info(Double cpuMicrosPerCall, Double cpuShare, long iterationsPerCall, double iterationsPerMicro, long calls,
                       double loopCpuMillis, double processCpuMillis, String note) {
    }

    /**
     * The setting the environment (or a system property) asks for, calibrated now. The process's one
     * instance is the one its {@link InflightLimit#forProcess()} holds.
     */
    public static CalibrationWork fromEnvironment() {
        double micros = parse(SETTING, Settings.string(SETTING, null));
        double share = parse(SHARE_SETTING, Settings.string(SHARE_SETTING, null));
        if (micros > 0 && share > 0) {
            throw new IllegalArgumentException("set one of " + SETTING + " and " + SHARE_SETTING + ", not both");
        }
        if (share > 0 && processCpuNanos() <= 0) {
            throw new IllegalStateException(SHARE_SETTING + " needs the process's CPU time, and this JVM does not report it");
        }
        CalibrationWork w = share > 0 ? held(share, Machine.jvm()) : of(micros);
        if (w.enabled()) {
            Thread.ofPlatform().daemon().name("calibration-resize").start(w::resizeForever);
        }
        return w;
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
        Machine jvm = Machine.jvm();
        return new CalibrationWork(micros, 0, Math.max(1, Math.round(micros * jvm.iterationsPerMicro())), jvm);
    }

    /**
     * A loop held at {@code share} of the rest of the process's CPU per call on {@code machine};
     * {@link #resize} sizes it (0 iterations until the first resize).
     */
    static CalibrationWork held(double share, Machine machine) {
        if (!(share > 0) || share > MAX_SHARE) {
            throw new IllegalArgumentException(SHARE_SETTING + " must be above 0 and at most " + (long) MAX_SHARE
                    + " (the loop's CPU as a share of the server's own CPU per call), got " + share);
        }
        return new CalibrationWork(0, share, 0, machine);
    }

    static double parse(String setting, String value) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(setting + " must be a number, got '" + value + "'", e);
        }
    }

    /** Spends the configured CPU on the calling thread; nothing when off. */
    public void burn() {
        if (this == OFF) {
            return;
        }
        long n = iterationsPerCall;
        calls.increment();
        if (n <= 0) {
            return;
        }
        iterations.add(n);
        if (ThreadLocalRandom.current().nextInt(SAMPLE_EVERY) != 0) {
            sink = machine.loop().applyAsLong(n, sink);
            return;
        }
        LongSupplier thread = machine.threadCpuNanos();
        long start = thread.getAsLong();
        sink = machine.loop().applyAsLong(n, sink);
        sampledNanos.add(Math.max(0, thread.getAsLong() - start - machine.clockNanos()));
        sampledIterations.add(n);
        sampledCalls.increment();
    }

    public boolean enabled() {
        return this != OFF;
    }

    public long iterationsPerCall() {
        return iterationsPerCall;
    }

    /**
     * Books what the process spent since the last resize and, for a held share, resizes the loop:
     * the loop's CPU is its iterations at the speed the timed calls showed, the rest per call is the
     * process's CPU minus the loop's over the calls, and the new size is {@code share} of that rest at
     * that speed (halfway from the old size, so one noisy second moves it half as far). Returns
     * whether it resized.
     */
    synchronized boolean resize() {
        long c = calls.sum();
        long dCalls = c - lastCalls;
        long it = iterations.sum();
        long si = sampledIterations.sum();
        long sn = sampledNanos.sum();
        long sc = sampledCalls.sum();
        long proc = machine.processCpuNanos().getAsLong();
        if (sc - lastSampledCalls >= MIN_SAMPLES && sn - lastSampledNanos > 0) {
            lastNanosPerIteration = (double) (sn - lastSampledNanos) / (si - lastSampledIterations);
            lastSampledIterations = si;
            lastSampledNanos = sn;
            lastSampledCalls = sc;
        }
        double loopNanos = (it - lastIterations) * lastNanosPerIteration;
        double restPerCall = dCalls == 0 ? 0 : ((proc - lastProcessNanos) - loopNanos) / dCalls;
        loopNanosToLastResize += loopNanos;
        lastCalls = c;
        lastIterations = it;
        lastProcessNanos = proc;
        if (share <= 0 || dCalls < MIN_CALLS_PER_RESIZE || !(restPerCall > 0)) {
            return false;
        }
        long want = Math.max(1, Math.round(share * restPerCall / lastNanosPerIteration));
        long old = iterationsPerCall;
        iterationsPerCall = old <= 0 ? want : Math.max(1, Math.round((old + want) / 2.0));
        return true;
    }

    /** The loop's CPU since start in nanoseconds: booked up to the last resize, the iterations since at the speed then. */
    private synchronized double loopNanos() {
        return loopNanosToLastResize + (iterations.sum() - lastIterations) * lastNanosPerIteration;
    }

    private void resizeForever() {
        while (true) {
            try {
                Thread.sleep(RESIZE_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            resize();
        }
    }

    /** The settings and the loop's spending for {@code /info}, or null when off (so the field is absent). */
    public Info info() {
        if (!enabled()) {
            return null;
        }
        String how = share > 0 ? "held at a share of the server's own CPU per call, resized every second"
                : "sized at start-up in thread CPU time";
        return new Info(share > 0 ? null : cpuMicrosPerCall, share > 0 ? share : null, iterationsPerCall,
                Math.round(machine.iterationsPerMicro() * 100) / 100.0, calls.sum(), round3(loopNanos() / 1e6),
                round3(machine.processCpuNanos().getAsLong() / 1e6),
                "a busy loop after each inference call, " + how + ": a calibration run, never a baseline");
    }

    private static double round3(double x) {
        return Math.round(x * 1000) / 1000.0;
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
            throw new IllegalStateException("the calibration loop needs thread CPU time to size itself, and this JVM has none");
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

    /**
     * What two back-to-back readings of this thread's CPU time differ by with nothing between them
     * (the median of 501, taken on first use): a timed call's reading less this is the loop's own CPU.
     */
    private static final class Clock {
        static final long NANOS = clockNanos();
    }

    private static long clockNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (!threads.isCurrentThreadCpuTimeSupported()) {
            return 0;
        }
        long[] d = new long[501];
        for (int i = 0; i < d.length; i++) {
            long a = threads.getCurrentThreadCpuTime();
            d[i] = threads.getCurrentThreadCpuTime() - a;
        }
        Arrays.sort(d);
        return Math.max(0, d[d.length / 2]);
    }

    /** The process's CPU time (every thread, user and system) in nanoseconds, or 0 when the JVM cannot tell. */
    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return Math.max(0, os.getProcessCpuTime());
        }
        return 0;
    }
}
