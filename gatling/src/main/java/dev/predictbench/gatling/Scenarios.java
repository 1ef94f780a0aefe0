package dev.predictbench.gatling;

import dev.predictbench.gatling.load.LoadMain;
import dev.predictbench.gatling.load.LoadProcess;
import dev.predictbench.gatling.load.StepOutcome;
import dev.predictbench.gatling.load.StepPlan;
import dev.predictbench.results.RunRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs the scenarios for one stack and workload with the load client. First a JIT warm-up: closed
 * load in chunks until the server's JIT stops compiling (or a cap). Then the sweep (closed model),
 * the rate steps (open model) at fractions of the best sweep throughput, the SLO search (which
 * starts from the rate steps and narrows the bracket between a passing and a failing rate), and the
 * overload. Every step ends once its last windows agree or at its cap (see {@link StepPlan}); a
 * step the validity rules reject makes its scenario INVALID with the reasons. A load client that
 * fails (out of memory, out of open files, a crash) makes that scenario INVALID; the run goes on.
 */
final class Scenarios {
    private final StackWorkload at;
    private final PhaseClock timeline;

    Scenarios(StackWorkload at, PhaseClock timeline) {
        this.at = at;
        this.timeline = timeline;
    }

    /**
     * Runs the warm-up and then {@code scenarios} into {@code out}.
     *
     * @return the warm-up
     */
    RunRecord.Warmup runAll(Map<String, RunRecord.Scenario> out, RunRecord.Probe probe, List<String> scenarios) throws Exception {
        double peak = probe == null ? 0 : probe.throughput();
        BenchSettings s = at.settings();
        RunRecord.Warmup warmup = timeline.time(at.workload().id() + " warm-up", this::warmup);
        List<RunRecord.Step> rateSteps = List.of();
        if (scenarios.contains("sweep")) {
            List<Integer> levels = s.concurrency(at.workload());
            RunRecord.Scenario sweep = timeline.time(at.workload().id() + " sweep", () -> steps("sweep", levels.stream()
                    .map(c -> StepPlan.closed("c" + c, c, 0, s.windowSeconds(), s.windows(), s.requestTimeoutSeconds()))
                    .toList()));
            out.put("sweep", sweep);
            // The rate and SLO steps are shares of this peak: the best valid sweep step, else the best
            // unsettled one (a load level measured on this server, where the sequential probe's is not).
            if (sweep.steps() != null) {
                double unsettled = sweep.steps().stream().mapToDouble(RunRecord.Step::throughput).max().orElse(0);
                peak = sweep.steps().stream().filter(RunRecord.Step::valid).mapToDouble(RunRecord.Step::throughput).max()
                        .orElse(unsettled > 0 ? unsettled : peak);
            }
        }
        if (scenarios.contains("rate") && (s.rates() != null || !s.rateFractions(at.workload()).isEmpty())) {
            List<Double> rates = new ArrayList<>();
            if (s.rates() != null) {
                rates.addAll(s.rates());
            } else {
                for (double f : s.rateFractions(at.workload())) {
                    rates.add((double) Math.max(1, Math.round(f * peak)));
                }
            }
            RunRecord.Scenario rate = timeline.time(at.workload().id() + " rate", () -> steps("rate",
                    rates.stream().map(r -> openStep("r" + Math.round(r), r)).toList()));
            out.put("rate", rate);
            rateSteps = rate.steps() == null ? List.of() : rate.steps();
        }
        if (scenarios.contains("slo") && s.slo(at.workload())) {
            double p = peak;
            List<RunRecord.Step> seeds = rateSteps;
            out.put("slo", timeline.time(at.workload().id() + " slo", () -> slo(p, seeds)));
        }
        if (scenarios.contains("overload") && s.overload(at.workload())) {
            double p = peak;
            timeline.time(at.workload().id() + " overload", () -> {
                new OverloadRun(at).run(out, p, probe);
                return null;
            });
        }
        return warmup;
    }

    /**
     * Closed load in chunks until the server's JIT compiled fewer than {@code bench.jitSettledBelow}
     * methods in one (at least {@code bench.warmup} seconds, at most {@code bench.warmupCap}).
     */
    RunRecord.Warmup warmup() throws Exception {
        BenchSettings s = at.settings();
        // Few requests in flight: the server's JIT compiler threads share its CPU with the request
        // threads, and under many concurrent requests they get so little of it that compiling crawls
        // and the compile count looks settled while the queue is long.
        StepPlan plan = StepPlan.warmup("warmup", s.warmupConcurrency(), s.warmupChunkSeconds(), s.warmupSeconds(),
                s.warmupCapSeconds(), s.jitSettledBelow(), s.requestTimeoutSeconds());
        at.progress().say(at.label() + ": JIT warm-up, " + plan.concurrency() + " in flight, " + s.warmupChunkSeconds()
                + " s chunks until fewer than " + s.jitSettledBelow() + " compiles in one (" + s.warmupSeconds() + " to "
                + s.warmupCapSeconds() + " s)");
        Measured m = measure("warmup", List.of(plan), false);
        if (m.fault() != null || m.outcomes().isEmpty()) {
            throw new IllegalStateException("the warm-up failed: " + m.fault());
        }
        StepOutcome o = m.outcomes().getFirst();
        List<Long> compiles = o.windows().stream().map(StepOutcome.WindowOutcome::compiles).toList();
        double seconds = o.windows().stream().mapToDouble(StepOutcome.WindowOutcome::seconds).sum();
        long requests = o.windows().stream().mapToLong(w -> w.completed() + w.failed()).sum();
        String stopped = o.health() == null ? "unknown" : o.health().stopped();
        boolean settled = "settled".equals(stopped);
        String note = switch (stopped) {
            case "settled" -> "the JIT compiled fewer than " + s.jitSettledBelow() + " methods in the last chunk";
            case "cap" -> "still compiling at the cap of " + s.warmupCapSeconds() + " s: measured anyway, steps carry their "
                    + "own compile counts";
            case "no JIT counters" -> "the server has no hsperfdata counters: warmed for the minimum " + s.warmupSeconds() + " s";
            default -> "ended: " + stopped;
        };
        at.progress().say(at.label() + ": warm-up " + LoadSteps.round(seconds, 1) + " s, compiles per chunk " + compiles
                + ": " + note);
        return new RunRecord.Warmup(LoadSteps.round(seconds, 2), requests, compiles.stream().map(c -> c == null ? -1L : c)
                .toList(), settled, s.jitSettledBelow(), s.warmupCapSeconds(), note + " (counters: hsperfdata "
                + "sun.ci.totalCompiles of the server JVM, as jstat -compiler reads them)");
    }

    StepPlan openStep(String name, double rate) {
        BenchSettings s = at.settings();
        return StepPlan.open(name, rate, s.connections(), 0, s.windowSeconds(), s.windows(), s.requestTimeoutSeconds());
    }

    /** A step as the rules want it: adaptive windows, a settle before it. */
    StepPlan ruled(StepPlan p) {
        BenchSettings s = at.settings();
        return p.adaptive(s.maxWindows(), s.minWindowRequests(), s.tolerance(), s.maxWindowSeconds())
                .withWarmup(s.settleSeconds());
    }

    /**
     * The SLO search: the rate steps are its first evidence; it then tries one rate at a time,
     * bisecting between the highest passing and the lowest failing rate until they are within
     * {@code bench.sloBracket}, for at most {@code bench.sloMaxSteps} steps.
     */
    private RunRecord.Scenario slo(double peak, List<RunRecord.Step> seeds) throws Exception {
        BenchSettings s = at.settings();
        double objective = s.sloP99Millis().get(at.workload());
        List<RunRecord.Step> tried = new ArrayList<>(seeds);
        List<RunRecord.Step> own = new ArrayList<>();
        String fault = null;
        for (int step = 1; step <= s.sloMaxSteps(); step++) {
            Double next = SloSearch.next(tried, objective, peak, s.sloBracket());
            if (next == null) {
                break;
            }
            at.progress().say(at.label() + ": slo step " + step + " of at most " + s.sloMaxSteps() + ", " + next + "/s ("
                    + SloSearch.describe(tried, objective) + ")");
            Measured m = measureRetrying("slo-" + step, List.of(ruled(openStep("r" + Math.round(next), next))
                    .withObjective(objective)));
            tried.addAll(m.steps());
            own.addAll(m.steps());
            if (m.fault() != null) {
                fault = m.fault();
                break;
            }
        }
        RunRecord.Scenario result = SloSearch.result(tried, own, objective, s.sloBracket());
        if (fault == null) {
            return result;
        }
        List<String> reasons = new ArrayList<>(List.of(fault));
        reasons.addAll(result.reasons());
        return new RunRecord.Scenario(RunRecord.Status.INVALID, reasons, List.of(), result.steps(), result.slo());
    }

    /** Runs plans (each with the rules' adaptive windows and a settle) and judges them: INVALID with every step's reasons. */
    private RunRecord.Scenario steps(String scenario, List<StepPlan> plans) throws Exception {
        BenchSettings s = at.settings();
        List<StepPlan> ruled = plans.stream().map(this::ruled).toList();
        at.progress().say(at.label() + ": " + scenario + " " + ruled.stream().map(StepPlan::name).toList() + ", windows of at "
                + "least " + s.windowSeconds() + " s and " + s.minWindowRequests() + " answers until the last " + s.windows()
                + " agree within " + LoadSteps.pct(s.tolerance()) + " (at most " + s.maxWindows() + ")");
        Measured m = measureRetrying(scenario, ruled);
        List<String> reasons = new ArrayList<>();
        if (m.fault() != null) {
            reasons.add(m.fault());
        }
        for (RunRecord.Step x : m.steps()) {
            reasons.addAll(x.reasons() == null ? List.of() : x.reasons());
        }
        return new RunRecord.Scenario(reasons.isEmpty() ? RunRecord.Status.VALID : RunRecord.Status.INVALID, reasons,
                List.of(), m.steps(), null);
    }

    /**
     * Measures the plans as steps; a step whose only fault was late sends (the generator lost its
     * schedule, the server's figures were not judged wrong) is measured again, up to
     * {@code bench.lateRetries} more times. The last attempt is kept, with why each earlier one was
     * set aside; a retry the client fails keeps the attempt before it.
     */
    Measured measureRetrying(String label, List<StepPlan> plans) throws Exception {
        Measured m = measure(label, plans, true);
        int retries = at.settings().lateRetries();
        if (retries == 0) {
            return m;
        }
        List<RunRecord.Step> steps = new ArrayList<>(m.steps());
        List<StepOutcome> outcomes = new ArrayList<>(m.outcomes());
        for (int i = 0; i < steps.size(); i++) {
            List<String> earlier = new ArrayList<>();
            int attempt = 1;
            while (attempt <= retries && LoadSteps.lateOnly(outcomes.get(i), steps.get(i))) {
                StepPlan plan = outcomes.get(i).plan();
                earlier.add("attempt " + attempt + ": " + String.join("; ", steps.get(i).reasons()));
                attempt++;
                at.progress().say(at.label() + ": " + plan.name() + ": the load client sent late, measuring it again (attempt "
                        + attempt + " of at most " + (retries + 1) + ")");
                Measured again = measure(label + "-attempt" + attempt, List.of(plan), true);
                if (again.fault() != null || again.steps().isEmpty()) {
                    earlier.add("attempt " + attempt + ": " + (again.fault() == null ? "no outcome" : again.fault()));
                    break;
                }
                steps.set(i, again.steps().getFirst());
                outcomes.set(i, again.outcomes().getFirst());
            }
            if (!earlier.isEmpty()) {
                steps.set(i, steps.get(i).withAttempts(attempt, earlier));
            }
        }
        return new Measured(steps, outcomes, m.fault());
    }

    /** The steps one client run measured, and the client's fault if it failed part-way. */
    record Measured(List<RunRecord.Step> steps, List<StepOutcome> outcomes, String fault) {
    }

    /**
     * Runs the plans in one load-client process and turns its outcomes into steps. A client fault
     * keeps the steps it finished and names the reason; a server that died is {@link BenchRunner.ServerDied}.
     */
    Measured measure(String label, List<StepPlan> plans, boolean asSteps) throws Exception {
        if (!at.server().isAlive()) {
            throw new BenchRunner.ServerDied("server exited with status " + at.server().process().exitValue() + " before " + label);
        }
        Path loadDir = at.dir().resolve("load");
        Files.createDirectories(loadDir);
        LoadMain.Spec spec = spec(at, loadDir, at.workload().id() + "-" + label, plans);
        double expected = plans.stream().mapToDouble(StepPlan::seconds).sum() + plans.size() * 0.5 + 1;
        double longest = plans.stream().mapToDouble(StepPlan::maxSeconds).sum();
        long timeout = Math.round(longest * 1.5 + plans.size() * (at.settings().requestTimeoutSeconds() + 2) + 60);
        List<StepOutcome> outcomes;
        String fault = null;
        try (Progress.Ticker ticker = at.progress().ticker(at.label() + ": " + label, expected)) {
            outcomes = at.load().run(spec, timeout);
        } catch (LoadProcess.Fault e) {
            if (!at.server().isAlive()) {
                throw new BenchRunner.ServerDied("server exited with status " + at.server().process().exitValue() + " during " + label);
            }
            outcomes = e.finished();
            List<String> done = outcomes.stream().map(o -> o.plan().name()).toList();
            List<String> lost = plans.stream().map(StepPlan::name).filter(n -> !done.contains(n)).toList();
            fault = "harness fault in " + label + (lost.isEmpty() ? "" : " (steps " + lost + " not measured)") + ": " + e.getMessage();
            at.progress().say(at.label() + ": " + fault);
        }
        if (!at.server().isAlive()) {
            throw new BenchRunner.ServerDied("server exited with status " + at.server().process().exitValue() + " during " + label);
        }
        int generatorCpus = CpuList.size(at.settings().loadCpus());
        List<RunRecord.Step> steps = new ArrayList<>();
        for (StepOutcome o : asSteps ? outcomes : List.<StepOutcome>of()) {
            steps.add(LoadSteps.step(o, loadDir, at.runDir(), at.settings().tolerance(), generatorCpus));
        }
        return new Measured(steps, outcomes, fault);
    }

    /** The load client's spec for plans against this stack and workload; bodies are written once per run and workload. */
    static LoadMain.Spec spec(StackWorkload at, Path loadDir, String prefix, List<StepPlan> plans) throws IOException {
        Path bodies = at.runDir().resolve("bodies").resolve(at.workload().id() + ".jsonl");
        if (!Files.isRegularFile(bodies)) {
            Files.createDirectories(bodies.getParent());
            Files.write(bodies, at.workload().bodies(at.settings().seed()), StandardCharsets.UTF_8);
        }
        return new LoadMain.Spec(at.server().baseUri().getHost(), at.server().baseUri().getPort(), at.workload().path(),
                bodies.toString(), at.workload().marker(), false, at.server().pid(), at.settings().seed(),
                loadDir.toString(), prefix, plans);
    }
}
