package dev.predictbench.results.report;

import dev.predictbench.results.RunRecord;
import dev.predictbench.results.Subjects;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Dynamic batching on against off, for every stack the run measured both ways (subjects
 * {@code <stack>} and {@code <stack>+batching}), per workload: the SLO-bounded throughput, the sweep
 * throughput at its largest concurrency, and the one-client latency (the sequential probe's p50
 * and p99) of each variant with their ratio or change, the requests behind each figure, and the
 * one-client figures' A/A spread over the run's rounds (the same subject measured again), the
 * yardstick a one-client change is read against. Batching is the shared inference module's, so it
 * applies to the JVM stacks only. A section of {@code comparison.md} and the same rows embedded in
 * the report; absent when no stack has both variants. Every figure comes from the run record.
 */
public final class BatchingTable {
    static final String TITLE = "Dynamic batching: on vs off";
    static final String SCOPE = "batching: JVM stacks (the shared inference module)";

    private BatchingTable() {
    }

    /**
     * One variant's figure.
     *
     * @param value    the figure (req/s, or us for the one-client latency), null when not measured or not met
     * @param valid    whether its evidence is VALID
     * @param reason   why not (null when valid)
     * @param requests requests behind it (null when not recorded)
     * @param step     the step it comes from (sweep and SLO), null for the probe
     */
    public record Figure(Double value, boolean valid, String reason, Long requests, String step) {
    }

    /**
     * Off against on for one figure.
     *
     * @param ratio  on / off (null when either is missing)
     * @param spread the A/A spread of each variant over its rounds, (max - min) / median (one-client
     *               figures of a run with more than one round; null otherwise)
     * @param rounds each variant's per-round values, in round order (one-client figures)
     */
    public record Pair(String figure, String unit, Figure off, Figure on, Double ratio, Double offSpread, Double onSpread,
                       List<Double> offRounds, List<Double> onRounds) {
    }

    /**
     * One stack and workload.
     *
     * @param objectiveMillis the workload's p99 objective (the SLO search's)
     * @param concurrency     the sweep's largest concurrency
     * @param batchSettings   the batching object of the batching subject's {@code /info}, or null when it had none
     */
    public record Row(String stack, String workload, double objectiveMillis, Integer concurrency, Pair slo, Pair sweep,
                      Pair p50, Pair p99, Map<?, ?> batchSettings) {
    }

    /** Every stack measured both ways, per workload in the report's order; empty when none. */
    public static List<Row> rows(RunRecord run) {
        List<Row> rows = new ArrayList<>();
        Map<String, RunRecord.StackResult> by = new LinkedHashMap<>();
        (run.stacks() == null ? List.<RunRecord.StackResult>of() : run.stacks()).forEach(s -> by.put(s.stack(), s));
        for (String workload : Report.workloadNames(run)) {
            for (RunRecord.StackResult on : by.values()) {
                RunRecord.StackResult off = by.get(Subjects.stack(on.stack()));
                if (!Subjects.batching(on.stack()) || off == null) {
                    continue;
                }
                RunRecord.Workload a = off.workloads() == null ? null : off.workloads().get(workload);
                RunRecord.Workload b = on.workloads() == null ? null : on.workloads().get(workload);
                if (a == null && b == null) {
                    continue;
                }
                Integer c = largest(a, b);
                rows.add(new Row(off.stack(), workload, Figures.objective(run, workload), c,
                        pair("SLO-bounded throughput", "req/s", slo(a), slo(b), null, null),
                        pair("sweep throughput at c" + (c == null ? "?" : c), "req/s", sweep(a, c), sweep(b, c), null, null),
                        pair("one-client p50", "us", probe(a, RunRecord.Latency::p50), probe(b, RunRecord.Latency::p50),
                                probeRounds(a, RunRecord.ProbeRound::p50), probeRounds(b, RunRecord.ProbeRound::p50)),
                        pair("one-client p99", "us", probe(a, RunRecord.Latency::p99), probe(b, RunRecord.Latency::p99),
                                probeRounds(a, RunRecord.ProbeRound::p99), probeRounds(b, RunRecord.ProbeRound::p99)),
                        Subjects.batchingInfo(on.info())));
            }
        }
        return rows;
    }

    private static Pair pair(String figure, String unit, Figure off, Figure on, List<Double> offRounds, List<Double> onRounds) {
        Double ratio = off.value() == null || on.value() == null || off.value() == 0 ? null : on.value() / off.value();
        return new Pair(figure, unit, off, on, ratio, spread(offRounds), spread(onRounds), offRounds, onRounds);
    }

    /** (max - min) / median of a subject's rounds; null with fewer than two. */
    static Double spread(List<Double> values) {
        if (values == null || values.size() < 2 || values.contains(null)) {
            return null;
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        return median == 0 ? null : (v[v.length - 1] - v[0]) / median;
    }

    /** The largest sweep concurrency both variants measured (else either's). */
    private static Integer largest(RunRecord.Workload a, RunRecord.Workload b) {
        List<Integer> x = concurrencies(a);
        List<Integer> y = concurrencies(b);
        return x.stream().filter(y::contains).max(Integer::compare)
                .orElse(Arrays.asList(x, y).stream().flatMap(List::stream).max(Integer::compare).orElse(null));
    }

    private static List<Integer> concurrencies(RunRecord.Workload w) {
        RunRecord.Scenario sweep = w == null || w.scenarios() == null ? null : w.scenarios().get("sweep");
        return sweep == null || sweep.steps() == null ? List.of()
                : sweep.steps().stream().map(RunRecord.Step::concurrency).filter(Objects::nonNull).toList();
    }

    private static Figure sweep(RunRecord.Workload w, Integer concurrency) {
        RunRecord.Scenario sweep = w == null || w.scenarios() == null ? null : w.scenarios().get("sweep");
        RunRecord.Step st = sweep == null || sweep.steps() == null ? null : sweep.steps().stream()
                .filter(x -> Objects.equals(x.concurrency(), concurrency)).findFirst().orElse(null);
        if (st == null) {
            return new Figure(null, false, "not measured", null, null);
        }
        String invalid = Figures.stepInvalid("sweep", st);
        return new Figure(st.throughput(), invalid == null, invalid, st.latency() == null ? st.requests()
                : st.latency().requests(), st.name());
    }

    private static Figure slo(RunRecord.Workload w) {
        RunRecord.Scenario slo = w == null || w.scenarios() == null ? null : w.scenarios().get("slo");
        if (slo == null || slo.slo() == null) {
            return new Figure(null, false, "not measured (bench.sloWorkloads)", null, null);
        }
        RunRecord.Slo result = slo.slo();
        if (result.maxRate() == null) {
            return new Figure(null, false, "no rate met the objective" + (result.note() == null ? "" : ": " + result.note()),
                    null, null);
        }
        String invalid = Figures.sloInvalid(slo);
        RunRecord.Step step = w.scenarios().values().stream().filter(x -> x.steps() != null).flatMap(x -> x.steps().stream())
                .filter(x -> x.name().equals(result.step()) && x.targetRate() != null).findFirst().orElse(null);
        return new Figure(result.maxRate(), invalid == null, invalid,
                step == null || step.latency() == null ? null : step.latency().requests(), result.step());
    }

    private static Figure probe(RunRecord.Workload w, Function<RunRecord.Latency, Double> f) {
        RunRecord.Probe p = w == null ? null : w.probe();
        if (p == null || p.latency() == null) {
            return new Figure(null, false, "no sequential probe", null, null);
        }
        Double v = f.apply(p.latency());
        String reason = p.errors() > 0 ? p.errors() + " errors" : v == null ? "withheld: " + p.latency().withheld() : null;
        return new Figure(v, reason == null, reason, p.latency().requests(), null);
    }

    private static List<Double> probeRounds(RunRecord.Workload w, Function<RunRecord.ProbeRound, Double> f) {
        RunRecord.Probe p = w == null ? null : w.probe();
        return p == null || p.rounds() == null ? List.of()
                : p.rounds().stream().sorted(Comparator.comparingInt(RunRecord.ProbeRound::round)).map(f).toList();
    }

    /** Where the figures come from, in words (the note under the table). */
    public static String sources() {
        return "Subjects: `<stack>` is the stack with PREDICTBENCH_BATCHING=off, `<stack>" + Subjects.BATCHING_SUFFIX + "` with =on, "
                + "measured one after the other, off first in odd rounds and on first in even ones, the stacks rotated each round. SLO-bounded throughput: the SLO search's "
                + "highest arrival rate whose p99 stayed within the workload's objective with no errors (open model, Poisson "
                + "arrivals, latency from each request's intended send time); n = requests behind that step's p99. Sweep: "
                + "closed-model throughput at the largest concurrency both variants measured (the median of its valid rounds); "
                + "n = requests behind the step's latency. One client: the sequential probe (java.net.http, one request at a "
                + "time, System.nanoTime, HdrHistogram), the median over the rounds it ran in; n = the fewest requests behind "
                + "any round. Ratio = on / off; change = on / off - 1. A/A spread = (max - min) / median of the same subject's "
                + "rounds (each a fresh server JVM): a one-client change within it is not a difference the run can show. "
                + "Batch settings: the `batching` object of the batching subject's GET /info.";
    }

    /** The section for comparison.md, or an empty string when no stack was measured both ways. */
    static String markdown(RunRecord run) {
        List<Row> rows = rows(run);
        if (rows.isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder("\n## " + TITLE + "\n\n");
        md.append("_").append(SCOPE).append("._ ").append(sources()).append("\n");
        for (Row r : rows) {
            md.append("\n### ").append(r.workload()).append(": ").append(r.stack()).append(" (objective p99 <= ")
                    .append(num(r.objectiveMillis())).append(" ms)\n\n");
            md.append("| figure | off | on | on / off | A/A spread off | A/A spread on |\n");
            md.append("| --- | ---: | ---: | ---: | ---: | ---: |\n");
            for (Pair p : List.of(r.slo(), r.sweep(), r.p50(), r.p99())) {
                boolean latency = p.unit().equals("us");
                md.append("| ").append(p.figure()).append(" (").append(p.unit()).append(") | ").append(cell(p.off(), latency))
                        .append(" | ").append(cell(p.on(), latency)).append(" | ")
                        .append(p.ratio() == null ? "-" : latency ? change(p.ratio()) : String.format(Locale.ROOT, "%.2fx", p.ratio()))
                        .append(" | ").append(spreadCell(p.offSpread(), p.offRounds())).append(" | ")
                        .append(spreadCell(p.onSpread(), p.onRounds())).append(" |\n");
            }
            md.append("\nBatch settings (GET /info): ").append(settings(r.batchSettings())).append("\n");
        }
        return md.toString();
    }

    /** The batching object in words, or that the server did not report one. */
    static String settings(Map<?, ?> batching) {
        if (batching == null) {
            return "not reported by /info (whether the server batched is unknown)";
        }
        List<String> parts = new ArrayList<>();
        batching.forEach((k, v) -> parts.add(k + " " + v));
        return String.join(", ", parts);
    }

    private static String cell(Figure f, boolean latency) {
        String v = f.value() == null ? "-" : latency ? String.format(Locale.ROOT, "%.1f", f.value()) : num(f.value());
        String status = f.value() == null ? "" : f.valid() ? " VALID" : " INVALID";
        String n = f.requests() == null ? "" : String.format(Locale.ROOT, " (n=%,d)", f.requests());
        String why = f.reason() == null ? "" : " (" + f.reason() + ")";
        return v + status + n + why;
    }

    private static String spreadCell(Double spread, List<Double> rounds) {
        if (spread == null) {
            return rounds != null && rounds.size() < 2 ? "- (one round)" : "-";
        }
        return pct(spread) + " over " + rounds.size() + " rounds";
    }

    static String change(double ratio) {
        return String.format(Locale.ROOT, "%+.1f%%", (ratio - 1) * 100);
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.1f%%", v * 100);
    }

    private static String num(double v) {
        if (Math.abs(v) >= 100) {
            return String.format(Locale.ROOT, "%,d", Math.round(v));
        }
        return String.format(Locale.ROOT, "%.3g", v).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "");
    }
}
