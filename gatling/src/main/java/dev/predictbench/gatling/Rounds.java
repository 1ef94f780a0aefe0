package dev.predictbench.gatling;

import dev.predictbench.results.RunRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Turns a stack's rounds into its result: round one's figures for what only round one measured,
 * and for the scenarios every round repeated, each step's median over the rounds in which it was
 * valid, with every round's figures kept beside it; a sequential probe run in every round likewise
 * (the median, each round's figures beside it). Also the control's drift.
 */
final class Rounds {
    private Rounds() {
    }

    /** One result from a stack's results per round (round one first). */
    static RunRecord.StackResult merge(List<RunRecord.StackResult> rounds, List<String> repeated) {
        RunRecord.StackResult base = rounds.getFirst();
        if (rounds.size() == 1 || base.workloads() == null) {
            return base;
        }
        List<String> reasons = new ArrayList<>(ownReasons(base));
        for (int r = 1; r < rounds.size(); r++) {
            for (String reason : ownReasons(rounds.get(r))) {
                reasons.add("round " + (r + 1) + ": " + reason);
            }
        }
        Map<String, RunRecord.Workload> workloads = new LinkedHashMap<>();
        for (Map.Entry<String, RunRecord.Workload> w : base.workloads().entrySet()) {
            Map<String, RunRecord.Scenario> scenarios = new LinkedHashMap<>();
            for (Map.Entry<String, RunRecord.Scenario> sc : w.getValue().scenarios().entrySet()) {
                RunRecord.Scenario merged = sc.getValue();
                if (repeated.contains(sc.getKey()) && sc.getValue().steps() != null) {
                    List<RunRecord.Scenario> all = new ArrayList<>();
                    for (RunRecord.StackResult r : rounds) {
                        RunRecord.Workload rw = r.workloads() == null ? null : r.workloads().get(w.getKey());
                        all.add(rw == null ? null : rw.scenarios().get(sc.getKey()));
                    }
                    merged = scenario(all);
                }
                scenarios.put(sc.getKey(), merged);
                String prefix = (w.getKey().equals(Workload.TABULAR.id()) ? "" : w.getKey() + " ") + sc.getKey() + ": ";
                merged.reasons().forEach(x -> reasons.add(prefix + x));
            }
            RunRecord.Workload bw = w.getValue();
            List<RunRecord.Probe> probes = new ArrayList<>();
            List<Integer> numbers = new ArrayList<>();
            for (int r = 0; r < rounds.size(); r++) {
                RunRecord.Workload rw = rounds.get(r).workloads() == null ? null : rounds.get(r).workloads().get(w.getKey());
                if (rw != null && rw.probe() != null) {
                    probes.add(rw.probe());
                    numbers.add(r + 1);
                }
            }
            workloads.put(w.getKey(), new RunRecord.Workload(bw.endpoint(), scenarios, probes.isEmpty() ? bw.probe()
                    : probe(probes, numbers), bw.warmup()));
        }
        return new RunRecord.StackResult(base.stack(), reasons.isEmpty() ? RunRecord.Status.VALID : RunRecord.Status.INVALID,
                reasons, base.startup(), base.info(), base.conformance(), workloads, base.log(), base.stoppedGracefully(),
                base.probes());
    }

    /** A result's reasons that are not its scenarios' (start, a dead server, a harness fault). */
    private static List<String> ownReasons(RunRecord.StackResult r) {
        List<String> scenarioReasons = new ArrayList<>();
        if (r.workloads() != null) {
            r.workloads().forEach((w, load) -> load.scenarios().forEach((name, s) -> s.reasons().forEach(
                    x -> scenarioReasons.add((w.equals(Workload.TABULAR.id()) ? "" : w + " ") + name + ": " + x))));
        }
        return r.reasons().stream().filter(x -> !scenarioReasons.contains(x)).toList();
    }

    /** A scenario measured in several rounds (null where a round did not get to it): steps merged by position. */
    static RunRecord.Scenario scenario(List<RunRecord.Scenario> rounds) {
        RunRecord.Scenario base = rounds.getFirst();
        List<RunRecord.Step> steps = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (int i = 0; i < base.steps().size(); i++) {
            List<RunRecord.Step> same = new ArrayList<>();
            List<Integer> numbers = new ArrayList<>();
            for (int r = 0; r < rounds.size(); r++) {
                RunRecord.Scenario s = rounds.get(r);
                if (s != null && s.steps() != null && s.steps().size() > i) {
                    same.add(s.steps().get(i));
                    numbers.add(r + 1);
                }
            }
            RunRecord.Step merged = step(same, numbers);
            steps.add(merged);
            if (!merged.valid()) {
                reasons.addAll(merged.reasons() == null ? List.of(merged.name() + ": not valid in any round") : merged.reasons());
            }
        }
        // Faults of the scenario itself (a client that died) in any round.
        for (int r = 0; r < rounds.size(); r++) {
            RunRecord.Scenario s = rounds.get(r);
            if (s == null) {
                reasons.add("round " + (r + 1) + ": not measured (the round ended before it)");
            } else {
                int round = r + 1;
                s.reasons().stream().filter(x -> x.startsWith("harness fault")).forEach(x -> reasons.add("round " + round + ": " + x));
            }
        }
        return new RunRecord.Scenario(reasons.isEmpty() ? RunRecord.Status.VALID : RunRecord.Status.INVALID, reasons,
                base.gatlingReports(), steps, base.slo(), base.overload());
    }

    /** One step from its rounds: the median of the valid ones, every round's figures kept. */
    static RunRecord.Step step(List<RunRecord.Step> same, List<Integer> roundNumbers) {
        List<RunRecord.StepRound> figures = new ArrayList<>();
        for (int i = 0; i < same.size(); i++) {
            RunRecord.Step s = same.get(i);
            figures.add(new RunRecord.StepRound(roundNumbers.get(i), s.throughput(),
                    s.latency() == null ? null : s.latency().p50(), s.latency() == null ? null : s.latency().p99(),
                    s.latency() == null ? null : s.latency().requests(), s.valid()));
        }
        List<RunRecord.Step> valid = same.stream().filter(RunRecord.Step::valid).toList();
        RunRecord.Step base = valid.isEmpty() ? same.getFirst() : valid.getFirst();
        List<String> earlier = new ArrayList<>();
        for (int i = 0; i < same.size(); i++) {
            int round = roundNumbers.get(i);
            Optional.ofNullable(same.get(i).earlierAttempts()).orElse(List.of()).forEach(x -> earlier.add("round " + round + ": " + x));
        }
        base = base.withAttempts(base.attempts(), earlier.isEmpty() ? null : earlier);
        if (valid.size() < 2) {
            return base.withRounds(figures);
        }
        RunRecord.Latency l = base.latency();
        RunRecord.Latency latency = l == null ? null : new RunRecord.Latency(median(valid, x -> x.p50()), median(valid, x -> x.p90()),
                median(valid, x -> x.p99()), median(valid, x -> x.p999()), median(valid, x -> x.max()),
                median(valid, x -> x.mean()), l.unit(), "median over " + valid.size() + " rounds of: " + l.source(),
                valid.stream().map(x -> x.latency().requests()).filter(Objects::nonNull).min(Long::compare).orElse(null),
                l.resolution(), valid.stream().map(x -> x.latency().withheld()).filter(Objects::nonNull).findFirst()
                        .orElse(null));
        double throughput = median(valid.stream().mapToDouble(RunRecord.Step::throughput).toArray());
        Map<String, String> sources = new LinkedHashMap<>(base.sources() == null ? Map.of() : base.sources());
        sources.put("rounds", "throughput and latency: the median over the " + valid.size() + " rounds in which the step was "
                + "valid (each round a fresh server JVM, the stack order rotated); every round's figures in rounds");
        return new RunRecord.Step(base.name(), base.concurrency(), base.targetRate(), Math.round(throughput * 10) / 10.0,
                base.requests(), base.errors(), latency, base.serverCpuMillisPerRequest(), base.serverRssBytes(),
                base.generatorCpuShare(), base.generatorSaturated(), base.spread(), base.stable(), base.attempts(),
                base.windows(), sources, base.generator(), base.reasons(), base.health(), figures, base.earlierAttempts());
    }

    /**
     * A sequential probe run in several rounds: each round's figures kept in {@code rounds}, the
     * probe's own the median over the rounds (requests: the fewest behind any round's); a probe run
     * once is returned as it is.
     */
    static RunRecord.Probe probe(List<RunRecord.Probe> probes, List<Integer> roundNumbers) {
        if (probes.size() < 2) {
            return probes.getFirst();
        }
        List<RunRecord.ProbeRound> figures = new ArrayList<>();
        for (int i = 0; i < probes.size(); i++) {
            RunRecord.Probe p = probes.get(i);
            RunRecord.Latency l = p.latency();
            figures.add(new RunRecord.ProbeRound(roundNumbers.get(i), l == null ? null : l.p50(), l == null ? null : l.p99(),
                    l == null ? null : l.requests(), p.errors(), p.throughput()));
        }
        RunRecord.Probe base = probes.getFirst();
        RunRecord.Latency l = base.latency();
        List<RunRecord.Latency> all = probes.stream().map(RunRecord.Probe::latency).filter(Objects::nonNull).toList();
        RunRecord.Latency latency = l == null || all.size() < probes.size() ? l : new RunRecord.Latency(
                medianOf(all, RunRecord.Latency::p50), medianOf(all, RunRecord.Latency::p90), medianOf(all, RunRecord.Latency::p99),
                medianOf(all, RunRecord.Latency::p999), medianOf(all, RunRecord.Latency::max), medianOf(all, RunRecord.Latency::mean),
                l.unit(), "median over " + probes.size() + " rounds (each round a fresh server JVM) of: " + l.source(),
                all.stream().map(RunRecord.Latency::requests).filter(Objects::nonNull).min(Long::compare).orElse(null),
                l.resolution(), all.stream().map(RunRecord.Latency::withheld).filter(Objects::nonNull).findFirst().orElse(null));
        double throughput = median(probes.stream().mapToDouble(RunRecord.Probe::throughput).toArray());
        return new RunRecord.Probe(base.requests(), probes.stream().mapToLong(RunRecord.Probe::errors).sum(),
                Math.round(throughput * 10) / 10.0, latency, figures);
    }

    /** The median of a latency figure over rounds, to 0.1 (the probe's microseconds); null when a round lacks it. */
    private static Double medianOf(List<RunRecord.Latency> all, Function<RunRecord.Latency, Double> f) {
        double[] v = all.stream().map(f).filter(Objects::nonNull).mapToDouble(Double::doubleValue).toArray();
        return v.length < all.size() ? null : Math.round(median(v) * 10) / 10.0;
    }

    private static Double median(List<RunRecord.Step> steps, Function<RunRecord.Latency, Double> f) {
        double[] v = steps.stream().map(s -> f.apply(s.latency())).filter(Objects::nonNull).mapToDouble(Double::doubleValue)
                .toArray();
        return v.length < steps.size() ? null : Math.round(median(v) * 1000) / 1000.0;
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /**
     * The control's drift per workload: the same sweep step in round one and at the end (the step
     * with the highest round-one throughput among those valid in both), |last - first| / first.
     */
    static RunRecord.Control control(RunRecord.StackResult first, RunRecord.StackResult last) {
        Map<String, RunRecord.Drift> drifts = new LinkedHashMap<>();
        List<String> reasons = new ArrayList<>();
        if (first == null || first.workloads() == null || last.workloads() == null) {
            reasons.add("the control or its first measurement has no figures");
        } else {
            for (String w : last.workloads().keySet()) {
                Map<String, RunRecord.Step> a = validSweep(first, w);
                Map<String, RunRecord.Step> b = validSweep(last, w);
                RunRecord.Step best = a.values().stream().filter(x -> b.containsKey(x.name()))
                        .max(java.util.Comparator.comparingDouble(RunRecord.Step::throughput)).orElse(null);
                if (best == null) {
                    reasons.add(w + ": no sweep step valid both in round one and in the control");
                    drifts.put(w, new RunRecord.Drift("sweep throughput (requests/s): no step valid in both", null, null, null));
                    continue;
                }
                double x = best.throughput();
                double y = b.get(best.name()).throughput();
                drifts.put(w, new RunRecord.Drift("sweep " + best.name() + " throughput (requests/s)", x, y,
                        x == 0 ? null : Math.round(Math.abs(y - x) / x * 10000) / 10000.0));
            }
        }
        return new RunRecord.Control(last.stack(), reasons.isEmpty() ? RunRecord.Status.VALID : RunRecord.Status.INVALID,
                reasons, drifts);
    }

    private static Map<String, RunRecord.Step> validSweep(RunRecord.StackResult r, String workload) {
        Map<String, RunRecord.Step> out = new LinkedHashMap<>();
        RunRecord.Workload w = r.workloads().get(workload);
        RunRecord.Scenario sweep = w == null ? null : w.scenarios().get("sweep");
        if (sweep != null && sweep.steps() != null) {
            sweep.steps().stream().filter(RunRecord.Step::valid).forEach(s -> out.put(s.name(), s));
        }
        return out;
    }
}
