package dev.predictbench.results;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Checks that a run record is complete and well-formed, never how fast anything was: what CI runs
 * after the smoke profile so a broken harness fails the build. Every subject that was asked for (each
 * stack, with the batching variants the settings name) is there; each VALID or not, it has start-up figures, a conformance result and, unless it was
 * stopped by a fault, a sweep whose every step has non-zero throughput, latency, server CPU per
 * request and RSS; where the overload scenario ran, its figures (requests sent, served and errors
 * adding up, p99 of the served, peak RSS, a recovery verdict); every Gatling report named exists;
 * the JMH results named exist. A record made with the load client ({@code settings.load}) has no
 * Gatling reports but a load-client section ({@code generator}) on every step, whose latency names
 * the requests behind it and whose HdrHistogram log is in the run folder; a record made with
 * Gatling alone needs a Gatling report per scenario instead.
 *
 * <p>A record that says how the run was conducted ({@code conduct}) is held to the rules that came
 * with it: an incomplete run says why (and is a problem: CI must not pass a run that stopped); every
 * phase of the time breakdown took zero seconds or more; the control's drift is |last - first| /
 * first; the SLO search's bracket is (failRate - maxRate) / maxRate; a step measured in rounds has
 * the median of its valid rounds' throughputs; and no step publishes a tail percentile with fewer
 * requests behind it than early stopping needs ({@link Validity#EARLY_STOPPING}): it is null and
 * {@code latency.withheld} says so. Records without {@code conduct} were made before the runner
 * withheld percentiles and are not held to that.
 *
 * <p>{@code java ... RunRecordCheck [run.json | run folder | results/runs]} (default: the newest
 * complete run under results/runs). Exit 0 when well-formed, 1 with the problems listed otherwise.
 */
public final class RunRecordCheck {
    private RunRecordCheck() {
    }

    public static void main(String[] args) throws IOException {
        Path target = Path.of(args.length > 0 ? args[0] : "results/runs");
        Path record = resolve(target);
        List<String> problems = check(record);
        if (problems.isEmpty()) {
            System.out.println("run record OK: " + record);
            return;
        }
        System.out.println("run record " + record + " is incomplete:");
        problems.forEach(p -> System.out.println("  - " + p));
        System.exit(1);
    }

    /** A run.json, the run.json in a run folder, or the newest complete run's under a runs folder. */
    static Path resolve(Path target) throws IOException {
        if (Files.isRegularFile(target)) {
            return target;
        }
        if (Files.isRegularFile(target.resolve(RunFolder.RECORD))) {
            return target.resolve(RunFolder.RECORD);
        }
        try (Stream<Path> runs = Files.list(target)) {
            return runs.filter(RunRecords::finished)
                    .max(Comparator.comparing(p -> p.getFileName().toString()))
                    .map(p -> p.resolve(RunFolder.RECORD))
                    .orElseThrow(() -> new IOException("no complete run under " + target));
        }
    }

    public static List<String> check(Path file) throws IOException {
        RunRecord run = RunRecords.read(file);
        Path dir = file.toAbsolutePath().getParent();
        List<String> problems = new ArrayList<>();
        require(problems, run.environment() != null && run.environment().cpuCount() > 0 && run.environment().jdk() != null,
                "environment fingerprint incomplete");
        require(problems, run.settings() != null, "settings missing");
        require(problems, run.stacks() != null && !run.stacks().isEmpty(), "no stacks");
        if (run.settings() == null || run.stacks() == null) {
            return problems;
        }
        RunRecord.Conduct conduct = run.conduct();
        if (conduct != null) {
            checkConduct(problems, conduct);
        }
        List<String> present = run.stacks().stream().map(RunRecord.StackResult::stack).toList();
        for (String wanted : run.settings().subjects()) {
            // An incomplete run names why it stopped (above); the stacks it never reached are that.
            require(problems, present.contains(wanted) || !run.complete(), "stack " + wanted + " missing");
        }
        for (RunRecord.StackResult s : run.stacks()) {
            String n = s.stack();
            require(problems, s.status() != null, n + ": no status");
            require(problems, s.status() == RunRecord.Status.VALID || !s.reasons().isEmpty(), n + ": INVALID without a reason");
            require(problems, s.startup() != null && s.startup().readyMillis() != null && s.startup().readyMillis() > 0,
                    n + ": no start-up time");
            require(problems, s.conformance() != null, n + ": no conformance result");
            if (s.conformance() == null || !s.conformance().passed()) {
                continue;
            }
            for (String workload : run.settings().workloads()) {
                checkWorkload(problems, run, dir, n, workload, s.workloads() == null ? null : s.workloads().get(workload));
            }
        }
        if (run.jmh() != null && run.jmh().results() != null) {
            require(problems, Files.isRegularFile(dir.resolve(run.jmh().results())) && run.jmh().benchmarks() > 0,
                    "JMH results named but missing or empty");
        }
        return problems;
    }

    private static void checkWorkload(List<String> problems, RunRecord run, Path dir, String n, String workload,
                                      RunRecord.Workload w) {
        require(problems, w != null && w.probe() != null, n + ": no " + workload + " workload or probe");
        if (w == null) {
            return;
        }
        List<Integer> steps = workload.equals("tabular") || run.settings().genaiConcurrency() == null
                ? run.settings().concurrency() : run.settings().genaiConcurrency();
        if (run.settings().scenarios().contains("sweep")) {
            RunRecord.Scenario sweep = w.scenarios().get("sweep");
            require(problems, sweep != null && sweep.steps().size() == steps.size(),
                    n + " " + workload + ": sweep missing or with missing steps");
            if (sweep != null) {
                for (RunRecord.Step step : sweep.steps()) {
                    String at = n + " " + workload + " sweep " + step.name();
                    require(problems, step.throughput() > 0, at + ": zero throughput");
                    require(problems, step.latency() != null
                            && (step.latency().p99() != null || Validity.withheld(step.latency(), "p99")), at + ": no latency");
                    require(problems, step.serverCpuMillisPerRequest() != null && step.serverCpuMillisPerRequest() > 0,
                            at + ": no server CPU per request");
                    require(problems, step.serverRssBytes() != null && step.serverRssBytes() > 0, at + ": no RSS");
                }
            }
        }
        boolean overloadHere = run.settings().overload() != null && run.settings().overload().workloads().contains(workload);
        boolean loadClient = run.settings().load() != null;
        for (String scenario : run.settings().scenarios()) {
            if (scenario.equals("overload") && !overloadHere || !asked(run.settings(), workload, scenario)) {
                continue;
            }
            RunRecord.Scenario sc = w.scenarios().get(scenario);
            require(problems, sc != null, n + " " + workload + ": scenario " + scenario + " missing");
            if (sc != null) {
                require(problems, sc.status() != null, n + " " + scenario + ": no status");
                List<String> reports = sc.gatlingReports() == null ? List.of() : sc.gatlingReports();
                for (String report : reports) {
                    require(problems, Files.isRegularFile(dir.resolve(report)), n + ": Gatling report " + report + " missing");
                }
                // The load client writes no reports of its own: its steps' histogram logs stand in for them.
                require(problems, loadClient || !reports.isEmpty(), n + " " + scenario + ": no Gatling report");
                for (RunRecord.Step step : sc.steps() == null ? List.<RunRecord.Step>of() : sc.steps()) {
                    String at = n + " " + workload + " " + scenario + " " + step.name();
                    checkGenerator(problems, dir, at, step, loadClient);
                    if (run.conduct() != null) {
                        checkEarlyStopping(problems, at, step.latency());
                        checkRounds(problems, at, step);
                    }
                }
                if (sc.slo() != null) {
                    checkBracket(problems, n + " " + workload + " slo", sc.slo());
                }
            }
        }
        // An overload scenario the generator could not offer (INVALID, with its reason) has no figures to check.
        if (run.settings().scenarios().contains("overload") && overloadHere && w.scenarios().get("overload") != null
                && !(w.scenarios().get("overload").status() == RunRecord.Status.INVALID
                     && w.scenarios().get("overload").overload() == null
                     && w.scenarios().get("overload").reasons() != null && !w.scenarios().get("overload").reasons().isEmpty())) {
            checkOverload(problems, n + " " + workload + " overload", w.scenarios().get("overload").overload());
        }
        require(problems, !run.settings().scenarios().contains("slo") || w.scenarios().get("slo") == null
                || w.scenarios().get("slo").slo() != null, n + ": slo result missing");
    }

    /**
     * A step's load-client section: the latency names how many requests are behind it, and the
     * step's HdrHistogram log is a file inside the run folder. Steps of records made with Gatling
     * alone have no such section and nothing to check here.
     */
    private static void checkGenerator(List<String> problems, Path dir, String at, RunRecord.Step step, boolean loadClient) {
        RunRecord.Generator g = step.generator();
        require(problems, g != null || !loadClient, at + ": no load-client details (generator) in a load-client record");
        if (g == null) {
            return;
        }
        // A step whose every request failed has no good answer to time: no latency, and that is the server's doing.
        boolean answered = step.requests() > 0 || step.errors() == 0;
        require(problems, !answered || (step.latency() != null && step.latency().requests() != null && step.latency().requests() > 0),
                at + ": latency without the number of requests behind it");
        String log = g.histogramLog();
        boolean inside = log != null && !log.isBlank() && dir.resolve(log).normalize().startsWith(dir.normalize());
        require(problems, inside && Files.isRegularFile(dir.resolve(log)),
                at + ": histogram log " + (log == null ? "not named" : log + " missing from the run folder"));
    }

    /**
     * How the run was conducted: an incomplete run says why (and is reported: a run that stopped
     * must not pass CI), no phase took negative time, and each control drift is what its two
     * figures say.
     */
    private static void checkConduct(List<String> problems, RunRecord.Conduct c) {
        if (!c.complete()) {
            boolean said = c.incomplete() != null && !c.incomplete().isBlank();
            problems.add(said ? "run incomplete: " + c.incomplete() : "run incomplete without a reason (conduct.incomplete)");
        }
        for (RunRecord.Phase p : c.timing() == null ? List.<RunRecord.Phase>of() : c.timing()) {
            String at = "conduct.timing " + (p.stack() == null ? "run" : p.stack() + " round " + p.round()) + " " + p.phase();
            require(problems, p.phase() != null && !p.phase().isBlank(), at + ": phase without a name");
            require(problems, p.seconds() >= 0 && Double.isFinite(p.seconds()), at + ": " + p.seconds() + " s (must be 0 or more)");
        }
        if (c.control() != null && c.control().workloads() != null) {
            c.control().workloads().forEach((workload, d) -> {
                if (d.first() != null && d.last() != null && d.drift() != null && d.first() != 0) {
                    double expected = Math.abs(d.last() - d.first()) / d.first();
                    require(problems, Math.abs(d.drift() - expected) <= ROUNDING, "conduct.control " + workload + ": drift "
                            + d.drift() + " is not |last - first| / first = " + round(expected));
                }
            });
        }
    }

    /**
     * Early stopping: a tail percentile with fewer requests behind it than {@link Validity#EARLY_STOPPING}
     * asks is withheld (null, and {@code withheld} names it); one with enough is published.
     */
    private static void checkEarlyStopping(List<String> problems, String at, RunRecord.Latency l) {
        if (l == null || l.requests() == null || l.requests() <= 0) {
            return;
        }
        Validity.EARLY_STOPPING.forEach((p, needed) -> {
            Double value = Validity.percentile(l, p);
            boolean withheld = Validity.withheld(l, p);
            if (l.requests() < needed) {
                require(problems, value == null, at + ": " + p + " published from " + l.requests() + " requests (early stopping needs "
                        + needed + ")");
                require(problems, value != null || withheld, at + ": " + p + " missing without latency.withheld saying why");
            } else {
                require(problems, value != null && !withheld, at + ": " + p + (value == null ? " missing" : " both published and withheld")
                        + " although " + l.requests() + " requests are behind it (early stopping needs " + needed + ")");
            }
        });
    }

    /** A step measured in rounds: its throughput is the median of its valid rounds'. */
    private static void checkRounds(List<String> problems, String at, RunRecord.Step step) {
        if (step.rounds() == null) {
            return;
        }
        List<Double> valid = step.rounds().stream().filter(RunRecord.StepRound::valid).map(RunRecord.StepRound::throughput)
                .sorted().toList();
        if (valid.isEmpty()) {
            return;
        }
        int n = valid.size();
        double median = n % 2 == 1 ? valid.get(n / 2) : (valid.get(n / 2 - 1) + valid.get(n / 2)) / 2;
        // Throughputs are published to one decimal: the median as published, half up (89.85 -> 89.9).
        double published = Math.round(median * 10) / 10.0;
        require(problems, Math.abs(step.throughput() - published) <= Math.max(1e-9, published * ROUNDING), at + ": throughput "
                + step.throughput() + " is not the median of its valid rounds' (" + round(median) + ")");
    }

    /** The SLO search's bracket: (failRate - maxRate) / maxRate, with the failing rate above the passing one. */
    private static void checkBracket(List<String> problems, String at, RunRecord.Slo slo) {
        if (slo.failRate() == null || slo.maxRate() == null || slo.maxRate() <= 0) {
            return;
        }
        require(problems, slo.failRate() > slo.maxRate(), at + ": failRate " + slo.failRate() + " not above maxRate " + slo.maxRate());
        double expected = (slo.failRate() - slo.maxRate()) / slo.maxRate();
        require(problems, slo.bracket() != null && Math.abs(slo.bracket() - expected) <= ROUNDING,
                at + ": bracket " + slo.bracket() + " is not (failRate - maxRate) / maxRate = " + round(expected));
    }

    /** How far a derived share may be from its recomputation (the runner rounds shares to 3 decimals). */
    private static final double ROUNDING = 0.0005;

    private static String round(double v) {
        return String.format(java.util.Locale.ROOT, "%.4f", v);
    }

    /** The overload figures: present, consistent, with an RSS reading and a recovery verdict. */
    private static void checkOverload(List<String> problems, String at, RunRecord.Overload o) {
        require(problems, o != null, at + ": no overload figures");
        if (o == null) {
            return;
        }
        require(problems, o.targetRate() > 0 && o.durationSeconds() > 0, at + ": no offered rate or duration");
        require(problems, o.sent() > 0, at + ": no request sent");
        require(problems, o.servedShare() >= 0 && o.servedShare() <= 1 && o.served() <= o.sent(), at + ": served share out of range");
        require(problems, o.errors() != null && o.errors().byStatus() != null, at + ": no errors by status");
        if (o.errors() != null) {
            RunRecord.OverloadErrors e = o.errors();
            require(problems, o.served() + e.status503() + e.status429() + e.other4xx() + e.other5xx() + e.otherStatus()
                    + e.timeouts() + e.connectionErrors() == o.sent(), at + ": served and errors do not add up to the requests sent");
        }
        require(problems, o.served() == 0 || (o.servedLatency() != null && (o.servedLatency().p99() != null
                || Validity.withheld(o.servedLatency(), "p99"))), at + ": no p99 of the served, and no withheld saying why");
        require(problems, o.peakRssBytes() != null && o.peakRssBytes() > 0, at + ": no peak RSS");
        require(problems, o.heapCheck() != null, at + ": no heap check");
        require(problems, o.recovery() != null && o.recovery().judged() != null
                && (!o.recovery().recovered() || o.recovery().millis() != null), at + ": no recovery verdict");
    }

    private static void require(List<String> problems, boolean ok, String problem) {
        if (!ok) {
            problems.add(problem);
        }
    }

    /**
     * Whether the run asked for a scenario on a workload: the rules can leave the rate scenario out
     * of a workload (no fractions for it) and run the SLO search on some workloads only.
     */
    static boolean asked(RunRecord.Settings settings, String workload, String scenario) {
        RunRecord.Rules rules = settings.rules();
        if (rules == null) {
            return true;
        }
        boolean genAi = !workload.equals("tabular");
        if (scenario.equals("rate")) {
            boolean absolute = settings.load() != null && settings.load().rates() != null && !settings.load().rates().isEmpty();
            return absolute || !(genAi ? rules.genaiRateFractions() : settings.rateFractions()).isEmpty();
        }
        if (scenario.equals("slo")) {
            return rules.sloWorkloads() == null || rules.sloWorkloads().contains(workload);
        }
        return true;
    }
}
