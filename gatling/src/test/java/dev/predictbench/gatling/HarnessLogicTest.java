package dev.predictbench.gatling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictbench.gatling.load.StepOutcome;
import dev.predictbench.gatling.load.StepPlan;
import dev.predictbench.results.RunRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The harness's arithmetic: the load client's outcomes to steps, stability, saturation, the SLO search, settings. */
class HarnessLogicTest {

    private static StepOutcome.Percentiles pct(long count, double p50, double p99) {
        return new StepOutcome.Percentiles(count, p50, p50 * 1.5, p99, p99 * 1.2, p99 * 2, p50 * 1.1);
    }

    private static StepOutcome.WindowOutcome window(long completed, long failed, double seconds, double clientCpu) {
        return new StepOutcome.WindowOutcome(seconds, completed, failed, completed / seconds, pct(completed, 300, 900), 0.5,
                100_000_000L, clientCpu);
    }

    private static StepOutcome outcome(StepPlan plan, List<StepOutcome.WindowOutcome> windows, long failed, double clientCpu,
                                       double serverCpu) {
        long completed = windows.stream().mapToLong(StepOutcome.WindowOutcome::completed).sum();
        double seconds = plan.windows() * plan.windowSeconds();
        return new StepOutcome(plan, plan.open() ? "intended" : "sent", seconds, completed + failed, completed,
                new StepOutcome.Failures(failed, failed == 0 ? Map.of() : Map.of("500", failed), 0, 0, 0, 0, null), completed,
                completed / seconds, pct(completed, 412, 2345), pct(completed, 400, 2000),
                plan.open() ? pct(completed, 40, 700) : null, 3, 0, windows, clientCpu, 0.0, clientCpu * 1e6 / completed,
                new StepOutcome.ServerUse(serverCpu, 123_000_000L), null, "tabular-sweep-" + plan.name() + ".hlog", 0.01);
    }

    @Test
    void aClosedStepTakesThroughputFromCompletionsAndLatencyFromThePooledHistogram() {
        StepPlan plan = StepPlan.closed("c4", 4, 1, 1.0, 2, 10);
        StepOutcome o = outcome(plan, List.of(window(1000, 0, 1, 0.2), window(1100, 0, 1, 0.2)), 0, 0.4, 1.05);
        RunRecord.Step step = LoadSteps.step(o, Path.of("/run/javalin/load"), Path.of("/run"), 0.15, 1);
        assertEquals(1050.0, step.throughput(), "mean of the windows' completions per second");
        assertEquals(2100, step.requests());
        assertEquals(4, step.concurrency());
        assertEquals(0.5, step.serverCpuMillisPerRequest(), 1e-9, "1.05 s of server CPU over 2100 answers");
        assertEquals(0.412, step.latency().p50(), "microseconds to milliseconds, to the microsecond");
        assertEquals(2.345, step.latency().p99());
        assertEquals(2100L, step.latency().requests(), "the requests behind the pooled percentiles");
        assertEquals("ms", step.latency().unit());
        assertEquals(0.2, step.generatorCpuShare(), 1e-9, "0.4 s of client CPU over 2 s on one CPU");
        assertFalse(step.generatorSaturated());
        assertEquals(0.0952, step.spread(), 1e-4);
        assertTrue(step.stable());
        assertEquals("closed", step.generator().model());
        assertFalse(step.generator().coordinatedOmissionCorrected());
        assertNull(step.generator().scheduleLag(), "a closed step has no schedule");
        assertTrue(step.sources().get("latency").contains("not corrected for coordinated omission"));
        assertEquals("javalin/load/tabular-sweep-c4.hlog", step.generator().histogramLog(), "relative to the run folder");
    }

    @Test
    void anOpenStepRecordsItsScheduleAndABusyGeneratorIsFlagged() {
        StepPlan plan = StepPlan.open("r500", 500, 64, 0, 1.0, 2, 10);
        StepOutcome o = outcome(plan, List.of(window(500, 0, 1, 0.98), window(300, 2, 1, 0.97)), 2, 1.95, 0.3);
        RunRecord.Step step = LoadSteps.step(o, Path.of("/run/x/load"), Path.of("/run"), 0.15, 1);
        assertFalse(step.stable(), "500 and 300 per second do not agree within 15%");
        assertEquals(2, step.errors());
        assertEquals(500.0, step.targetRate());
        assertTrue(step.generatorSaturated(), "0.975 of the generator's CPU");
        assertTrue(step.generator().coordinatedOmissionCorrected());
        assertEquals("intended send time", step.generator().timedFrom());
        assertEquals(700.0, step.generator().scheduleLag().p99(), "lag stays in microseconds");
        assertEquals("us", step.generator().scheduleLag().unit());
        assertEquals(3, step.generator().lateOver1ms());
        assertEquals(Map.of("500", 2L), step.generator().failures().byStatus());
        List<String> reasons = Scenarios.stepReasons(step, 0.15);
        assertEquals(3, reasons.size(), reasons.toString());
    }

    @Test
    void sloSearchNarrowsBetweenTheBestPassAndTheFirstFail() {
        assertEquals(List.of(300.0, 600.0, 900.0, 1200.0), SloSearch.firstRound(1000, 4));
        List<RunRecord.Step> tried = List.of(step(300, 2, 0, 300), step(600, 4, 0, 598), step(900, 9, 0, 890), step(1200, 50, 3, 1000));
        assertEquals(List.of(700.0, 800.0), SloSearch.nextRound(tried, 5, 2));
        RunRecord.Scenario result = SloSearch.result(tried, 5, List.of());
        assertEquals(RunRecord.Status.VALID, result.status());
        assertEquals(600.0, result.slo().maxRate());
    }

    @Test
    void sloIsInvalidWhenNothingPassesOrTheServerFallsBehind() {
        RunRecord.Scenario none = SloSearch.result(List.of(step(300, 7, 0, 300)), 5, List.of());
        assertEquals(RunRecord.Status.INVALID, none.status());
        assertNull(none.slo().maxRate());
        assertFalse(SloSearch.passes(step(1000, 2, 0, 700), 5), "fast answers but only 70% of the offered rate");
    }

    @Test
    void settingsRejectNonsenseWithAClearMessage() {
        System.setProperty("bench.scenarios", "sweep,soak");
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, BenchSettings::fromSystemProperties);
            assertTrue(e.getMessage().contains("unknown scenario 'soak'"), e.getMessage());
        } finally {
            System.clearProperty("bench.scenarios");
        }
        System.setProperty("bench.stacks", "javalin,flask");
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, BenchSettings::fromSystemProperties);
            assertTrue(e.getMessage().contains("unknown stack 'flask'"), e.getMessage());
        } finally {
            System.clearProperty("bench.stacks");
        }
        assertEquals(3, CpuList.size("0,2-3"));
        assertThrows(IllegalArgumentException.class, () -> CpuList.size("3-1"));
    }

    private static RunRecord.Step step(double rate, double p99, long errors, double throughput) {
        return new RunRecord.Step("r" + (long) rate, null, rate, throughput, 1000, errors,
                new RunRecord.Latency(1.0, 1.5, p99, p99, p99, 1.0, "ms", "test"), null, null, 0.1, false, 0.01, true, 1,
                List.of(), Map.of());
    }
}
