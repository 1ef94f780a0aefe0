package dev.predictbench.gatling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictbench.results.RunRecord;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The harness's arithmetic: windows to steps, stability, saturation, the SLO search, settings. */
class HarnessLogicTest {

    private static GatlingStats.Request req(String name, long ok, long ko, double p99) {
        return new GatlingStats.Request(name, ok, ko, 1, 2, p99, p99 + 1, p99 + 5, 1.5);
    }

    private static Timeline.Mark mark(String label, double seconds, double serverCpu, double generatorCpu) {
        return new Timeline.Mark(label, (long) (seconds * 1e9), 0, serverCpu, 100_000_000L, generatorCpu);
    }

    @Test
    void readsEveryWindowFromARealGatlingStatsFile() throws Exception {
        Map<String, GatlingStats.Request> stats = GatlingStats.read(Path.of("src/test/resources/fixtures/sweep"));
        assertTrue(stats.containsKey("warmup"));
        assertTrue(stats.containsKey("c16#1") && stats.containsKey("c16#2"), stats.keySet().toString());
        GatlingStats.Request c16 = stats.get("c16#1");
        assertTrue(c16.ok() > 0);
        assertTrue(c16.p50() <= c16.p90() && c16.p90() <= c16.p99() && c16.p99() <= c16.max());
    }

    @Test
    void stepThroughputIsTheMeanOfWindowsAndCpuComesFromTheMarks() {
        Map<String, GatlingStats.Request> stats = new LinkedHashMap<>();
        stats.put("c4#1", req("c4#1", 1000, 0, 3));
        stats.put("c4#2", req("c4#2", 1100, 0, 5));
        List<Timeline.Mark> marks = List.of(mark("c4", 10, 1.0, 5.0), mark("end", 12.5, 2.05, 6.0));
        RunRecord.Step step = StepResults.steps(List.of("c4"), Map.of("c4", 4), Map.of(), stats, marks, 1.0, 0.15, 1).getFirst();
        assertEquals(1050.0, step.throughput());
        assertEquals(2100, step.requests());
        assertEquals(4, step.concurrency());
        assertEquals(0.5, step.serverCpuMillisPerRequest(), 1e-9);
        assertEquals(4.0, step.latency().p99(), "median of the windows' p99");
        assertEquals(10.0, step.latency().max(), "largest window maximum (5 + 5)");
        assertEquals(0.4, step.generatorCpuShare(), 1e-9, "1 s of generator CPU over 2.5 s between marks");
        assertFalse(step.generatorSaturated());
        assertEquals(0.0952, step.spread(), 1e-4);
        assertTrue(step.stable());
    }

    @Test
    void windowsThatDisagreeMakeAnUnstableStepAndABusyGeneratorIsFlagged() {
        Map<String, GatlingStats.Request> stats = Map.of("r500#1", req("r500#1", 500, 0, 2), "r500#2", req("r500#2", 300, 2, 2));
        List<Timeline.Mark> marks = List.of(mark("r500", 0, 0, 0), mark("end", 2, 0.2, 1.95));
        RunRecord.Step step = StepResults.steps(List.of("r500"), Map.of(), Map.of("r500", 500.0), stats, marks, 1.0, 0.15, 1)
                .getFirst();
        assertFalse(step.stable());
        assertEquals(2, step.errors());
        assertTrue(step.generatorSaturated(), "0.975 of the generator's CPU");
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
