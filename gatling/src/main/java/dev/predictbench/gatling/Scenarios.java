package dev.predictbench.gatling;

import dev.predictbench.results.RunRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Runs the scenarios for one stack and workload: the sweep, then the rate steps at fractions of the
 * best sweep throughput, then the SLO search. Unsettled steps of the sweep and rate scenarios are
 * measured again, up to {@code bench.maxRepeats} times; a step that never settles stays marked
 * unstable and makes its scenario INVALID.
 */
final class Scenarios {
    private final StackWorkload at;

    Scenarios(StackWorkload at) {
        this.at = at;
    }

    /** One Gatling run's steps and its report. */
    private record Measured(List<RunRecord.Step> steps, String report) {
    }

    void runAll(Map<String, RunRecord.Scenario> out, RunRecord.Probe probe) throws Exception {
        double peak = probe.throughput();
        if (at.settings().scenarios().contains("sweep")) {
            Map<String, Integer> users = new LinkedHashMap<>();
            at.settings().concurrency(at.workload()).forEach(c -> users.put("c" + c, c));
            RunRecord.Scenario sweep = repeated("sweep", SweepSimulation.class, List.copyOf(users.keySet()),
                    names -> Map.of("bench.concurrency", names.stream().map(n -> n.substring(1)).collect(Collectors.joining(","))),
                    users, Map.of());
            out.put("sweep", sweep);
            peak = sweep.steps().stream().filter(s -> s.errors() == 0).mapToDouble(RunRecord.Step::throughput).max().orElse(peak);
        }
        if (at.settings().scenarios().contains("rate")) {
            Map<String, Double> rates = new LinkedHashMap<>();
            for (double f : at.settings().rateFractions()) {
                double r = Math.max(1, Math.round(f * peak));
                rates.put("r" + Math.round(r), r);
            }
            out.put("rate", repeated("rate", RateSimulation.class, List.copyOf(rates.keySet()),
                    names -> Map.of("bench.rates", names.stream().map(n -> n.substring(1)).collect(Collectors.joining(","))),
                    Map.of(), rates));
        }
        if (at.settings().scenarios().contains("slo")) {
            out.put("slo", slo(peak));
        }
        if (at.settings().overload(at.workload())) {
            new OverloadRun(at).run(out, peak, probe);
        }
    }

    private RunRecord.Scenario slo(double peak) throws Exception {
        List<RunRecord.Step> tried = new ArrayList<>();
        List<String> reports = new ArrayList<>();
        List<Double> rates = SloSearch.firstRound(peak, at.settings().sloRatesPerRound());
        for (int round = 1; round <= at.settings().sloRounds() && !rates.isEmpty(); round++) {
            Map<String, Double> byName = new LinkedHashMap<>();
            rates.forEach(r -> byName.put("r" + Math.round(r), r));
            at.progress().say(at.label() + ": slo round " + round + " of " + at.settings().sloRounds() + ", rates " + rates + "/s");
            Measured m = measure("slo-" + round, SloSimulation.class, List.copyOf(byName.keySet()),
                    Map.of("bench.rates", rates.stream().map(r -> Long.toString(Math.round(r))).collect(Collectors.joining(","))),
                    Map.of(), byName);
            tried.addAll(m.steps());
            reports.add(m.report());
            rates = SloSearch.nextRound(tried, at.settings().sloP99Millis().get(at.workload()), at.settings().sloRatesPerRound());
        }
        tried.sort(java.util.Comparator.comparing(RunRecord.Step::targetRate));
        return SloSearch.result(tried, at.settings().sloP99Millis().get(at.workload()), reports);
    }

    private RunRecord.Scenario repeated(String scenario, Class<?> simulation, List<String> names,
                                        Function<List<String>, Map<String, String>> select,
                                        Map<String, Integer> users, Map<String, Double> rates) throws Exception {
        at.progress().say(at.label() + ": " + scenario + " " + names + ", " + at.settings().windows() + " x "
                + at.settings().windowSeconds() + " s windows");
        Measured first = measure(scenario, simulation, names, select.apply(names), users, rates);
        Map<String, RunRecord.Step> steps = new LinkedHashMap<>();
        first.steps().forEach(s -> steps.put(s.name(), s));
        List<String> reports = new ArrayList<>(List.of(first.report()));
        for (int attempt = 2; attempt <= 1 + at.settings().maxRepeats(); attempt++) {
            List<String> unsettled = steps.values().stream().filter(s -> !s.stable()).map(RunRecord.Step::name).toList();
            if (unsettled.isEmpty()) {
                break;
            }
            at.progress().say(at.server().stack().id() + ": " + scenario + " steps " + unsettled + " did not settle; measuring them again");
            Measured again = measure(scenario + "-repeat" + (attempt - 1), simulation, unsettled, select.apply(unsettled), users, rates);
            reports.add(again.report());
            for (RunRecord.Step s : again.steps()) {
                steps.put(s.name(), withAttempts(s, attempt));
            }
        }
        List<String> reasons = new ArrayList<>();
        for (RunRecord.Step s : steps.values()) {
            if (s.errors() > 0) {
                reasons.add(s.name() + ": " + s.errors() + " failed requests of " + (s.requests() + s.errors()));
            }
            if (!s.stable()) {
                reasons.add(s.name() + ": did not settle (window throughputs spread " + s.spread() + ", tolerance "
                        + at.settings().tolerance() + ")");
            }
            if (s.generatorSaturated()) {
                reasons.add(s.name() + ": the load generator was saturated (CPU share " + s.generatorCpuShare()
                        + "): the figure is the generator's limit, not the server's");
            }
        }
        return new RunRecord.Scenario(reasons.isEmpty() ? RunRecord.Status.VALID : RunRecord.Status.INVALID, reasons,
                reports, List.copyOf(steps.values()), null);
    }

    private Measured measure(String label, Class<?> simulation, List<String> names, Map<String, String> selection,
                             Map<String, Integer> users, Map<String, Double> rates) throws Exception {
        if (!at.server().isAlive()) {
            throw new BenchRunner.ServerDied("server exited with status " + at.server().process().exitValue() + " before " + label);
        }
        Map<String, String> props = new LinkedHashMap<>(selection);
        props.put("baseUrl", at.server().baseUri().toString());
        props.put("bench.serverPid", Long.toString(at.server().pid()));
        props.put("bench.workload", at.workload().id());
        props.put("bench.seed", Long.toString(at.settings().seed()));
        props.put("bench.warmup", Double.toString(at.settings().warmupSeconds()));
        props.put("bench.window", Double.toString(at.settings().windowSeconds()));
        props.put("bench.windows", Integer.toString(at.settings().windows()));
        double expected = at.settings().warmupSeconds() + names.size() * (at.settings().windows() * at.settings().windowSeconds() + 1);
        long timeout = Math.round(expected * 3 + 120);
        GatlingRun.Result result;
        try (Progress.Ticker ticker = at.progress().ticker(at.label() + ": " + label, expected)) {
            result = at.gatling().run(simulation, props, at.dir().resolve("gatling"),
                    at.label() + " " + label, timeout);
        } catch (IOException e) {
            if (!at.server().isAlive()) {
                throw new BenchRunner.ServerDied("server exited with status " + at.server().process().exitValue() + " during " + label);
            }
            throw e;
        }
        if (!at.server().isAlive()) {
            throw new BenchRunner.ServerDied("server exited with status " + at.server().process().exitValue() + " during " + label);
        }
        int generatorCpus = CpuList.size(at.settings().loadCpus());
        List<RunRecord.Step> steps = StepResults.steps(names, users, rates, result.stats(), result.marks(),
                at.settings().windowSeconds(), at.settings().tolerance(), generatorCpus);
        return new Measured(steps, at.runDir().relativize(result.reportDir().resolve("index.html")).toString());
    }

    private static RunRecord.Step withAttempts(RunRecord.Step s, int attempts) {
        return new RunRecord.Step(s.name(), s.concurrency(), s.targetRate(), s.throughput(), s.requests(), s.errors(),
                s.latency(), s.serverCpuMillisPerRequest(), s.serverRssBytes(), s.generatorCpuShare(), s.generatorSaturated(),
                s.spread(), s.stable(), attempts, s.windows(), s.sources());
    }
}
