package dev.predictbench.gatling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictbench.gatling.load.StepOutcome;
import dev.predictbench.gatling.load.StepPlan;
import dev.predictbench.results.RunRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The overload scenario's arithmetic and verdict, from fixed counts. */
class OverloadLogicTest {

    private static BenchSettings settings(Map<String, String> props) {
        props.forEach(System::setProperty);
        try {
            return BenchSettings.fromSystemProperties();
        } finally {
            props.keySet().forEach(System::clearProperty);
        }
    }

    private static RunRecord.Recovery recovery() {
        return new RunRecord.Recovery(true, 900.0, 300.0, 400.0, 2, 10, 200, List.of(1200.0, 700.0), "judged");
    }

    private static RunRecord.Overload figures(Map<String, Long> statuses, long ok, long ko, long timeouts, long connectionErrors) {
        BenchSettings s = settings(Map.of("bench.profile", "bench-smoke"));
        Map<String, Long> failed = new LinkedHashMap<>(statuses);
        failed.remove("200");
        StepPlan plan = StepPlan.open("overload", 2000, 512, 0, 3, 1, 5);
        StepOutcome.Percentiles latency = new StepOutcome.Percentiles(ok, 1000.0, 3000.0, 9000.0, 12000.0, 40000.0, 2000.0);
        StepOutcome o = new StepOutcome(plan, "intended", 3, ok + ko, ok,
                new StepOutcome.Failures(ko, failed, 0, timeouts, connectionErrors, 0, null), ok, ok / 3.0, latency, latency,
                latency, 0, 0, List.of(), 1.5, 0.0, 500.0, new StepOutcome.ServerUse(3.0, 250_000_000L), null, "tabular-overload-overload.hlog",
                0.2, null);
        return OverloadRun.figures(s, 1000, 2000, o, recovery(), 190_000_000L, 240_000_000L, true, false, 1,
                "javalin/load/tabular-overload-overload.hlog");
    }

    @Test
    void sheddingWith503And429IsValidAndEveryRequestIsAccountedFor() {
        Map<String, Long> statuses = new LinkedHashMap<>();
        statuses.put("200", 3000L);
        statuses.put("503", 2500L);
        statuses.put("429", 400L);
        RunRecord.Overload o = figures(statuses, 3000, 3000, 60, 40);
        assertEquals(6000, o.sent());
        assertEquals(2000.0, o.sentRate(), "6000 sent over the smoke profile's 3 s");
        assertEquals(3000, o.served());
        assertEquals(0.5, o.servedShare());
        assertEquals(2500, o.errors().status503());
        assertEquals(400, o.errors().status429());
        assertEquals(60, o.errors().timeouts());
        assertEquals(40, o.errors().connectionErrors());
        assertEquals(9.0, o.servedLatency().p99());
        assertEquals(250_000_000L, o.peakRssBytes(), "the RSS at the window's end counts when it is above the sampled peak");
        assertEquals(0.5, o.generatorCpuShare(), 1e-9, "1.5 s of generator CPU over the 3 s window on one CPU");
        assertEquals(2000.0, o.targetRate());
        assertTrue(OverloadRun.reasons(o).isEmpty(), OverloadRun.reasons(o).toString());
    }

    @Test
    void anyOtherStatusACrashOrAnOutOfMemoryErrorIsInvalid() {
        Map<String, Long> statuses = new LinkedHashMap<>();
        statuses.put("200", 100L);
        statuses.put("500", 3L);
        statuses.put("413", 2L);
        RunRecord.Overload o = figures(statuses, 100, 5, 0, 0);
        assertEquals(3, o.errors().other5xx());
        assertEquals(2, o.errors().other4xx());
        List<String> reasons = OverloadRun.reasons(o);
        assertEquals(2, reasons.size(), reasons.toString());
        assertTrue(reasons.stream().anyMatch(r -> r.startsWith("3 answers with status 500")), reasons.toString());
        assertTrue(reasons.stream().anyMatch(r -> r.startsWith("2 answers with status 413")), reasons.toString());

        RunRecord.Overload dead = new RunRecord.Overload(o.saturationRate(), o.factor(), o.targetRate(), o.durationSeconds(),
                o.requestTimeoutSeconds(), o.sent(), o.sentRate(), o.served(), o.servedShare(), o.servedLatency(),
                new RunRecord.OverloadErrors(0, 0, 0, 0, 0, 0, 5, Map.of("200", 100L)), o.rssBeforeBytes(), o.peakRssBytes(),
                o.generatorCpuShare(), false, true, o.heapCheck(), o.recovery(), o.sources());
        List<String> deadReasons = OverloadRun.reasons(dead);
        assertTrue(deadReasons.stream().anyMatch(r -> r.contains("did not survive")), deadReasons.toString());
        assertTrue(deadReasons.stream().anyMatch(r -> r.contains("OutOfMemoryError")), deadReasons.toString());
    }

    @Test
    void overloadIsOnByDefaultForTabularAndSearchAndNeedsTheSweep() {
        BenchSettings full = settings(Map.of());
        assertTrue(full.scenarios().contains("overload"));
        assertTrue(full.overload(Workload.TABULAR));
        assertTrue(full.overload(Workload.SEARCH));
        assertTrue(!full.overload(Workload.EMBED));
        assertEquals(5.0, full.overloadSeconds());
        BenchSettings smoke = settings(Map.of("bench.profile", "bench-smoke"));
        assertEquals(3.0, smoke.overloadSeconds());
        assertTrue(smoke.overload(Workload.SEARCH));
        assertTrue(!smoke.overload(Workload.TABULAR), "the smoke run offers overload on search only");
        assertEquals(List.of("tabular", "search"), full.toRecord().overload().workloads());
        BenchSettings embedOnly = settings(Map.of("bench.overloadWorkloads", "embed", "bench.overloadFactor", "3"));
        assertTrue(embedOnly.overload(Workload.EMBED));
        assertTrue(!embedOnly.overload(Workload.TABULAR));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> settings(Map.of("bench.scenarios", "rate,overload")));
        assertTrue(e.getMessage().contains("needs the sweep"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> settings(Map.of("bench.recoveryFactor", "0.5")));
    }
}
