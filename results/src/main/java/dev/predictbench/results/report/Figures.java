package dev.predictbench.results.report;

import dev.predictbench.results.RunRecord;
import dev.predictbench.results.Validity;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The raw figures behind one stack's column of the comparison table, for one workload: every
 * number a verdict is derived from, taken from the run record (and the probes), never typed in. A
 * figure the run did not measure is null.
 *
 * @param measured           the workload was measured (the stack started and passed conformance)
 * @param peakThroughput     the highest sweep throughput (requests/s) and its step
 * @param sloMaxRate         the SLO search's highest passing rate, null when no rate passed
 * @param p99At75            p99 (ms) at the rate step nearest 75% of the best sweep throughput
 * @param loadFraction75     the fraction that step actually had (0.75 unless the settings differ; with
 *                           absolute rates, its target rate / the best sweep throughput)
 * @param p99At75Requests    the requests behind that p99 (null in records made with Gatling, which did not say)
 * @param latencySource      who timed the steps' latency and to what resolution, in words
 * @param lowConcurrency     the sweep step the async rule starts from (16 users, or the nearest)
 * @param highConcurrency    the sweep's largest concurrency
 * @param throughputHold     throughput at {@code highConcurrency} / at {@code lowConcurrency}
 * @param p99Growth          p99 at {@code highConcurrency} / at {@code lowConcurrency}
 * @param littleGrowth       the p99 growth queueing alone explains (Little's law: concurrency ratio
 *                           times the inverse throughput ratio)
 * @param readyMillis        launch to the first 200 of /health/ready
 * @param rssStartBytes      RSS right after start-up
 * @param rssPeakBytes       the largest RSS at any step's end
 * @param cpuMillisAtPeak    server CPU ms per request at the peak sweep step
 * @param probeP50Micros     the sequential probe's p50 (us)
 * @param serverCores        CPUs in the server's CPU set
 * @param frameworkTax       (peak throughput / server cores) / this workload's in-process ceiling (ops/s on
 *                           one thread); null when the stack has no peak or the workload has no ceiling
 * @param frameworkTaxCeiling the ceiling the tax was measured against ({@link JmhCeiling.Ceiling#description()}),
 *                           or {@link JmhCeiling#notMeasured} when the run has no ceiling for this workload
 * @param invalidScenarios   the scenarios of this workload marked INVALID
 * @param invalid            why a figure cannot back a verdict (an INVALID step or scenario, a withheld
 *                           percentile), per figure; null members are usable
 * @param controlDrift       the control's drift for this workload (|last - first| / first of the control
 *                           stack's figure): differences between stacks up to it are not significant;
 *                           null when the run had no valid control
 * @param control            the control in words (what was measured twice and how far it moved, or why
 *                           there is no drift); null for records made before the control existed
 */
public record Figures(
        String stack,
        String status,
        boolean measured,
        Double peakThroughput,
        String peakStep,
        Double sloMaxRate,
        double sloObjectiveMillis,
        Double p99At75,
        Double loadFraction75,
        Long p99At75Requests,
        String latencySource,
        Integer lowConcurrency,
        Integer highConcurrency,
        Double throughputHold,
        Double p99Growth,
        Double littleGrowth,
        String threadingModel,
        Double readyMillis,
        Long rssStartBytes,
        Long rssPeakBytes,
        Double cpuMillisAtPeak,
        Double probeP50Micros,
        int serverCores,
        Double frameworkTax,
        String frameworkTaxCeiling,
        String openapi,
        Integer glueLines,
        List<String> genai,
        Map<String, Integer> genaiEndpoints,
        List<String> invalidScenarios,
        String probesSource,
        Invalid invalid,
        Double controlDrift,
        String control) {

    /**
     * Why each figure a verdict rests on cannot back one, or null when it can.
     *
     * @param peak    the sweep's peak throughput (the sweep or its peak step INVALID)
     * @param slo     the SLO-bounded throughput (the search INVALID while it found a rate, or its result step INVALID)
     * @param p99At75 p99 at 75% load (the rate scenario or that step INVALID, or the p99 withheld)
     * @param sweep   the async rule's two sweep steps (INVALID, or their p99 withheld)
     */
    public record Invalid(String peak, String slo, String p99At75, String sweep) {
        public static final Invalid NONE = new Invalid(null, null, null, null);
    }

    /** The workload the comparison table is about: tabular when the run has it, else the first. */
    public static String primaryWorkload(RunRecord run) {
        List<String> names = Report.workloadNames(run);
        return names.contains("tabular") || names.isEmpty() ? "tabular" : names.getFirst();
    }

    /**
     * Whether the stack runs in Python: its {@code /info} names the Python it runs on ({@code python})
     * and no JVM. Its framework tax is then measured against the Python ceiling.
     */
    static boolean python(RunRecord.StackResult s) {
        return s.info() != null && s.info().get("python") != null && s.info().get("jvm") == null;
    }

    static Figures of(RunRecord run, RunRecord.StackResult s, String workload, JmhCeiling jmh, RunRecord.Probes probes,
                      String probesSource) {
        RunRecord.Workload w = s.workloads() == null ? null : s.workloads().get(workload);
        Map<String, RunRecord.Scenario> sc = w == null || w.scenarios() == null ? Map.of() : w.scenarios();
        RunRecord.Scenario sweep = sc.get("sweep");
        RunRecord.Scenario rate = sc.get("rate");
        RunRecord.Scenario slo = sc.get("slo");
        List<RunRecord.Step> sweepSteps = sweep == null || sweep.steps() == null ? List.of() : sweep.steps();
        RunRecord.Step peak = sweepSteps.stream().max(Comparator.comparingDouble(RunRecord.Step::throughput)).orElse(null);

        Double p99At75 = null;
        Double fraction = null;
        Long p99At75Requests = null;
        RunRecord.Step p99At75Step = null;
        List<Double> fractions = rateShares(run, rate, peak);
        if (fractions != null) {
            int nearest = 0;
            for (int i = 1; i < fractions.size(); i++) {
                if (Math.abs(fractions.get(i) - 0.75) < Math.abs(fractions.get(nearest) - 0.75)) {
                    nearest = i;
                }
            }
            fraction = fractions.get(nearest);
            RunRecord.Step at75 = rate.steps().get(nearest);
            p99At75Step = at75;
            p99At75 = p99(at75);
            p99At75Requests = at75.latency() == null ? null : at75.latency().requests();
        }

        RunRecord.Step low = sweepSteps.stream().filter(st -> st.concurrency() != null)
                .min(Comparator.comparingInt(st -> Math.abs(st.concurrency() - 16))).orElse(null);
        RunRecord.Step high = sweepSteps.stream().filter(st -> st.concurrency() != null)
                .max(Comparator.comparingInt(RunRecord.Step::concurrency)).orElse(null);
        Double hold = null;
        Double growth = null;
        Double little = null;
        if (low != null && high != null && high.concurrency() > low.concurrency() && low.throughput() > 0) {
            hold = high.throughput() / low.throughput();
            Double p99Low = p99(low);
            Double p99High = p99(high);
            if (p99Low != null && p99High != null) {
                // A p99 of 0 would divide by zero: Gatling's whole milliseconds say 0 for anything under 1 ms (half a
                // millisecond stands for it); the load client's figures are never below its 1 us resolution.
                double floor = low.latency().resolution() == null ? 0.5 : 0.001;
                growth = p99High / Math.max(floor, p99Low);
            }
            little = (double) high.concurrency() / low.concurrency() / hold;
        }

        Long rssPeak = sc.values().stream().filter(x -> x.steps() != null).flatMap(x -> x.steps().stream())
                .map(RunRecord.Step::serverRssBytes).filter(r -> r != null).max(Long::compare).orElse(null);
        int cores = cores(run.environment() == null ? null : run.environment().serverCpuSet());
        // The workload's own ceiling only: a tax against another workload's ceiling would mean nothing.
        JmhCeiling.Ceiling ceiling = jmh.ceiling(workload, python(s));
        Double tax = null;
        if (peak != null && ceiling != null) {
            tax = peak.throughput() / cores / ceiling.opsPerSecondPerThread();
        }
        String taxCeiling = ceiling == null ? JmhCeiling.notMeasured(workload) : ceiling.description();
        String model = null;
        if (s.info() != null && s.info().get("threading") instanceof Map<?, ?> t && t.get("model") != null) {
            model = String.valueOf(t.get("model"));
        }
        List<String> invalid = sc.entrySet().stream().filter(e -> e.getValue().status() == RunRecord.Status.INVALID)
                .map(Map.Entry::getKey).toList();
        return new Figures(s.stack(), String.valueOf(s.status()), w != null && peak != null,
                peak == null ? null : peak.throughput(), peak == null ? null : peak.name(),
                slo == null || slo.slo() == null ? null : slo.slo().maxRate(),
                run.settings() == null ? 0 : objective(run, workload),
                p99At75, fraction, p99At75Requests, latencySource(sc),
                low == null ? null : low.concurrency(), high == null ? null : high.concurrency(), hold, growth, little,
                model,
                s.startup() == null ? null : s.startup().readyMillis(),
                s.startup() == null ? null : s.startup().rssBytes(),
                rssPeak,
                peak == null ? null : peak.serverCpuMillisPerRequest(),
                w == null || w.probe() == null || w.probe().latency() == null ? null : w.probe().latency().p50(),
                cores, tax, taxCeiling,
                probes == null ? null : probes.openapi(),
                probes == null ? null : probes.glueLines(),
                probes == null ? null : probes.genai(),
                probes == null ? null : probes.genaiEndpoints(),
                invalid, probesSource,
                new Invalid(peakInvalid(sweep, peak), sloInvalid(slo), rateInvalid(rate, p99At75Step),
                        sweepInvalid(sweep, low, high)),
                drift(run, workload), control(run, workload));
    }

    /** Why the sweep's peak cannot back a verdict, or null. */
    static String peakInvalid(RunRecord.Scenario sweep, RunRecord.Step peak) {
        if (sweep == null || peak == null) {
            return null;
        }
        String scenario = scenarioInvalid("sweep", sweep);
        return scenario != null ? scenario : stepInvalid("sweep", peak);
    }

    /**
     * Why the SLO-bounded throughput cannot back a verdict, or null. A search in which no rate met
     * the objective found the answer "none": the scenario is INVALID for that alone, and the verdict
     * rests on it.
     */
    static String sloInvalid(RunRecord.Scenario slo) {
        if (slo == null || slo.slo() == null || slo.slo().maxRate() == null) {
            return null;
        }
        String scenario = scenarioInvalid("slo", slo);
        if (scenario != null) {
            return scenario;
        }
        RunRecord.Step result = slo.steps() == null ? null
                : slo.steps().stream().filter(st -> st.name().equals(slo.slo().step())).findFirst().orElse(null);
        return result == null ? null : stepInvalid("slo", result);
    }

    /** Why p99 at the rate step nearest 75% load cannot back a verdict, or null. */
    static String rateInvalid(RunRecord.Scenario rate, RunRecord.Step step) {
        if (rate == null || step == null) {
            return null;
        }
        String scenario = scenarioInvalid("rate", rate);
        if (scenario != null) {
            return scenario;
        }
        String invalid = stepInvalid("rate", step);
        if (invalid != null) {
            return invalid;
        }
        return Validity.withheld(step.latency(), "p99") ? "rate " + step.name() + " p99: " + Validity.tooFew(step.latency()) : null;
    }

    /** Why the async rule's sweep steps cannot back a verdict, or null. */
    static String sweepInvalid(RunRecord.Scenario sweep, RunRecord.Step low, RunRecord.Step high) {
        if (sweep == null || low == null || high == null) {
            return null;
        }
        String scenario = scenarioInvalid("sweep", sweep);
        if (scenario != null) {
            return scenario;
        }
        for (RunRecord.Step st : List.of(low, high)) {
            String invalid = stepInvalid("sweep", st);
            if (invalid != null) {
                return invalid;
            }
            if (Validity.withheld(st.latency(), "p99")) {
                return "sweep " + st.name() + " p99: " + Validity.tooFew(st.latency());
            }
        }
        return null;
    }

    private static String scenarioInvalid(String name, RunRecord.Scenario sc) {
        return sc.status() != RunRecord.Status.INVALID ? null : name + " INVALID" + first(sc.reasons());
    }

    static String stepInvalid(String scenario, RunRecord.Step step) {
        return step.valid() ? null : scenario + " " + step.name() + " INVALID" + first(Validity.reasons(step));
    }

    /** The first reason and how many more (a table cell stays readable; the step tables list them all). */
    private static String first(List<String> reasons) {
        if (reasons == null || reasons.isEmpty()) {
            return "";
        }
        return ": " + reasons.getFirst() + (reasons.size() > 1 ? " (+" + (reasons.size() - 1) + " more)" : "");
    }

    /**
     * The control's drift for a workload, when the control measured it: a drift is only recorded from
     * valid steps at both ends, so a control INVALID for another workload still has this one's.
     */
    static Double drift(RunRecord run, String workload) {
        RunRecord.Control c = run.conduct() == null ? null : run.conduct().control();
        if (c == null || c.workloads() == null || c.workloads().get(workload) == null) {
            return null;
        }
        return c.workloads().get(workload).drift();
    }

    /** The control for a workload in words, or null for records made before the control existed. */
    static String control(RunRecord run, String workload) {
        if (run.conduct() == null) {
            return null;
        }
        RunRecord.Control c = run.conduct().control();
        if (c == null) {
            return "not measured: no drift to tell differences between stacks from the machine's";
        }
        RunRecord.Drift d = c.workloads() == null ? null : c.workloads().get(workload);
        if (d == null || d.drift() == null) {
            String why = c.status() == RunRecord.Status.INVALID && c.reasons() != null && !c.reasons().isEmpty()
                    ? "INVALID (" + String.join("; ", c.reasons()) + ")" : "did not measure " + workload + " again";
            return c.stack() + " " + why + ": no drift to tell differences between stacks from the machine's";
        }
        return c.stack() + " measured again at the end of the run: " + d.figure() + " " + ComparisonTable.num(d.first()) + " -> "
                + ComparisonTable.num(d.last()) + ", drift " + ComparisonTable.pct1(d.drift());
    }

    /**
     * Each rate step's share of the best sweep throughput, in step order: the settings' fractions,
     * or for absolute rates ({@code settings.load.rates}) each step's target rate / the peak; null
     * when unknown.
     */
    static List<Double> rateShares(RunRecord run, RunRecord.Scenario rate, RunRecord.Step peak) {
        if (rate == null || rate.steps() == null || rate.steps().isEmpty() || run.settings() == null) {
            return null;
        }
        if (run.settings().load() != null && run.settings().load().rates() != null) {
            if (peak == null || peak.throughput() <= 0 || rate.steps().stream().anyMatch(st -> st.targetRate() == null)) {
                return null;
            }
            return rate.steps().stream().map(st -> st.targetRate() / peak.throughput()).toList();
        }
        List<Double> fractions = run.settings().rateFractions();
        return fractions != null && fractions.size() == rate.steps().size() ? fractions : null;
    }

    /** Who timed a workload's step latencies and to what resolution, from its first step with a latency. */
    static String latencySource(Map<String, RunRecord.Scenario> scenarios) {
        return scenarios.values().stream().filter(x -> x.steps() != null).flatMap(x -> x.steps().stream())
                .filter(st -> st.latency() != null).findFirst().map(Figures::latencySource).orElse(null);
    }

    /** Who timed a step's latency and to what resolution, in words. */
    static String latencySource(RunRecord.Step step) {
        if (step.generator() == null) {
            return "Gatling, whole ms (median of windows)";
        }
        String resolution = step.latency() == null ? null : step.latency().resolution();
        return "load client, " + (resolution == null ? "resolution not recorded" : resolution);
    }

    private static Double p99(RunRecord.Step step) {
        return step.latency() == null ? null : step.latency().p99();
    }

    /** CPUs in a {@code taskset -c} list such as {@code 0}, {@code 0-3} or {@code 0,2-3}; 1 when unknown. */
    static int cores(String cpuSet) {
        if (cpuSet == null || cpuSet.isBlank()) {
            return 1;
        }
        int n = 0;
        for (String part : cpuSet.split(",")) {
            String[] range = part.trim().split("-");
            try {
                n += range.length == 2 ? Integer.parseInt(range[1].trim()) - Integer.parseInt(range[0].trim()) + 1 : 1;
            } catch (NumberFormatException e) {
                n += 1;
            }
        }
        return Math.max(1, n);
    }

    /** The workload's p99 objective: from settings.sloObjectives, else (older records) sloP99Millis. */
    static double objective(RunRecord run, String workload) {
        if (run.settings().sloObjectives() != null && run.settings().sloObjectives().get(workload) != null) {
            return run.settings().sloObjectives().get(workload);
        }
        return run.settings().sloP99Millis();
    }
}
