package dev.predictbench.gatling;

import dev.predictbench.contract.Stacks;
import dev.predictbench.model.CalibrationWork;
import dev.predictbench.results.RunRecord;
import dev.predictbench.results.Subjects;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The runner's settings: a profile's defaults ({@code bench}: the full run; {@code bench-smoke}:
 * short steps for CI), each overridable by a {@code -Dbench.*} system property of the same name.
 * The runner prints its estimate of a run's length at the start. All of them go into the run record.
 */
public record BenchSettings(
        String profile,
        List<Stacks> stacks,
        List<String> scenarios,
        List<Workload> workloads,
        double warmupSeconds,
        double windowSeconds,
        int windows,
        List<Integer> concurrency,
        List<Integer> genaiConcurrency,
        List<Double> rateFractions,
        Map<Workload, Double> sloP99Millis,
        double tolerance,
        int probeRequests,
        long seed,
        String serverCpus,
        String loadCpus,
        List<Workload> overloadWorkloads,
        double overloadFactor,
        double overloadSeconds,
        double overloadTimeoutSeconds,
        double recoveryFactor,
        double recoverySeconds,
        int recoveryWindowRequests,
        double readyTimeoutSeconds,
        double requestTimeoutSeconds,
        double settleSeconds,
        int connections,
        int overloadConnections,
        List<Double> rates,
        List<Double> genaiRateFractions,
        int minWindowRequests,
        int maxWindows,
        double maxWindowSeconds,
        int rounds,
        List<String> repeatScenarios,
        boolean control,
        double warmupCapSeconds,
        double warmupChunkSeconds,
        int warmupConcurrency,
        int jitSettledBelow,
        double sloBracket,
        int sloMaxSteps,
        List<Workload> sloWorkloads,
        int lateRetries,
        double calibrationCpuMicros,
        String batching,
        LlmSettings llm) {

    /** What every server's environment gets beside the port: the calibration's extra CPU, when one is set. */
    public Map<String, String> serverEnvironment() {
        return calibrationCpuMicros > 0 ? Map.of(CalibrationWork.SETTING, Double.toString(calibrationCpuMicros)) : Map.of();
    }

    /** What a subject's server gets: {@link #serverEnvironment()} and its batching variant, stated either way. */
    public Map<String, String> serverEnvironment(Subject subject) {
        Map<String, String> env = new java.util.LinkedHashMap<>(serverEnvironment());
        env.put(Subjects.BATCHING_ENV, subject.batching() ? "on" : "off");
        return env;
    }

    /**
     * What the run measures, in the order of round one: each stack as it is ({@code bench.batching=off}),
     * with the shared inference module's batching ({@code on}), or both, the stack's two variants one
     * after the other ({@code both}).
     */
    public List<Subject> subjects() {
        List<Subject> out = new java.util.ArrayList<>();
        for (Stacks stack : stacks) {
            // The batcher is the shared inference module's: a stack that is not a JVM stack is measured as it is.
            Subjects.ids(List.of(stack.id()), stack.isJvm() ? batching : "off").stream().map(Subject::of).forEach(out::add);
        }
        return out;
    }

    /**
     * The stacks of {@code bench.stacks} that can run here. With the default (all), a stack whose build
     * said it cannot run on this machine (servers/python without python3) is left out, and the reason
     * printed; a stack named explicitly that cannot run is an error with that reason.
     */
    static List<Stacks> runnable(String list) {
        List<Stacks> stacks = Stacks.parse(list);
        boolean all = list == null || list.isBlank() || list.trim().equalsIgnoreCase("all");
        java.nio.file.Path root = Stacks.repoRoot();
        List<Stacks> out = new java.util.ArrayList<>();
        for (Stacks stack : stacks) {
            java.util.Optional<String> reason = stack.unavailable(root);
            if (reason.isEmpty()) {
                out.add(stack);
            } else if (all) {
                System.err.println("predict-bench: skipping " + stack.id() + ": " + reason.get());
            } else {
                throw new IllegalArgumentException("bench.stacks names " + stack.id() + ", which cannot run here: " + reason.get());
            }
        }
        return out;
    }

    /**
     * Whether every round runs the sequential probe: with both batching variants, so the one-client
     * latency of a subject has rounds to spread over (its A/A spread) beside the variants' difference;
     * otherwise round one alone.
     */
    public boolean probeEveryRound() {
        return batching.equals("both");
    }

    /**
     * What the run changed because it compares the batching variants (empty otherwise): the defaults
     * that {@code both} gives the GenAI sweep and the SLO search unless they were set.
     */
    public List<String> batchingNotes() {
        if (!probeEveryRound()) {
            return List.of();
        }
        return List.of("batching both: each JVM stack measured with PREDICTBENCH_BATCHING=off and =on (subject <stack>"
                + Subjects.BATCHING_SUFFIX + "), one after the other: off first in odd rounds, on first in even ones; the "
                + "other stacks (Python) as they are",
                "GenAI sweep concurrency " + genaiConcurrency + " (bench.genaiConcurrency; with batching both it defaults to "
                        + BOTH_GENAI_CONCURRENCY + ": one client, and enough clients to fill a batch)",
                "SLO search on " + sloWorkloads.stream().map(Workload::id).toList() + " (bench.sloWorkloads; with batching both "
                        + "it defaults to " + BOTH_SLO_WORKLOADS + ")",
                "sequential probe in every round for every subject (the one-client latency's A/A spread over the rounds)");
    }

    /** The fewest windows a step is judged on: its last three must agree (perf_analyzer's rule). */
    public static final int MIN_WINDOWS = 3;

    /** The stacks the gate measures unless told otherwise: what fits CI's budget on two cores. */
    public static final String GATE_STACKS = "javalin";

    public static final List<String> SCENARIOS = List.of("sweep", "rate", "slo", "overload");

    /**
     * The GenAI sweep when the run compares batching on and off: one client (batching must not cost
     * it) and 64 (a batch can fill); 8 between, the default sweep's step. Two steps more than the
     * default per GenAI workload and subject.
     */
    static final String BOTH_GENAI_CONCURRENCY = "1,8,64";
    /** The SLO search's workloads when the run compares batching: embed is where batching should pay. */
    static final String BOTH_SLO_WORKLOADS = "tabular,embed";

    public static BenchSettings fromSystemProperties() {
        String profile = System.getProperty("bench.profile", "bench").trim();
        // gate: the A/B regression gate's trials (GateRunner), short and few steps; otherwise the smoke's defaults.
        boolean gate = profile.equals("gate");
        boolean smoke = switch (profile) {
            case "bench" -> false;
            case "bench-smoke", "gate" -> true;
            default -> throw new IllegalArgumentException("bench.profile must be bench, bench-smoke or gate, got " + profile);
        };
        List<String> scenarios = Arrays.stream(text("bench.scenarios", "sweep,rate,slo,overload").split(","))
                .map(s -> s.trim().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty()).distinct().toList();
        for (String s : scenarios) {
            if (!SCENARIOS.contains(s)) {
                throw new IllegalArgumentException("unknown scenario '" + s + "'; known: " + String.join(",", SCENARIOS));
            }
        }
        String batching = text("bench.batching", "off").trim().toLowerCase(Locale.ROOT);
        if (!Subjects.BATCHING.contains(batching)) {
            throw new IllegalArgumentException("bench.batching must be off, on or both (the shared inference module's dynamic "
                    + "batching: each stack as it is, with batching, or both one after the other), got '"
                    + System.getProperty("bench.batching") + "'");
        }
        if (gate && !batching.equals("off")) {
            throw new IllegalArgumentException("bench.batching=" + batching + " is a setting of the bench and bench-smoke runs; "
                    + "the gate measures each stack as it is (batching off)");
        }
        boolean both = batching.equals("both");
        BenchSettings settings = new BenchSettings(profile,
                runnable(text("bench.stacks", gate ? GATE_STACKS : "all")),
                scenarios,
                // The smoke measures tabular only and gives its time to the llm workload (every stack and variant);
                // the GenAI workloads are measured by -Pbench and checked by the conformance kit in ./mvnw verify.
                workloads(text("bench.workloads", gate || smoke ? "tabular" : "tabular,embed,search")),
                dbl("bench.warmup", gate ? 24 : 4),
                dbl("bench.window", 1),
                integer("bench.windows", MIN_WINDOWS),
                list("bench.concurrency", gate ? "16" : smoke ? "16,64" : "1,16,64").stream().map(Double::intValue).toList(),
                list("bench.genaiConcurrency", both ? BOTH_GENAI_CONCURRENCY : "8").stream().map(Double::intValue).toList(),
                list("bench.rateFractions", gate ? "0.25" : smoke ? "0.4" : "0.25"),
                objectives(),
                dbl("bench.tolerance", 0.10),
                integer("bench.probeRequests", 700),
                Long.getLong("bench.seed", 20261125L),
                System.getProperty("bench.serverCpus", "0"),
                System.getProperty("bench.loadCpus", "1"),
                workloads(text("bench.overloadWorkloads", smoke ? "search" : "tabular,search")),
                dbl("bench.overloadFactor", 2),
                dbl("bench.overloadSeconds", smoke ? 3 : 5),
                dbl("bench.overloadTimeout", 5),
                dbl("bench.recoveryFactor", 2),
                dbl("bench.recoverySeconds", 10),
                integer("bench.recoveryWindowRequests", 200),
                dbl("bench.readyTimeout", 120),
                dbl("bench.requestTimeout", 10),
                dbl("bench.settle", smoke ? 0.5 : 1),
                integer("bench.connections", gate ? 256 : 1024),
                integer("bench.overloadConnections", 512),
                System.getProperty("bench.rates", "").isBlank() ? null : list("bench.rates", ""),
                list("bench.genaiRateFractions", ""),
                integer("bench.minWindowRequests", 500),
                integer("bench.maxWindows", smoke && !gate ? 5 : 6),
                dbl("bench.maxWindow", 20),
                integer("bench.rounds", smoke ? 1 : 2),
                names(text("bench.repeatScenarios", "sweep")),
                bool("bench.control", !smoke),
                dbl("bench.warmupCap", gate ? 45 : smoke ? 10 : 20),
                dbl("bench.warmupChunk", 2),
                integer("bench.warmupConcurrency", 2),
                integer("bench.jitSettledBelow", 20),
                dbl("bench.sloBracket", 0.10),
                integer("bench.sloMaxSteps", smoke ? 2 : 4),
                workloads(text("bench.sloWorkloads", both ? BOTH_SLO_WORKLOADS : "tabular")),
                integer("bench.lateRetries", smoke ? 1 : 2),
                dbl("bench.calibrationCpuMicros", 0),
                batching,
                LlmSettings.fromSystemProperties(profile));
        settings.check();
        return settings;
    }

    private void check() {
        if (!batching.equals("off") && !stacks.isEmpty() && stacks.stream().noneMatch(Stacks::isJvm)) {
            throw new IllegalArgumentException("bench.batching=" + batching + " applies to the JVM stacks (the shared "
                    + "inference module batches), and bench.stacks names none: " + stacks.stream().map(Stacks::id).toList());
        }
        if (windows < MIN_WINDOWS) {
            throw new IllegalArgumentException("bench.windows must be at least " + MIN_WINDOWS + ", got " + windows
                    + ": a step counts as settled only when its last " + MIN_WINDOWS + " windows agree within bench.tolerance "
                    + "on throughput and median latency (with fewer, every step would pass)");
        }
        if (windowSeconds < 1 || warmupSeconds < 0) {
            throw new IllegalArgumentException("bench.window must be at least 1 (seconds) and bench.warmup >= 0, got "
                    + windowSeconds + " and " + warmupSeconds);
        }
        if (minWindowRequests < 500) {
            throw new IllegalArgumentException("bench.minWindowRequests must be at least 500 (a window's median and "
                    + "throughput need that many answers), got " + minWindowRequests);
        }
        if (maxWindows < windows || maxWindowSeconds < windowSeconds) {
            throw new IllegalArgumentException("bench.maxWindows must be >= bench.windows and bench.maxWindow >= bench.window, "
                    + "got " + maxWindows + " and " + maxWindowSeconds);
        }
        if (rounds < 1 || rounds > 9) {
            throw new IllegalArgumentException("bench.rounds must be 1 to 9, got " + rounds);
        }
        for (String r : repeatScenarios) {
            if (!SCENARIOS.contains(r) || r.equals("overload")) {
                throw new IllegalArgumentException("bench.repeatScenarios: '" + r + "' is not a scenario later rounds can "
                        + "repeat (sweep, rate, slo)");
            }
        }
        if (!(warmupCapSeconds >= warmupSeconds) || !(warmupChunkSeconds > 0) || jitSettledBelow < 0 || warmupConcurrency < 1) {
            throw new IllegalArgumentException("bench.warmupCap >= bench.warmup, bench.warmupChunk > 0, "
                    + "bench.warmupConcurrency >= 1 and bench.jitSettledBelow >= 0 are required");
        }
        if (!(sloBracket > 0 && sloBracket < 1) || sloMaxSteps < 1) {
            throw new IllegalArgumentException("bench.sloBracket must be between 0 and 1 and bench.sloMaxSteps >= 1, got "
                    + sloBracket + " and " + sloMaxSteps);
        }
        if (!(calibrationCpuMicros >= 0 && calibrationCpuMicros <= 1_000_000)) {
            throw new IllegalArgumentException("bench.calibrationCpuMicros must be 0 (off) to 1000000 (microseconds of extra "
                    + "CPU per inference call on every server), got " + calibrationCpuMicros);
        }
        if (lateRetries < 0 || lateRetries > 5) {
            throw new IllegalArgumentException("bench.lateRetries must be 0 to 5 (measurements again of a step whose only "
                    + "fault was the load client's late sends), got " + lateRetries);
        }
        if (genaiRateFractions.stream().anyMatch(f -> f <= 0)) {
            throw new IllegalArgumentException("bench.genaiRateFractions needs positive numbers (or none), got "
                    + genaiRateFractions);
        }
        if (concurrency.isEmpty() || concurrency.stream().anyMatch(c -> c < 1)
                || genaiConcurrency.isEmpty() || genaiConcurrency.stream().anyMatch(c -> c < 1)) {
            throw new IllegalArgumentException("bench.concurrency and bench.genaiConcurrency need whole numbers >= 1, got "
                    + concurrency + " and " + genaiConcurrency);
        }
        if (workloads.isEmpty()) {
            throw new IllegalArgumentException("bench.workloads names no workload");
        }
        if (rates != null && (rates.isEmpty() || rates.stream().anyMatch(r -> !(r > 0)))) {
            throw new IllegalArgumentException("bench.rates needs positive arrivals per second, got " + rates);
        }
        if (rateFractions.isEmpty() || rateFractions.stream().anyMatch(f -> f <= 0)) {
            throw new IllegalArgumentException("bench.rateFractions needs positive numbers, got " + rateFractions);
        }
        if (sloP99Millis.values().stream().anyMatch(v -> v <= 0)) {
            throw new IllegalArgumentException("bench.sloP99Millis[.workload] must be > 0");
        }
        CpuList.size(serverCpus);
        CpuList.size(loadCpus);
        if (scenarios.contains("overload")) {
            if (!scenarios.contains("sweep")) {
                throw new IllegalArgumentException("the overload scenario needs the sweep: its rate is a multiple of the sweep's peak throughput");
            }
            if (overloadFactor <= 0 || overloadSeconds <= 0 || overloadTimeoutSeconds <= 0 || recoveryFactor < 1
                    || recoverySeconds <= 0 || recoveryWindowRequests < 20) {
                throw new IllegalArgumentException("bench.overloadFactor, bench.overloadSeconds, bench.overloadTimeout and "
                        + "bench.recoverySeconds must be > 0, bench.recoveryFactor >= 1 and bench.recoveryWindowRequests >= 20");
            }
        }
        if (requestTimeoutSeconds <= 0 || settleSeconds < 0) {
            throw new IllegalArgumentException("bench.requestTimeout must be > 0 and bench.settle >= 0, got "
                    + requestTimeoutSeconds + " and " + settleSeconds);
        }
        if (connections < 1 || connections > 4096 || overloadConnections < 1 || overloadConnections > 4096) {
            throw new IllegalArgumentException("bench.connections and bench.overloadConnections must be 1 to 4096, got "
                    + connections + " and " + overloadConnections);
        }
        if (readyTimeoutSeconds <= 0) {
            throw new IllegalArgumentException("bench.readyTimeout must be > 0, got " + readyTimeoutSeconds);
        }
        if (tolerance <= 0 || tolerance >= 1) {
            throw new IllegalArgumentException("bench.tolerance must be between 0 and 1, got " + tolerance);
        }
    }

    /** Whether the overload scenario runs for a workload. */
    public boolean overload(Workload workload) {
        return scenarios.contains("overload") && overloadWorkloads.contains(workload);
    }

    /** The sweep steps of a workload. */
    public List<Integer> concurrency(Workload workload) {
        return workload.genAi() ? genaiConcurrency : concurrency;
    }

    /** The scenarios a round runs: every one in round one, the repeated ones after. */
    public List<String> scenarios(int round) {
        return round <= 1 ? scenarios : scenarios.stream().filter(repeatScenarios::contains).toList();
    }

    /** The rate scenario's fractions of the peak for a workload. */
    public List<Double> rateFractions(Workload workload) {
        return workload.genAi() ? genaiRateFractions : rateFractions;
    }

    /** Whether the SLO search runs for a workload (in a round that runs it). */
    public boolean slo(Workload workload) {
        return sloWorkloads.contains(workload);
    }

    /** Steps one stack gets in a round running {@code scenarios}: the count the budget is made of. */
    public int steps(Workload w, List<String> scenarios) {
        int steps = 0;
        if (scenarios.contains("sweep")) {
            steps += concurrency(w).size();
        }
        if (scenarios.contains("rate")) {
            steps += rates == null ? rateFractions(w).size() : rates.size();
        }
        if (scenarios.contains("slo") && slo(w)) {
            steps += sloMaxSteps;
        }
        if (scenarios.contains("overload") && overloadWorkloads.contains(w)) {
            steps += 1;
        }
        return steps;
    }

    /**
     * The step-budget arithmetic, one line per term: stacks x rounds x steps x seconds, with a
     * step's shortest length (settle + windows x window, when every window reaches its requests in
     * one window length) and its longest (settle + maxWindows x maxWindow). How long a step really
     * takes depends on the server's throughput (a window needs its requests), so the run records
     * the time each phase really took beside this.
     */
    public List<String> budget() {
        List<String> lines = new ArrayList<>();
        double shortest = settleSeconds + windows * windowSeconds;
        double longest = settleSeconds + maxWindows * maxWindowSeconds;
        int total = 0;
        for (int round = 1; round <= rounds + (control ? 1 : 0); round++) {
            boolean isControl = round > rounds;
            List<String> sc = isControl ? scenarios(2).stream().filter(x -> x.equals("sweep")).toList() : scenarios(round);
            int perStack = 0;
            List<String> parts = new ArrayList<>();
            for (Workload w : workloads) {
                int n = steps(w, sc);
                perStack += n;
                parts.add(w.id() + " " + n);
            }
            int stacksIn = isControl ? 1 : subjects().size();
            total += stacksIn * perStack;
            lines.add((isControl ? "control" : "round " + round) + ": " + stacksIn + (batching.equals("off") ? " stack(s)"
                    : " subject(s)") + " x " + perStack + " steps ("
                    + String.join(", ", parts) + "; " + String.join(",", sc) + ") = " + stacksIn * perStack + " steps");
        }
        lines.add("steps: " + total + " x " + shortest + " to " + longest + " s = " + Math.round(total * shortest) + " to "
                + Math.round(total * longest) + " s of measured load, plus per stack and round a JIT warm-up of "
                + warmupSeconds + " to " + warmupCapSeconds + " s per workload, the server's start and the probes; an open "
                + "step the load client sent late is measured up to " + lateRetries + " more time(s)");
        return lines;
    }

    /** Seconds of load one stack gets in round one at the least (warm-ups at their minimum), for the duration estimate. */
    public double loadSecondsPerStack() {
        double seconds = 0;
        for (Workload w : workloads) {
            seconds += warmupSeconds + steps(w, scenarios(1)) * (settleSeconds + windows * windowSeconds);
            if (overload(w)) {
                seconds += overloadSeconds + recoverySeconds / 4;
            }
        }
        return seconds;
    }

    /** Start-up, conformance and probes per stack (seen here). */
    public double overheadSecondsPerStack() {
        return 30 + workloads.size() * probeRequests / 300.0;
    }

    private static List<String> names(String list) {
        return Arrays.stream(list.split(",")).map(x -> x.trim().toLowerCase(Locale.ROOT)).filter(x -> !x.isEmpty()).distinct()
                .toList();
    }

    private static boolean bool(String name, boolean fallback) {
        String v = System.getProperty(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(name + " must be true or false, got '" + v + "'");
        };
    }

    private static List<Workload> workloads(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(Workload::byId).distinct().toList();
    }

    /** Each workload's p99 objective: {@code bench.sloP99Millis.<id>}, the tabular one also {@code bench.sloP99Millis}. */
    private static Map<Workload, Double> objectives() {
        Map<Workload, Double> out = new java.util.EnumMap<>(Workload.class);
        for (Workload w : Workload.values()) {
            double fallback = w == Workload.TABULAR ? dbl("bench.sloP99Millis", w.defaultSloP99Millis()) : w.defaultSloP99Millis();
            out.put(w, dbl("bench.sloP99Millis." + w.id(), fallback));
        }
        return out;
    }

    /** A property's text; blank (as Maven passes an unset property) means the default. */
    static String text(String name, String fallback) {
        String v = System.getProperty(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    static double dbl(String name, double fallback) {
        String v = System.getProperty(name);
        try {
            return v == null || v.isBlank() ? fallback : Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, got '" + v + "'");
        }
    }

    static int integer(String name, int fallback) {
        String v = System.getProperty(name);
        try {
            return v == null || v.isBlank() ? fallback : Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + v + "'");
        }
    }

    private static List<Double> list(String name, String fallback) {
        String v = System.getProperty(name);
        String text = v == null || v.isBlank() ? fallback : v;
        try {
            return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(Double::parseDouble).toList();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be comma-separated numbers, got '" + text + "'");
        }
    }

    public RunRecord.Settings toRecord() {
        Map<String, Double> objectives = new java.util.LinkedHashMap<>();
        workloads.forEach(w -> objectives.put(w.id(), sloP99Millis.get(w)));
        return new RunRecord.Settings(stacks.stream().map(Stacks::id).toList(), scenarios,
                workloads.stream().map(Workload::id).toList(),
                warmupSeconds, windowSeconds, windows, concurrency, rateFractions, sloP99Millis.get(Workload.TABULAR), sloMaxSteps,
                tolerance, 0, probeRequests, seed,
                "load client: closed model (one request in flight per connection) for sweep, open model with seeded "
                        + "Poisson arrivals over a fixed number of keep-alive connections for rate, slo and overload, latency "
                        + "from each request's intended send time; every response checked (200 and the answer's key field); "
                        + "seeded bodies in the same order for every stack",
                genaiConcurrency, objectives,
                scenarios.contains("overload") ? new RunRecord.OverloadSettings(overloadWorkloads.stream().map(Workload::id).toList(),
                        overloadFactor, overloadSeconds, overloadTimeoutSeconds, recoveryFactor, recoverySeconds,
                        recoveryWindowRequests) : null,
                new RunRecord.LoadSettings(dev.predictbench.gatling.load.LoadProcess.CLIENT,
                        dev.predictbench.gatling.load.LoadProcess.JVM_FLAGS, connections, overloadConnections,
                        requestTimeoutSeconds, settleSeconds, rates, calibrationCpuMicros > 0 ? calibrationCpuMicros : null),
                new RunRecord.Rules(minWindowRequests, maxWindows, maxWindowSeconds, LoadSteps.LATE_ALLOWED,
                        dev.predictbench.gatling.load.Stability.CONFIDENCE, rounds, repeatScenarios, control, warmupCapSeconds,
                        warmupChunkSeconds, jitSettledBelow, sloBracket, sloMaxSteps,
                        sloWorkloads.stream().map(Workload::id).toList(), genaiRateFractions, warmupConcurrency, lateRetries),
                batching);
    }
}
