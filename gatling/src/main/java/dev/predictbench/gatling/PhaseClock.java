package dev.predictbench.gatling;

import dev.predictbench.results.RunRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a run's time goes: every phase (a stack's start, conformance, probes, each workload's
 * warm-up and scenarios, the report) timed on the monotonic clock, in the order it happened. The
 * run record keeps the list; the report sums it per stack and phase.
 */
final class PhaseClock {
    /** A phase's work; it may throw whatever the phase throws. */
    @FunctionalInterface
    interface Work<T> {
        T run() throws Exception;
    }

    private final List<RunRecord.Phase> phases = new ArrayList<>();
    private final String stack;
    private final Integer round;

    private PhaseClock(List<RunRecord.Phase> shared, String stack, Integer round) {
        this.stack = stack;
        this.round = round;
        this.shared = shared;
    }

    private final List<RunRecord.Phase> shared;

    /** A clock for the run's own phases. */
    static PhaseClock forRun() {
        return new PhaseClock(new ArrayList<>(), null, null);
    }

    /** A clock writing into the same list, for one stack in one round (0: the control). */
    PhaseClock forStack(String stack, int round) {
        return new PhaseClock(shared, stack, round);
    }

    /** Times {@code work} as {@code phase}; the time is kept even when the work throws. */
    <T> T time(String phase, Work<T> work) throws Exception {
        long start = System.nanoTime();
        try {
            return work.run();
        } finally {
            add(phase, (System.nanoTime() - start) / 1e9);
        }
    }

    /** Times work that throws nothing checked. */
    <T> T timeQuietly(String phase, java.util.function.Supplier<T> work) {
        long start = System.nanoTime();
        try {
            return work.get();
        } finally {
            add(phase, (System.nanoTime() - start) / 1e9);
        }
    }

    synchronized void add(String phase, double seconds) {
        synchronized (shared) {
            shared.add(new RunRecord.Phase(stack, round, phase, Math.round(seconds * 100) / 100.0));
        }
    }

    List<RunRecord.Phase> phases() {
        synchronized (shared) {
            return List.copyOf(shared);
        }
    }

    /** Seconds per phase summed over the run, largest first, for the console. */
    String summary() {
        java.util.Map<String, Double> byPhase = new java.util.LinkedHashMap<>();
        double total = 0;
        for (RunRecord.Phase p : phases()) {
            String key = p.phase().replaceFirst("^(tabular|embed|search) ", "");
            byPhase.merge(key, p.seconds(), Double::sum);
            total += p.seconds();
        }
        StringBuilder out = new StringBuilder("where the time went (" + Progress.format(total) + " in all):");
        byPhase.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
                .forEach(e -> out.append(' ').append(e.getKey()).append(' ').append(Progress.format(e.getValue())).append(';'));
        return out.toString();
    }
}
