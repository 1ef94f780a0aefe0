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
 * Runs the scenarios for one stack and workload with the load client: the sweep (closed model),
 * then the rate steps (open model) at fractions of the best sweep throughput, then the SLO search,
 * then the overload. Unsettled steps of the sweep and rate scenarios are measured again, up to
 * {@code bench.maxRepeats} times; a step that never settles stays marked unstable and makes its
 * scenario INVALID. A load client that fails (out of memory, out of open files, a crash) makes
 * that scenario INVALID with the reason; the run goes on with the next.
 */
final class Scenarios {
    private final StackWorkload at;

    Scenarios(StackWorkload at) {
        this.at = at;
    }

    void runAll(Map<String, RunRecord.Scenario> out, RunRecord.Probe probe) throws Exception {
        double peak = probe.throughput();
        BenchSettings s = at.settings();
        if (s.scenarios().contains("sweep")) {
            List<Integer> levels = s.concurrency(at.workload());
            RunRecord.Scenario sweep = repeated("sweep", levels, c -> StepPlan.closed("c" + c, c, 0, s.windowSeconds(),
                    s.windows(), s.requestTimeoutSeconds()));
            out.put("sweep", sweep);
            peak = sweep.steps() == null ? peak : sweep.steps().stream().filter(x -> x.errors() == 0)
                    .mapToDouble(RunRecord.Step::throughput).max().orElse(peak);
        }
        if (s.scenarios().contains("rate")) {
            List<Double> rates = new ArrayList<>();
            if (s.rates() != null) {
                rates.addAll(s.rates());
            } else {
                for (double f : s.rateFractions()) {
                    rates.add((double) Math.max(1, Math.round(f * peak)));
                }
            }
            out.put("rate", repeated("rate", rates, r -> openStep("r" + Math.round(r), r)));
        }
        if (s.scenarios().contains("slo")) {
            out.put("slo", slo(peak));
        }
        if (s.overload(at.workload())) {
            new OverloadRun(at).run(out, peak, probe);
        }
    }

    private StepPlan openStep(String name, double rate) {
        BenchSettings s = at.settings();
        return StepPlan.open(name, rate, s.connections(), 0, s.windowSeconds(), s.windows(), s.requestTimeoutSeconds());
    }

    private RunRecord.Scenario slo(double peak) throws Exception {
        List<RunRecord.Step> tried = new ArrayList<>();
        List<String> faults = new ArrayList<>();
        double objective = at.settings().sloP99Millis().get(at.workload());
        List<Double> rates = SloSearch.firstRound(peak, at.settings().sloRatesPerRound());
        for (int round = 1; round <= at.settings().sloRounds() && !rates.isEmpty(); round++) {
            at.progress().say(at.label() + ": slo round " + round + " of " + at.settings().sloRounds() + ", rates " + rates + "/s");
            List<StepPlan> plans = rates.stream().map(r -> openStep("r" + Math.round(r), r)).toList();
            Measured m = measure("slo-" + round, plans);
            tried.addAll(m.steps());
            if (m.fault() != null) {
                faults.add(m.fault());
                break;
            }
            rates = SloSearch.nextRound(tried, objective, at.settings().sloRatesPerRound());
        }
        tried.sort(java.util.Comparator.comparing(RunRecord.Step::targetRate));
        RunRecord.Scenario result = SloSearch.result(tried, objective, List.of());
        if (faults.isEmpty()) {
            return result;
        }
        List<String> reasons = new ArrayList<>(faults);
        reasons.addAll(result.reasons());
        return new RunRecord.Scenario(RunRecord.Status.INVALID, reasons, List.of(), result.steps(), result.slo());
    }

    private <T> RunRecord.Scenario repeated(String scenario, List<T> levels, Function<T, StepPlan> plan) throws Exception {
        BenchSettings s = at.settings();
        List<StepPlan> plans = new ArrayList<>();
        for (int i = 0; i < levels.size(); i++) {
            StepPlan p = plan.apply(levels.get(i));
            // The first step carries the scenario's warm-up; the others a short settle after the change of load.
            plans.add(withWarmup(p, i == 0 ? s.warmupSeconds() : s.settleSeconds()));
        }
        at.progress().say(at.label() + ": " + scenario + " " + plans.stream().map(StepPlan::name).toList() + ", "
                + s.windows() + " x " + s.windowSeconds() + " s windows");
        Measured first = measure(scenario, plans);
        Map<String, RunRecord.Step> steps = new LinkedHashMap<>();
        first.steps().forEach(x -> steps.put(x.name(), x));
        List<String> faults = new ArrayList<>();
        if (first.fault() != null) {
            faults.add(first.fault());
        }
        for (int attempt = 2; attempt <= 1 + s.maxRepeats() && faults.isEmpty(); attempt++) {
            List<String> unsettled = steps.values().stream().filter(x -> !x.stable()).map(RunRecord.Step::name).toList();
            if (unsettled.isEmpty()) {
                break;
            }
            at.progress().say(at.server().stack().id() + ": " + scenario + " steps " + unsettled + " did not settle; measuring them again");
            List<StepPlan> again = plans.stream().filter(p -> unsettled.contains(p.name()))
                    .map(p -> withWarmup(p, s.settleSeconds())).toList();
            Measured m = measure(scenario + "-repeat" + (attempt - 1), again);
            for (RunRecord.Step x : m.steps()) {
                steps.put(x.name(), x.withAttempts(attempt));
            }
            if (m.fault() != null) {
                faults.add(m.fault());
            }
        }
        List<String> reasons = new ArrayList<>(faults);
        for (RunRecord.Step x : steps.values()) {
            reasons.addAll(stepReasons(x, s.tolerance()));
        }
        return new RunRecord.Scenario(reasons.isEmpty() ? RunRecord.Status.VALID : RunRecord.Status.INVALID, reasons,
                List.of(), List.copyOf(steps.values()), null);
    }

    /** Why a step's figures cannot be trusted (empty: they can). */
    static List<String> stepReasons(RunRecord.Step x, double tolerance) {
        List<String> reasons = new ArrayList<>();
        if (x.errors() > 0) {
            reasons.add(x.name() + ": " + x.errors() + " failed requests of " + (x.requests() + x.errors()));
        }
        if (!x.stable()) {
            reasons.add(x.name() + ": did not settle (window throughputs spread " + x.spread() + ", tolerance " + tolerance + ")");
        }
        if (x.generatorSaturated()) {
            reasons.add(x.name() + ": the load generator was saturated (CPU share " + x.generatorCpuShare()
                    + "): the figure is the generator's limit, not the server's");
        }
        return reasons;
    }

    private static StepPlan withWarmup(StepPlan p, double warmup) {
        return new StepPlan(p.name(), p.open(), p.rate(), p.concurrency(), p.connections(), warmup, p.windowSeconds(),
                p.windows(), p.timeoutSeconds());
    }

    /** The steps one client run measured, and the client's fault if it failed part-way. */
    record Measured(List<RunRecord.Step> steps, String fault) {
    }

    /**
     * Runs the plans in one load-client process and turns its outcomes into steps. A client fault
     * keeps the steps it finished and names the reason; a server that died is {@link BenchRunner.ServerDied}.
     */
    Measured measure(String label, List<StepPlan> plans) throws Exception {
        if (!at.server().isAlive()) {
            throw new BenchRunner.ServerDied("server exited with status " + at.server().process().exitValue() + " before " + label);
        }
        Path loadDir = at.dir().resolve("load");
        Files.createDirectories(loadDir);
        LoadMain.Spec spec = spec(at, loadDir, at.workload().id() + "-" + label, plans);
        double expected = plans.stream().mapToDouble(StepPlan::seconds).sum() + plans.size() * 0.5 + 1;
        long timeout = Math.round(expected * 2 + plans.size() * at.settings().requestTimeoutSeconds() + 60);
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
        for (StepOutcome o : outcomes) {
            steps.add(LoadSteps.step(o, loadDir, at.runDir(), at.settings().tolerance(), generatorCpus));
        }
        return new Measured(steps, fault);
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
