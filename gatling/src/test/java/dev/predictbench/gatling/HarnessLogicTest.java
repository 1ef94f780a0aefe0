package dev.predictbench.gatling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictbench.contract.Stacks;
import dev.predictbench.gatling.load.Stability;
import dev.predictbench.gatling.load.StepOutcome;
import dev.predictbench.gatling.load.StepPlan;
import dev.predictbench.results.RunRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The harness's arithmetic and its validity rules: the load client's outcomes to steps, too few
 * requests, unsettled windows, late sends, connection waits, saturation, the SLO bracket, rounds,
 * the control, settings.
 */
class HarnessLogicTest {

    private static StepOutcome.Percentiles pct(long count, double p50, double p99) {
        return new StepOutcome.Percentiles(count, p50, p50 * 1.5, p99, p99 * 1.2, p99 * 2, p50 * 1.1);
    }

    private static StepOutcome.WindowOutcome window(long completed, long failed, double seconds, double clientCpu) {
        return window(completed, failed, seconds, clientCpu, 300);
    }

    private static StepOutcome.WindowOutcome window(long completed, long failed, double seconds, double clientCpu, double p50) {
        return new StepOutcome.WindowOutcome(seconds, completed, failed, completed / seconds, pct(completed, p50, 900), 0.5,
                100_000_000L, clientCpu, 3L);
    }

    private static StepOutcome outcome(StepPlan plan, List<StepOutcome.WindowOutcome> windows, long failed, double clientCpu,
                                       double serverCpu, long late, long waits, String stopped) {
        long completed = windows.stream().mapToLong(StepOutcome.WindowOutcome::completed).sum();
        double seconds = windows.stream().mapToDouble(StepOutcome.WindowOutcome::seconds).sum();
        return new StepOutcome(plan, plan.open() ? "intended" : "sent", seconds, completed + failed, completed,
                new StepOutcome.Failures(failed, failed == 0 ? Map.of() : Map.of("500", failed), 0, 0, 0, 0, null), completed,
                completed / seconds, pct(completed, 412, 2345), pct(completed, 400, 2000),
                plan.open() ? pct(completed, 40, 700) : null, late, waits, windows, clientCpu, 0.0, clientCpu * 1e6 / completed,
                new StepOutcome.ServerUse(serverCpu, 123_000_000L), null, "tabular-sweep-" + plan.name() + ".hlog", 0.01,
                new StepOutcome.Health(9L, 12.5, 0.001, windows.size() + 1, stopped));
    }

    private static StepPlan closed(String name, int c) {
        return StepPlan.closed(name, c, 1, 1.0, 3, 10).adaptive(8, 500, 0.10, 15);
    }

    private static StepPlan open(String name, double rate) {
        return StepPlan.open(name, rate, 64, 0, 1.0, 3, 10).adaptive(8, 500, 0.10, 15);
    }

    private static List<StepOutcome.WindowOutcome> steady(long perWindow) {
        return List.of(window(perWindow, 0, 1, 0.2), window(perWindow + 50, 0, 1, 0.2), window(perWindow, 0, 1, 0.2));
    }

    private static RunRecord.Step step(StepOutcome o) {
        return LoadSteps.step(o, Path.of("/run/javalin/load"), Path.of("/run"), 0.10, 1);
    }

    @Test
    void aSettledClosedStepIsValidWithThroughputFromCompletionsAndLatencyFromThePooledHistogram() {
        StepOutcome o = outcome(closed("c4", 4), steady(1000), 0, 0.6, 1.525, 0, 0, "stable");
        RunRecord.Step step = step(o);
        assertEquals(1016.7, step.throughput(), "mean of the windows' completions per second");
        assertEquals(3050, step.requests());
        assertEquals(0.5, step.serverCpuMillisPerRequest(), 1e-9, "1.525 s of server CPU over 3050 answers");
        assertEquals(0.412, step.latency().p50(), "microseconds to milliseconds, to the microsecond");
        assertEquals(2.345, step.latency().p99(), "3050 requests are enough for a p99 (662)");
        assertNull(step.latency().p999(), "but not for a p99.9");
        assertTrue(step.latency().withheld().contains("p99.9: too few requests (3050 < "), step.latency().withheld());
        assertEquals(3050L, step.latency().requests());
        assertEquals(0.2, step.generatorCpuShare(), 1e-9, "0.6 s of client CPU over 3 s on one CPU");
        assertTrue(step.stable());
        assertTrue(step.valid(), String.valueOf(step.reasons()));
        assertEquals(9L, step.health().compiles());
        assertEquals(4, step.health().windowsNeeded());
        assertFalse(step.generator().coordinatedOmissionCorrected());
        assertNull(step.generator().scheduleLag(), "a closed step has no schedule");
        assertEquals("javalin/load/tabular-sweep-c4.hlog", step.generator().histogramLog(), "relative to the run folder");
    }

    @Test
    void earlyStoppingCountsAreLoadGens() {
        assertEquals(662, Stability.minRequests(99), "LoadGen: p99 at 99% confidence with one request over it");
        assertEquals(64, Stability.minRequests(90));
        long p999 = Stability.minRequests(99.9);
        assertTrue(p999 > 6600 && p999 < 6700, "p99.9 needs about ten times p99's: " + p999);
    }

    @Test
    void tooFewRequestsWithholdTheP99AndInvalidateTheStep() {
        List<StepOutcome.WindowOutcome> small = List.of(window(200, 0, 1, 0.1), window(210, 0, 1, 0.1), window(205, 0, 1, 0.1));
        RunRecord.Step step = step(outcome(closed("c1", 1), small, 0, 0.3, 0.5, 0, 0, "stable"));
        assertNull(step.latency().p99(), "615 requests cannot carry a p99");
        assertEquals(0.412, step.latency().p50(), "the median is still published");
        assertFalse(step.valid());
        assertTrue(step.reasons().stream().anyMatch(r -> r.contains("too few requests") && r.contains("615 < 662")),
                step.reasons().toString());
        assertTrue(step.reasons().stream().anyMatch(r -> r.contains("good answers (a window needs 500)")), step.reasons().toString());
    }

    @Test
    void windowsThatDisagreeOnMedianLatencyAreUnsettledEvenAtSteadyThroughput() {
        List<StepOutcome.WindowOutcome> w = List.of(window(1000, 0, 1, 0.2, 300), window(1000, 0, 1, 0.2, 420),
                window(1000, 0, 1, 0.2, 600));
        RunRecord.Step step = step(outcome(closed("c64", 64), w, 0, 0.6, 1, 0, 0, "cap"));
        assertFalse(step.stable());
        assertFalse(step.valid());
        assertTrue(step.reasons().getFirst().contains("did not settle") && step.reasons().getFirst().contains("100.0% on median"),
                step.reasons().toString());
    }

    @Test
    void lateSendsAndConnectionWaitsMeasureTheGeneratorAndInvalidateTheStep() {
        RunRecord.Step late = step(outcome(open("r1000", 1000), steady(1000), 0, 0.6, 1, 40, 0, "stable"));
        assertFalse(late.valid());
        assertTrue(late.reasons().stream().anyMatch(r -> r.contains("more than 1 ms late") && r.contains("1.3%")),
                late.reasons().toString());
        RunRecord.Step onTime = step(outcome(open("r1000", 1000), steady(1000), 0, 0.6, 1, 30, 0, "stable"));
        assertTrue(onTime.valid(), "30 of 3050 late is under 1%: " + onTime.reasons());
        RunRecord.Step waited = step(outcome(open("r1000", 1000), steady(1000), 0, 0.6, 1, 0, 1, "stable"));
        assertFalse(waited.valid());
        assertTrue(waited.reasons().getFirst().contains("found all 64 connections busy"), waited.reasons().toString());
    }

    @Test
    void onlyAStepWhoseSoleFaultIsLateSendsMayBeMeasuredAgain() {
        StepOutcome late = outcome(open("r1000", 1000), steady(1000), 0, 0.6, 1, 40, 0, "stable");
        assertTrue(LoadSteps.lateOnly(late, step(late)));
        StepOutcome lateAndFailed = outcome(open("r1000", 1000), steady(1000), 3, 0.6, 1, 40, 0, "stable");
        assertFalse(LoadSteps.lateOnly(lateAndFailed, step(lateAndFailed)), "the server's failures are the server's");
        List<StepOutcome.WindowOutcome> drifting = List.of(window(1000, 0, 1, 0.2, 300), window(1000, 0, 1, 0.2, 420),
                window(1000, 0, 1, 0.2, 600));
        StepOutcome lateAndUnsettled = outcome(open("r1000", 1000), drifting, 0, 0.6, 1, 40, 0, "cap");
        assertFalse(LoadSteps.lateOnly(lateAndUnsettled, step(lateAndUnsettled)), "an unsettled server is not the generator's");
        StepOutcome onTime = outcome(open("r1000", 1000), steady(1000), 0, 0.6, 1, 30, 0, "stable");
        assertFalse(LoadSteps.lateOnly(onTime, step(onTime)), "nothing to measure again");
        StepOutcome waited = outcome(open("r1000", 1000), steady(1000), 0, 0.6, 1, 40, 2, "stable");
        assertFalse(LoadSteps.lateOnly(waited, step(waited)), "all connections busy: the server may have fallen behind");
    }

    @Test
    void failedRequestsAndASaturatedGeneratorInvalidate() {
        RunRecord.Step step = step(outcome(open("r500", 1000), steady(1000), 2, 2.95, 0.3, 0, 0, "stable"));
        assertTrue(step.generatorSaturated(), "0.98 of the generator's CPU");
        assertEquals(2, step.errors());
        assertEquals(2, step.reasons().size(), step.reasons().toString());
    }

    @Test
    void aStepStoppedOverItsObjectiveIsValidEvidenceOfTheMiss() {
        List<StepOutcome.WindowOutcome> one = List.of(window(300, 0, 1, 0.1, 90_000));
        RunRecord.Step step = step(outcome(open("r900", 900).withObjective(50), one, 0, 0.1, 1, 0, 0, "objective"));
        assertTrue(step.valid(), step.reasons().toString());
        assertFalse(SloSearch.passes(step, 50));
        assertTrue(SloSearch.fails(step, 50));
    }

    @Test
    void theSloSearchBisectsUntilTheBracketIsWithinTenPercent() {
        List<RunRecord.Step> tried = new ArrayList<>(List.of(slo(500, 2, 0, 500), slo(900, 80, 0, 880)));
        assertEquals(700.0, SloSearch.next(tried, 5, 1000, 0.10), "halfway between the pass and the fail");
        tried.add(slo(700, 3, 0, 700));
        assertEquals(800.0, SloSearch.next(tried, 5, 1000, 0.10));
        tried.add(slo(800, 9, 0, 790));
        assertEquals(750.0, SloSearch.next(tried, 5, 1000, 0.10), "700 to 800 is 14% wide");
        tried.add(slo(750, 4, 0, 750));
        assertNull(SloSearch.next(tried, 5, 1000, 0.10), "750 to 800 is 6.7%: done");
        RunRecord.Scenario result = SloSearch.result(tried, tried.subList(2, 5), 5, 0.10);
        assertEquals(RunRecord.Status.VALID, result.status(), result.reasons().toString());
        assertEquals(750.0, result.slo().maxRate());
        assertEquals(800.0, result.slo().failRate());
        assertEquals(0.0667, result.slo().bracket(), 1e-4);
        assertEquals(3, result.steps().size(), "the scenario's own steps; the rate steps stay in the rate scenario");
    }

    @Test
    void anUnclosedBracketOrNoPassIsInvalidAndTheGeneratorsFailuresAreNoEvidence() {
        List<RunRecord.Step> wide = List.of(slo(500, 2, 0, 500), slo(900, 80, 0, 880));
        RunRecord.Scenario open = SloSearch.result(wide, List.of(), 5, 0.10);
        assertEquals(RunRecord.Status.INVALID, open.status());
        assertTrue(open.reasons().getFirst().contains("80.0% wide"), open.reasons().toString());
        RunRecord.Scenario none = SloSearch.result(List.of(slo(300, 7, 0, 300)), List.of(), 5, 0.10);
        assertEquals(RunRecord.Status.INVALID, none.status());
        assertNull(none.slo().maxRate());
        assertFalse(SloSearch.passes(slo(1000, 2, 0, 700), 5), "fast answers but only 70% of the offered rate");
        assertEquals(700.0, SloSearch.next(List.of(), 5, 1000, 0.10), "no evidence: start at 70% of the peak");
        RunRecord.Step saturated = new RunRecord.Step("r900", null, 900.0, 900, 5000, 0,
                new RunRecord.Latency(1.0, 1.5, 30.0, null, 40.0, 1.0, "ms", "test"), null, null, 0.97, true, 0.01, true, 1,
                List.of(), Map.of());
        assertFalse(SloSearch.fails(saturated, 5), "a saturated generator is evidence of nothing");
    }

    @Test
    void roundsRotateTheOrderAndMergeToTheMedianOfValidRounds() {
        assertEquals(List.of("b", "c", "a"), BenchRunner.rotated(List.of("a", "b", "c"), 1));
        assertEquals(List.of("a", "b", "c"), BenchRunner.rotated(List.of("a", "b", "c"), 3));
        RunRecord.Step a = slo(0, 2, 0, 1000);
        RunRecord.Step b = slo(0, 4, 0, 1200);
        RunRecord.Step merged = Rounds.step(List.of(a, b), List.of(1, 2));
        assertEquals(1100.0, merged.throughput(), "the median of two is their mean");
        assertEquals(3.0, merged.latency().p99());
        assertEquals(2, merged.rounds().size());
        RunRecord.Step bad = new RunRecord.Step("r0", null, 0.0, 5000, 100, 3, b.latency(), null, null, 0.1, false, 0.01, true,
                1, List.of(), Map.of(), null, List.of("r0: 3 failed requests of 103"), null, null);
        RunRecord.Step one = Rounds.step(List.of(a, bad), List.of(1, 2));
        assertEquals(1000.0, one.throughput(), "an invalid round is not in the median");
        assertFalse(one.rounds().get(1).valid());
        RunRecord.Step retried = b.withAttempts(2, List.of("attempt 1: r0: late"));
        assertEquals(List.of("round 2: attempt 1: r0: late"), Rounds.step(List.of(a, retried), List.of(1, 2)).earlierAttempts(),
                "a round's set-aside attempts stay in the merged step");
    }

    @Test
    void theControlsDriftIsItsSweepPeakAgainstRoundOne() {
        RunRecord.StackResult first = stack(List.of(slo(0, 1, 0, 1000), slo(0, 1, 0, 2000)));
        RunRecord.StackResult last = stack(List.of(slo(0, 1, 0, 1100), slo(0, 1, 0, 1900)));
        RunRecord.Control control = Rounds.control(first, last);
        assertEquals(RunRecord.Status.VALID, control.status());
        assertEquals(0.05, control.workloads().get("tabular").drift(), 1e-9, "1900 against 2000");
    }

    @Test
    void settingsRejectNonsenseWithAClearMessage() {
        System.setProperty("bench.windows", "1");
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, BenchSettings::fromSystemProperties);
            assertTrue(e.getMessage().contains("bench.windows must be at least 3, got 1"), e.getMessage());
        } finally {
            System.clearProperty("bench.windows");
        }
        System.setProperty("bench.scenarios", "sweep,soak");
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, BenchSettings::fromSystemProperties);
            assertTrue(e.getMessage().contains("unknown scenario 'soak'"), e.getMessage());
        } finally {
            System.clearProperty("bench.scenarios");
        }
        System.setProperty("bench.minWindowRequests", "100");
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, BenchSettings::fromSystemProperties);
            assertTrue(e.getMessage().contains("at least 500"), e.getMessage());
        } finally {
            System.clearProperty("bench.minWindowRequests");
        }
        System.setProperty("bench.stacks", "javalin,no-such-stack");
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, BenchSettings::fromSystemProperties);
            assertTrue(e.getMessage().contains("unknown stack 'no-such-stack'"), e.getMessage());
        } finally {
            System.clearProperty("bench.stacks");
        }
        assertEquals(3, CpuList.size("0,2-3"));
        assertThrows(IllegalArgumentException.class, () -> CpuList.size("3-1"));
    }

    @Test
    void theBudgetCountsStacksRoundsAndSteps() {
        BenchSettings s = BenchSettings.fromSystemProperties();
        List<String> budget = s.budget();
        assertTrue(budget.getFirst().startsWith("round 1: " + Stacks.values().length + " stack(s) x "), budget.toString());
        assertTrue(budget.stream().anyMatch(l -> l.startsWith("control: 1 stack(s)")), budget.toString());
        assertEquals(s.rounds() + 2, budget.size(), "one line per round, the control and the total");
    }

    private static RunRecord.StackResult stack(List<RunRecord.Step> sweep) {
        RunRecord.Scenario sc = new RunRecord.Scenario(RunRecord.Status.VALID, List.of(), List.of(), sweep, null);
        return new RunRecord.StackResult("javalin", RunRecord.Status.VALID, List.of(), null, null, null,
                Map.of("tabular", new RunRecord.Workload("/predict", Map.of("sweep", sc), null)), null, true);
    }

    private static RunRecord.Step slo(double rate, double p99, long errors, double throughput) {
        return new RunRecord.Step("r" + (long) rate, null, rate, throughput, 1000, errors,
                new RunRecord.Latency(1.0, 1.5, p99, null, p99, 1.0, "ms", "test", 1000L, "1 us"), null, null, 0.1, false, 0.01,
                true, 1, List.of(), Map.of(), null, errors == 0 ? List.of() : List.of("errors"), null, null);
    }

    @Test
    void pinningCountsTheMachinesCpusNotTheJvmsView(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path online = dir.resolve("online");
        java.nio.file.Files.writeString(online, "0-1\n");
        assertEquals(2, BenchRunner.CpuSets.machineCpus(online, 1), "a JVM told it has one CPU still pins on a 2-CPU machine");
        java.nio.file.Files.writeString(online, "0,2-3\n");
        assertEquals(3, BenchRunner.CpuSets.machineCpus(online, 8));
        assertEquals(1, BenchRunner.CpuSets.machineCpus(dir.resolve("missing"), 1), "unreadable: the JVM's count");
    }
}
