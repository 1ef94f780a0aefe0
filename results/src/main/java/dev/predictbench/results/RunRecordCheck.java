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
 * after the smoke profile so a broken harness fails the build. Every stack that was asked for is
 * there; each VALID or not, it has start-up figures, a conformance result and, unless it was
 * stopped by a fault, a sweep whose every step has non-zero throughput, latency, server CPU per
 * request and RSS; where the overload scenario ran, its figures (requests sent, served and errors
 * adding up, p99 of the served, peak RSS, a recovery verdict); every Gatling report named exists;
 * the JMH results named exist. A record made with the load client ({@code settings.load}) has no
 * Gatling reports but a load-client section ({@code generator}) on every step, whose latency names
 * the requests behind it and whose HdrHistogram log is in the run folder; a record made with
 * Gatling alone needs a Gatling report per scenario instead.
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
            return runs.filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> Files.isRegularFile(p.resolve(RunFolder.RECORD)))
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
        List<String> present = run.stacks().stream().map(RunRecord.StackResult::stack).toList();
        for (String wanted : run.settings().stacks()) {
            require(problems, present.contains(wanted), "stack " + wanted + " missing");
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
                    require(problems, step.latency() != null && step.latency().p99() != null, at + ": no latency");
                    require(problems, step.serverCpuMillisPerRequest() != null && step.serverCpuMillisPerRequest() > 0,
                            at + ": no server CPU per request");
                    require(problems, step.serverRssBytes() != null && step.serverRssBytes() > 0, at + ": no RSS");
                }
            }
        }
        boolean overloadHere = run.settings().overload() != null && run.settings().overload().workloads().contains(workload);
        boolean loadClient = run.settings().load() != null;
        for (String scenario : run.settings().scenarios()) {
            if (scenario.equals("overload") && !overloadHere) {
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
                    checkGenerator(problems, dir, n + " " + workload + " " + scenario + " " + step.name(), step, loadClient);
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
        require(problems, o.served() == 0 || (o.servedLatency() != null && o.servedLatency().p99() != null), at + ": no p99 of the served");
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
}
