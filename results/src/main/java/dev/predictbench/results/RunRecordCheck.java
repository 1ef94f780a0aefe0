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
 * the JMH results named exist.
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
        Path dir = file.getParent();
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
        for (String scenario : run.settings().scenarios()) {
            if (scenario.equals("overload") && !overloadHere) {
                continue;
            }
            RunRecord.Scenario sc = w.scenarios().get(scenario);
            require(problems, sc != null, n + " " + workload + ": scenario " + scenario + " missing");
            if (sc != null) {
                require(problems, sc.status() != null, n + " " + scenario + ": no status");
                for (String report : sc.gatlingReports()) {
                    require(problems, Files.isRegularFile(dir.resolve(report)), n + ": Gatling report " + report + " missing");
                }
                require(problems, !sc.gatlingReports().isEmpty(), n + " " + scenario + ": no Gatling report");
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
