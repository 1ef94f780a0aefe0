package dev.predictbench.results.report;

import dev.predictbench.results.RunRecord;
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
 * @param frameworkTax       (peak throughput / server cores) / the pipeline ceiling's ops/s per thread
 * @param invalidScenarios   the scenarios of this workload marked INVALID
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
        String openapi,
        Integer glueLines,
        List<String> genai,
        Map<String, Integer> genaiEndpoints,
        List<String> invalidScenarios,
        String probesSource) {

    /** The workload the comparison table is about: tabular when the run has it, else the first. */
    public static String primaryWorkload(RunRecord run) {
        List<String> names = Report.workloadNames(run);
        return names.contains("tabular") || names.isEmpty() ? "tabular" : names.getFirst();
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
        Double tax = null;
        if (peak != null && jmh.pipeline() != null) {
            tax = peak.throughput() / cores / jmh.pipeline().opsPerSecondPerThread();
        }
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
                cores, tax,
                probes == null ? null : probes.openapi(),
                probes == null ? null : probes.glueLines(),
                probes == null ? null : probes.genai(),
                probes == null ? null : probes.genaiEndpoints(),
                invalid, probesSource);
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
