package dev.predictbench.gatling;

import dev.predictbench.contract.launch.Stacks;
import dev.predictbench.results.RunRecord;
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
        int sloRounds,
        int sloRatesPerRound,
        double tolerance,
        int maxRepeats,
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
        List<Double> rates) {

    public static final List<String> SCENARIOS = List.of("sweep", "rate", "slo", "overload");

    public static BenchSettings fromSystemProperties() {
        String profile = System.getProperty("bench.profile", "bench").trim();
        boolean smoke = switch (profile) {
            case "bench" -> false;
            case "bench-smoke" -> true;
            default -> throw new IllegalArgumentException("bench.profile must be bench or bench-smoke, got " + profile);
        };
        List<String> scenarios = Arrays.stream(text("bench.scenarios", "sweep,rate,slo,overload").split(","))
                .map(s -> s.trim().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty()).distinct().toList();
        for (String s : scenarios) {
            if (!SCENARIOS.contains(s)) {
                throw new IllegalArgumentException("unknown scenario '" + s + "'; known: " + String.join(",", SCENARIOS));
            }
        }
        BenchSettings settings = new BenchSettings(profile,
                Stacks.parse(System.getProperty("bench.stacks", "all")),
                scenarios,
                workloads(text("bench.workloads", "tabular,embed,search")),
                dbl("bench.warmup", smoke ? 2 : 6),
                dbl("bench.window", smoke ? 1 : 3),
                integer("bench.windows", smoke ? 2 : 3),
                list("bench.concurrency", "1,4,16,64,256").stream().map(Double::intValue).toList(),
                list("bench.genaiConcurrency", smoke ? "1,4,16" : "1,4,16,64").stream().map(Double::intValue).toList(),
                list("bench.rateFractions", "0.5,0.75,0.9"),
                objectives(),
                integer("bench.sloRounds", smoke ? 1 : 2),
                integer("bench.sloRatesPerRound", 3),
                dbl("bench.tolerance", 0.15),
                integer("bench.maxRepeats", smoke ? 0 : 1),
                integer("bench.probeRequests", smoke ? 300 : 3000),
                Long.getLong("bench.seed", 20261125L),
                System.getProperty("bench.serverCpus", "0"),
                System.getProperty("bench.loadCpus", "1"),
                workloads(text("bench.overloadWorkloads", smoke ? "search" : "tabular,search")),
                dbl("bench.overloadFactor", 2),
                dbl("bench.overloadSeconds", smoke ? 3 : 15),
                dbl("bench.overloadTimeout", 5),
                dbl("bench.recoveryFactor", 2),
                dbl("bench.recoverySeconds", 10),
                integer("bench.recoveryWindowRequests", 200),
                dbl("bench.readyTimeout", 120),
                dbl("bench.requestTimeout", 10),
                dbl("bench.settle", smoke ? 0.5 : 1),
                integer("bench.connections", 256),
                integer("bench.overloadConnections", 512),
                System.getProperty("bench.rates", "").isBlank() ? null : list("bench.rates", ""));
        settings.check();
        return settings;
    }

    private void check() {
        if (windows < 1 || windowSeconds <= 0 || warmupSeconds < 0) {
            throw new IllegalArgumentException("bench.windows >= 1, bench.window > 0 and bench.warmup >= 0 are required");
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
        if (sloP99Millis.values().stream().anyMatch(v -> v <= 0) || sloRounds < 1 || sloRatesPerRound < 2) {
            throw new IllegalArgumentException("bench.sloP99Millis[.workload] > 0, bench.sloRounds >= 1 and bench.sloRatesPerRound >= 2 are required");
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

    /** Seconds of load one stack gets (warm-ups included), for the duration estimate. */
    public double loadSecondsPerStack() {
        double seconds = 0;
        for (Workload w : workloads) {
            seconds += loadSeconds(concurrency(w).size());
            if (overload(w)) {
                seconds += overloadSeconds + recoverySeconds / 4;
            }
        }
        return seconds;
    }

    private double loadSeconds(int sweepSteps) {
        double seconds = 0;
        double perStep = windows * windowSeconds + settleSeconds + 0.2;
        if (scenarios.contains("sweep")) {
            seconds += warmupSeconds + sweepSteps * perStep * (1 + 0.3 * maxRepeats);
        }
        if (scenarios.contains("rate")) {
            seconds += warmupSeconds + (rates == null ? rateFractions.size() : rates.size()) * perStep * (1 + 0.3 * maxRepeats);
        }
        if (scenarios.contains("slo")) {
            seconds += sloRounds * sloRatesPerRound * perStep;
        }
        return seconds;
    }

    /** Start-up, conformance, probe and the load client's own JVM starts, per stack (seen here). */
    public double overheadSecondsPerStack() {
        int clientRuns = (scenarios.contains("sweep") ? 1 : 0) + (scenarios.contains("rate") ? 1 : 0)
                + (scenarios.contains("slo") ? sloRounds : 0);
        long overloads = workloads.stream().filter(this::overload).count();
        return 25 + workloads.size() * (probeRequests / 300.0 + clientRuns * 1) + overloads * 4;
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
    private static String text(String name, String fallback) {
        String v = System.getProperty(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    private static double dbl(String name, double fallback) {
        String v = System.getProperty(name);
        try {
            return v == null || v.isBlank() ? fallback : Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, got '" + v + "'");
        }
    }

    private static int integer(String name, int fallback) {
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
                warmupSeconds, windowSeconds, windows, concurrency, rateFractions, sloP99Millis.get(Workload.TABULAR), sloRounds,
                tolerance, maxRepeats, probeRequests, seed,
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
                        requestTimeoutSeconds, settleSeconds, rates));
    }
}
