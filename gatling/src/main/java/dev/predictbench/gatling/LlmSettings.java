package dev.predictbench.gatling;

import dev.predictbench.contract.Stacks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The I/O-bound {@code llm} workload's settings: the upstream simulator's timing, the concurrent
 * streaming clients of each step, how long a step runs, the objective and the variants measured.
 * Each is a {@code -Dbench.llm.*} system property; {@code bench.llm=false} leaves the workload out.
 *
 * @param enabled          whether the run measures the workload ({@code bench.llm}; off in the gate)
 * @param concurrency      streaming clients per step, ascending ({@code bench.llm.concurrency})
 * @param ttftMillis       the upstream's time to first token ({@code bench.llm.ttftMs})
 * @param itlMillis        the upstream's time between tokens ({@code bench.llm.itlMs})
 * @param tokens           tokens per answer ({@code bench.llm.tokens})
 * @param simulatorThreads the simulator's event-loop threads ({@code bench.llm.simulatorThreads})
 * @param warmupSeconds    load before the first step, not counted ({@code bench.llm.warmup})
 * @param stepWarmupSeconds load before each step's window, not counted, so every client has
 *                         finished a stream before the window opens ({@code bench.llm.stepWarmup})
 * @param minStepSeconds   a step's window is at least this long ({@code bench.llm.minStep})
 * @param maxStepSeconds   and at most this long, even without {@link #streamsForP99} streams ({@code bench.llm.maxStep})
 * @param objectiveFactor  the objective: time to first token p99 within this x the upstream's own
 *                         ({@code bench.llm.objectiveFactor})
 * @param maxLagP99Millis  a step whose simulator sent its events later than this at p99 is INVALID
 *                         ({@code bench.llm.maxLagP99Ms})
 * @param upstreamTimeoutMillis the servers' upstream timeout ({@code bench.llm.upstreamTimeoutMs})
 * @param requestTimeoutSeconds a stream not ended this long after it was sent is a timeout ({@code bench.llm.requestTimeout})
 * @param variants         which variants: {@code all} or {@code default} ({@code bench.llm.variants})
 */
public record LlmSettings(boolean enabled, List<Integer> concurrency, long ttftMillis, long itlMillis, int tokens,
                          int simulatorThreads, double warmupSeconds, double stepWarmupSeconds, double minStepSeconds,
                          double maxStepSeconds, double objectiveFactor, double maxLagP99Millis, long upstreamTimeoutMillis,
                          double requestTimeoutSeconds, String variants) {
    /**
     * Streams a window waits for: enough behind a p99 (662, {@link dev.predictbench.gatling.load.Stability#minRequests})
     * with a margin, since the window counts streams that ended in it and the p99 those whose first token did.
     */
    static final int STREAMS_FOR_P99 = 700;

    public LlmSettings {
        concurrency = List.copyOf(concurrency);
        if (concurrency.isEmpty() || concurrency.stream().anyMatch(c -> c < 1)) {
            throw new IllegalArgumentException("bench.llm.concurrency needs whole numbers >= 1, got " + concurrency);
        }
        for (int i = 1; i < concurrency.size(); i++) {
            if (concurrency.get(i) <= concurrency.get(i - 1)) {
                throw new IllegalArgumentException("bench.llm.concurrency must rise step by step (the sustained figure is the "
                        + "last level held with every level below it held too), got " + concurrency);
            }
        }
        if (ttftMillis < 1 || itlMillis < 1 || tokens < 1 || simulatorThreads < 1) {
            throw new IllegalArgumentException("bench.llm.ttftMs, bench.llm.itlMs, bench.llm.tokens and "
                    + "bench.llm.simulatorThreads must be at least 1, got " + ttftMillis + ", " + itlMillis + ", " + tokens
                    + ", " + simulatorThreads);
        }
        if (warmupSeconds < 0 || stepWarmupSeconds < 0 || !(minStepSeconds >= 1) || maxStepSeconds < minStepSeconds) {
            throw new IllegalArgumentException("bench.llm.warmup and bench.llm.stepWarmup >= 0, bench.llm.minStep >= 1 and "
                    + "bench.llm.maxStep >= bench.llm.minStep are required");
        }
        if (!(objectiveFactor > 1) || !(maxLagP99Millis > 0) || upstreamTimeoutMillis < 1 || !(requestTimeoutSeconds > 0)) {
            throw new IllegalArgumentException("bench.llm.objectiveFactor > 1, bench.llm.maxLagP99Ms > 0, "
                    + "bench.llm.upstreamTimeoutMs >= 1 and bench.llm.requestTimeout > 0 are required");
        }
        if (!variants.equals("all") && !variants.equals("default")) {
            throw new IllegalArgumentException("bench.llm.variants must be all or default, got '" + variants + "'");
        }
    }

    /** The settings of a profile ({@code bench}, {@code bench-smoke} or {@code gate}), each overridable. */
    static LlmSettings fromSystemProperties(String profile) {
        boolean smoke = profile.equals("bench-smoke");
        boolean gate = profile.equals("gate");
        return new LlmSettings(
                bool("bench.llm", !gate),
                ints("bench.llm.concurrency", smoke ? "16,256" : "1,16,64,256,1024"),
                longValue("bench.llm.ttftMs", 300),
                longValue("bench.llm.itlMs", 100),
                (int) longValue("bench.llm.tokens", 16),
                (int) longValue("bench.llm.simulatorThreads", 1),
                dbl("bench.llm.warmup", smoke ? 2 : 5),
                dbl("bench.llm.stepWarmup", smoke ? 2 : 3),
                dbl("bench.llm.minStep", smoke ? 3 : 5),
                dbl("bench.llm.maxStep", smoke ? 6 : 30),
                dbl("bench.llm.objectiveFactor", 2),
                dbl("bench.llm.maxLagP99Ms", 20),
                longValue("bench.llm.upstreamTimeoutMs", 10_000),
                dbl("bench.llm.requestTimeout", 15),
                System.getProperty("bench.llm.variants", "").isBlank() ? "all"
                        : System.getProperty("bench.llm.variants").trim().toLowerCase(Locale.ROOT));
    }

    /** The objective in milliseconds: {@link #objectiveFactor} x the upstream's time to first token. */
    double objectiveMillis() {
        return objectiveFactor * ttftMillis;
    }

    /** How long one stream lasts at the upstream when nothing waits: first token, then the rest. */
    double streamMillis() {
        return ttftMillis + (double) (tokens - 1) * itlMillis;
    }

    /** The variants of a stack this run measures. */
    List<String> variantsOf(Stacks stack) {
        return variants.equals("all") ? stack.variants() : List.of(stack.defaultVariant());
    }

    /** A rough length of the workload for one variant, for the progress line. */
    double secondsPerVariant() {
        double steps = 0;
        for (int c : concurrency) {
            steps += stepWarmupSeconds + Math.min(maxStepSeconds, Math.max(minStepSeconds,
                    STREAMS_FOR_P99 * streamMillis() / 1000.0 / c)) + streamMillis() / 1000.0;
        }
        return 8 + warmupSeconds + steps;
    }

    private static boolean bool(String name, boolean fallback) {
        String v = System.getProperty(name, "").trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "" -> fallback;
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(name + " must be true or false, got '" + v + "'");
        };
    }

    private static List<Integer> ints(String name, String fallback) {
        String v = System.getProperty(name, "");
        List<Integer> out = new ArrayList<>();
        for (String part : Arrays.stream((v.isBlank() ? fallback : v).split(",")).map(String::trim).filter(x -> !x.isEmpty())
                .toList()) {
            try {
                out.add(Integer.parseInt(part));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " needs whole numbers separated by commas, got '" + v + "'", e);
            }
        }
        return out;
    }

    private static long longValue(String name, long fallback) {
        String v = System.getProperty(name, "").trim();
        try {
            return v.isEmpty() ? fallback : Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + v + "'", e);
        }
    }

    private static double dbl(String name, double fallback) {
        String v = System.getProperty(name, "").trim();
        try {
            return v.isEmpty() ? fallback : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, got '" + v + "'", e);
        }
    }
}
