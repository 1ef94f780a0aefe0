package dev.predictbench.results.report;

import dev.predictbench.results.RunRecord;
import dev.predictbench.results.Validity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The open-model steps (the rate scenario and the SLO search) of each stack and workload, one row
 * per step: the offered and achieved rate, the latency percentiles with the requests behind them,
 * and whether the load client kept its schedule (schedule lag, late sends, waits for a connection,
 * its CPU per request), with a link to the step's HdrHistogram log. A section of
 * {@code comparison.md}, and the same rows embedded in the report. Every number comes from the run
 * record; a figure the record does not hold (records made with Gatling) is null.
 */
public final class OpenModelTable {
    /** The scenarios whose steps are open-model (Poisson arrivals at a target rate). */
    static final List<String> SCENARIOS = List.of("rate", "slo");

    private OpenModelTable() {
    }

    /**
     * One open-model step.
     *
     * @param scenario           {@code rate} or {@code slo}
     * @param sloResult          the step the SLO search reports as its result
     * @param latencyRequests    how many requests the latency histogram held (null: not recorded)
     * @param resolution         the latency's resolution (null: Gatling's whole milliseconds)
     * @param corrected          latency counts from the intended send time (null: not recorded)
     * @param scheduleLagP99Micros p99 of how late requests left against their intended time
     * @param lateOver1ms        requests that left more than 1 ms late
     * @param connectionWaits    requests that found every connection busy at their intended time
     * @param clientCpuMicrosPerRequest the load client's CPU time per good answer
     * @param histogramLog       the step's HdrHistogram log, relative to the run folder
     * @param valid              the step is VALID ({@link RunRecord.Step#valid()})
     * @param reasons            why not
     * @param withheld           the percentiles withheld for too few requests behind them, and why (null: none)
     */
    public record Row(String stack, String workload, String scenario, String step, boolean sloResult, Double targetRate,
                      double throughput, long errors, Double p50, Double p90, Double p99, Double p999, Long latencyRequests,
                      String resolution, Boolean corrected, Double scheduleLagP99Micros, Long lateOver1ms, Long connectionWaits,
                      Double clientCpuMicrosPerRequest, String histogramLog, boolean valid, List<String> reasons, String withheld,
                      int attempts, List<String> earlierAttempts) {
    }

    /** Every open-model step: by workload (the report's order), then stack, rate steps before the SLO search's, by rate. */
    public static List<Row> rows(RunRecord run) {
        List<Row> rows = new ArrayList<>();
        List<RunRecord.StackResult> stacks = run.stacks() == null ? List.of() : run.stacks();
        for (String workload : Report.workloadNames(run)) {
            for (RunRecord.StackResult s : stacks) {
                RunRecord.Workload w = s.workloads() == null ? null : s.workloads().get(workload);
                Map<String, RunRecord.Scenario> scenarios = w == null || w.scenarios() == null ? Map.of() : w.scenarios();
                for (String name : SCENARIOS) {
                    RunRecord.Scenario sc = scenarios.get(name);
                    if (sc == null || sc.steps() == null) {
                        continue;
                    }
                    String result = sc.slo() == null ? null : sc.slo().step();
                    sc.steps().stream()
                            .sorted(Comparator.comparing(RunRecord.Step::targetRate, Comparator.nullsLast(Comparator.naturalOrder())))
                            .forEach(st -> rows.add(row(s.stack(), workload, name, st, st.name().equals(result))));
                }
            }
        }
        return rows;
    }

    private static Row row(String stack, String workload, String scenario, RunRecord.Step st, boolean sloResult) {
        RunRecord.Latency l = st.latency();
        RunRecord.Generator g = st.generator();
        return new Row(stack, workload, scenario, st.name(), sloResult, st.targetRate(), st.throughput(), st.errors(),
                l == null ? null : l.p50(), l == null ? null : l.p90(), l == null ? null : l.p99(), l == null ? null : l.p999(),
                l == null ? null : l.requests(), l == null ? null : l.resolution(),
                g == null ? null : g.coordinatedOmissionCorrected(),
                g == null || g.scheduleLag() == null ? null : g.scheduleLag().p99(),
                g == null ? null : g.lateOver1ms(), g == null ? null : g.connectionWaits(),
                g == null ? null : g.cpuMicrosPerRequest(), g == null ? null : g.histogramLog(), st.valid(), Validity.reasons(st),
                l == null ? null : l.withheld(), Math.max(1, st.attempts()),
                st.earlierAttempts() == null ? List.of() : st.earlierAttempts());
    }

    /** Where the rows' latencies come from and to what resolution, one sentence per kind of source among them. */
    public static List<String> sources(List<Row> rows) {
        Set<String> out = new LinkedHashSet<>();
        for (Row r : rows) {
            if (r.resolution() == null && r.histogramLog() == null) {
                out.add("Gatling (records made before the load client): whole milliseconds, the median over windows of "
                        + "each window's percentile; the requests behind them and the schedule-keeping columns were not recorded.");
            } else {
                out.add("Load client: one HdrHistogram pooled over the step's windows, from each request's "
                        + (Boolean.FALSE.equals(r.corrected()) ? "send time (not corrected for coordinated omission)"
                        : "intended send time on its Poisson schedule (corrected for coordinated omission)")
                        + " to the last byte of each good answer; resolution " + (r.resolution() == null ? "not recorded" : r.resolution())
                        + "; requests = how many answers the histogram held.");
            }
        }
        return List.copyOf(out);
    }

    /** The section for comparison.md, or an empty string when no stack has an open-model step. */
    static String markdown(RunRecord run) {
        List<Row> rows = rows(run);
        if (rows.isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder("\n## Open-model steps (rate and SLO search)\n\n");
        md.append("Poisson arrivals at a target rate. Latency in ms: ");
        md.append(String.join(" ", sources(rows)));
        md.append(" Schedule lag: how late a request left against its intended send time; late > 1 ms and connection "
                + "waits (every connection busy at the intended time) count requests; a generator that falls behind "
                + "its schedule shows here first. Client CPU: the load client's CPU time per good answer.\n");
        List<List<String>> groups = rows.stream().map(r -> List.of(r.workload(), r.stack())).distinct().toList();
        for (List<String> group : groups) {
            md.append("\n### ").append(group.get(0)).append(": ").append(group.get(1)).append("\n\n");
            md.append("| step | target req/s | throughput req/s | p50 ms | p90 ms | p99 ms | p99.9 ms | requests "
                    + "| schedule lag p99 us | late > 1 ms | connection waits | client CPU us/req | histogram log |\n");
            md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
            for (Row r : rows) {
                if (!r.workload().equals(group.get(0)) || !r.stack().equals(group.get(1))) {
                    continue;
                }
                md.append("| ").append(r.scenario()).append(" ").append(r.step()).append(r.sloResult() ? " (SLO result)" : "")
                        .append(r.valid() ? "" : " (INVALID)")
                        .append(" | ").append(r.targetRate() == null ? "-" : num(r.targetRate()))
                        .append(" | ").append(num(r.throughput()))
                        .append(" | ").append(millis(r.p50(), r)).append(" | ").append(percentile(r.p90(), "p90", r))
                        .append(" | ").append(percentile(r.p99(), "p99", r)).append(" | ").append(percentile(r.p999(), "p99.9", r))
                        .append(" | ").append(r.latencyRequests() == null ? "-" : String.format(Locale.ROOT, "%,d", r.latencyRequests()))
                        .append(" | ").append(r.scheduleLagP99Micros() == null ? "-" : num(r.scheduleLagP99Micros()))
                        .append(" | ").append(orDash(r.lateOver1ms()))
                        .append(" | ").append(orDash(r.connectionWaits()))
                        .append(" | ").append(r.clientCpuMicrosPerRequest() == null ? "-" : num(r.clientCpuMicrosPerRequest()))
                        .append(" | ").append(r.histogramLog() == null ? "-" : "[" + fileName(r.histogramLog()) + "](" + r.histogramLog() + ")")
                        .append(" |\n");
            }
            for (Row r : rows) {
                if (r.workload().equals(group.get(0)) && r.stack().equals(group.get(1)) && !r.valid()) {
                    md.append("\n").append(r.scenario()).append(" ").append(r.step()).append(" INVALID: ")
                            .append(String.join("; ", r.reasons())).append("\n");
                }
            }
            for (Row r : rows) {
                if (r.workload().equals(group.get(0)) && r.stack().equals(group.get(1)) && r.attempts() > 1) {
                    md.append("\n").append(attempts(r)).append("\n");
                }
            }
        }
        return md.toString();
    }

    /** A step measured more than once, in words: which attempt the figures are, and why the earlier ones were set aside. */
    static String attempts(Row r) {
        return r.scenario() + " " + r.step() + ": the figures are attempt " + r.attempts() + " of " + r.attempts()
                + (r.earlierAttempts().isEmpty() ? "" : "; set aside: " + String.join("; ", r.earlierAttempts()));
    }

    /** A tail percentile, or what it reads when withheld for too few requests behind it. */
    static String percentile(Double v, String label, Row r) {
        if (v == null && Validity.withheld(r.withheld(), label)) {
            return "too few requests" + (r.latencyRequests() == null ? "" : String.format(Locale.ROOT, " (n=%,d)", r.latencyRequests()));
        }
        return millis(v, r);
    }

    /** Milliseconds to the microsecond (3 decimals) for the load client's figures; Gatling's whole milliseconds as they were. */
    static String millis(Double v, Row r) {
        if (v == null) {
            return "-";
        }
        return r.resolution() != null ? String.format(Locale.ROOT, "%.3f", v) : num(v);
    }

    private static String orDash(Long v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%,d", v);
    }

    private static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static String num(double v) {
        if (Math.abs(v) >= 100) {
            return String.format(Locale.ROOT, "%,d", Math.round(v));
        }
        return String.format(Locale.ROOT, "%.3g", v).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "");
    }
}
