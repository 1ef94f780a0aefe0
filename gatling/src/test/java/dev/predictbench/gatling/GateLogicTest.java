package dev.predictbench.gatling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictbench.results.gate.GateRecord;
import dev.predictbench.results.gate.GateVerdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class GateLogicTest {
    /**
     * The runners are started by exec-maven-plugin in a JVM of their own: a setting read in
     * BenchSettings or GateSettings that the pom does not pass on is silently its default.
     */
    @Test
    void everySettingTheRunnersReadIsPassedOnByTheirMavenExecutions() throws Exception {
        String pom = Files.readString(Path.of("pom.xml"));
        Map<String, String> executions = new java.util.HashMap<>();
        Matcher e = Pattern.compile("<execution>\\s*<id>([^<]+)</id>(.*?)</execution>", Pattern.DOTALL).matcher(pom);
        while (e.find()) {
            // An id appears again in profiles that switch it off: every execution of that id counts.
            executions.merge(e.group(1), e.group(2), String::concat);
        }
        Pattern read = Pattern.compile("(?:text|dbl|integer|list|bool|names|workloads|getProperty|getLong)\\(\"((?:bench|gate)\\.[A-Za-z.]+)\"");
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (String source : List.of("BenchSettings.java", "GateSettings.java")) {
            Matcher m = read.matcher(Files.readString(Path.of("src/main/java/dev/predictbench/gatling", source)));
            while (m.find()) {
                if (!m.group(1).endsWith(".")) {
                    names.add(m.group(1));
                }
            }
        }
        GateVerdict.defaultMinEffects().keySet().forEach(k -> names.add("gate.minEffect." + k));
        assertTrue(names.size() > 50 && names.contains("gate.blocks") && names.contains("bench.maxWindows"), names.toString());
        List<String> missing = new java.util.ArrayList<>();
        for (String name : names) {
            for (String exec : name.startsWith("gate.") ? List.of("gate") : List.of("bench", "gate")) {
                if (!executions.getOrDefault(exec, "").contains("<argument>-D" + name + "=")) {
                    missing.add(name + " in the '" + exec + "' execution");
                }
            }
        }
        assertEquals(List.of(), missing, "settings the runner reads but Maven does not pass on");
    }

    @Test
    void theShareACalibratedServerHeldIsItsLoopsCpuAgainstTheRestBetweenTwoReadings() {
        GateRunner.CalibrationReading start = new GateRunner.CalibrationReading(10_000, 150.0, 9_000.0);
        GateRunner.CalibrationReading end = new GateRunner.CalibrationReading(110_000, 1_650.0, 16_500.0);
        GateRecord.Calibration c = GateRunner.CalibrationReading.held(0.25, start, end);
        // Loop 1,500 ms of 7,500 ms: 1,500 against the other 6,000 is 25%, 15 us over 100,000 calls.
        assertEquals(0.25, c.share());
        assertEquals(0.25, c.held(), 1e-9);
        assertEquals(15.0, c.loopMicrosPerCall(), 1e-9);
        assertEquals(100_000L, c.calls());
        GateRecord.Calibration unknown = GateRunner.CalibrationReading.held(0.25, null, end);
        assertEquals(0.25, unknown.share());
        assertNull(unknown.held(), "a missing reading gives no held share, not a made-up one");
        assertNull(GateRunner.CalibrationReading.held(0.25, end, end).held(), "no calls between the readings");
    }

    @Test
    void trialsRunInAbbaOrderOrItsMirror() {
        assertEquals(List.of("A", "B", "B", "A", "A", "B", "B", "A", "A", "B"), GateRunner.order(5, true));
        assertEquals(List.of("B", "A", "A", "B", "B", "A"), GateRunner.order(3, false));
    }

    @Test
    void nearbyOrderSeedsDrawBothOrders() {
        for (int stack = 0; stack < 3; stack++) {
            int startsWithA = 0;
            boolean changes = false;
            for (long seed = 60; seed < 124; seed++) {
                boolean a = GateRunner.startsWithA(seed, stack);
                startsWithA += a ? 1 : 0;
                changes |= a != GateRunner.startsWithA(seed + 1, stack);
            }
            assertTrue(changes, "consecutive seeds must not all give the same order");
            assertTrue(startsWithA >= 16 && startsWithA <= 48,
                    "64 consecutive seeds should start ABBA about half the time, got " + startsWithA);
        }
        assertEquals(GateRunner.startsWithA(71, 0), GateRunner.startsWithA(71, 0), "the seed reproduces the order");
    }

    @Test
    void theLeadInSizesTheRateOffItsBestValidStep() {
        GateRecord.Step cold = step(false, 7_400, 0.136);
        GateRecord.Step slow = step(true, 10_100, 0.098);
        GateRecord.Step warm = step(true, 17_300, 0.057);
        GateRecord.Step slower = step(true, 16_900, 0.061);
        GateRunner.LeadInSize size = GateRunner.LeadInSize.of(List.of(cold, slow, slower, warm));
        assertEquals(17_300, size.throughput());
        assertTrue(size.fromValidSteps());
        // An invalid step never sizes it while a valid one exists, even when it looks better.
        GateRecord.Step invalidButFast = step(false, 19_000, 0.050);
        assertEquals(10_100, GateRunner.LeadInSize.of(List.of(invalidButFast, slow)).throughput());
        // None valid: the best of the invalid ones, and the record of it says so.
        GateRunner.LeadInSize fallback = GateRunner.LeadInSize.of(List.of(cold, invalidButFast));
        assertEquals(19_000, fallback.throughput());
        assertFalse(fallback.fromValidSteps());
        assertNull(GateRunner.LeadInSize.of(List.of()));
        assertNull(GateRunner.LeadInSize.of(List.of(step(true, 0, null))));
    }

    private static GateRecord.Trial trial(int seq, String arm, String fault, boolean... closedValid) {
        List<GateRecord.Step> closed = new java.util.ArrayList<>();
        for (boolean v : closedValid) {
            closed.add(step(v, 15_000, 0.06));
        }
        return new GateRecord.Trial(seq, arm, false, 6000.0, 300L << 20, fault, false,
                Map.of("tabular", new GateRecord.Workload(closed, List.of(), 30.0, List.of(), true)), "log", null, null);
    }

    @Test
    void aPairIsMeasuredAgainWhenTheBaselineFailedOrAnArmHasAtMostHalfItsClosedStepsValid() {
        List<String> w = List.of("tabular");
        assertNull(GateRunner.weakPair(List.of(trial(2, "A", null, true, true, true, true), trial(3, "B", null, true, false, true, true)),
                w, 4), "3 of 4 valid in each arm: judged");
        String weak = GateRunner.weakPair(List.of(trial(8, "B", null, true, false, false, true), trial(9, "A", null, true, true, true,
                true)), w, 4);
        assertEquals("arm B's trial 8: 2 of 4 closed tabular steps VALID", weak);
        assertTrue(GateRunner.weakPair(List.of(trial(2, "A", null, true, true, false, false), trial(3, "B", null, true, true, true,
                true)), w, 4).startsWith("arm A's trial 2"), "the same rule for the baseline");
        assertEquals("the baseline's trial 4 failed", GateRunner.weakPair(List.of(trial(4, "A", "failed to start: port in use"),
                trial(5, "B", null, true, true, true, true)), w, 4));
        assertNull(GateRunner.weakPair(List.of(trial(4, "A", null, true, true, true, true), trial(5, "B", "server exited with status 1")),
                w, 4), "a candidate's fault fails the gate; measuring again would only bury it");
        assertTrue(GateRunner.weakPair(List.of(trial(2, "A", null, true, true, true, true), trial(3, "B", null, true, true, true, true)),
                List.of("tabular", "embed"), 4).contains("0 of 4 closed embed steps"), "a workload missing from a trial");
    }

    private static GateRecord.Step step(boolean valid, double throughput, Double cpu) {
        return new GateRecord.Step("c16", 16, null, valid, valid ? List.of() : List.of("c16: did not settle"), throughput, null,
                Math.round(throughput * 3), 0, cpu, cpu, 0, 3.0);
    }

    @Test
    void cpuBetweenTwoReadingsCountsNewThreadsWholeAndNamesTheOnesThatEnded() {
        ProcStats.TaskCpu cpu = ProcStats.TaskCpu.between(Map.of(1L, 1_000L, 2L, 5_000L, 3L, 7_000L),
                Map.of(1L, 1_500L, 2L, 5_000L, 4L, 300L));
        assertEquals(500 + 0 + 300, cpu.nanos());
        assertEquals(1, cpu.gone());
        assertEquals(3, cpu.threads());
    }

    @Test
    void aBusyThreadOfThisProcessShowsInItsSchedstatInNanoseconds() {
        long pid = ProcessHandle.current().pid();
        Map<Long, Long> before = ProcStats.taskRunNanos(pid);
        assertTrue(before.size() > 1, "every thread of this JVM: " + before.size());
        long t0 = System.nanoTime();
        double x = 0;
        while (System.nanoTime() - t0 < 50_000_000L) {
            x += Math.sqrt(x + 1);
        }
        ProcStats.TaskCpu cpu = ProcStats.TaskCpu.between(before, ProcStats.taskRunNanos(pid));
        // 50 ms of wall time spun on this thread: at least most of it was on a CPU (not a tick count of 0 or 10 ms).
        assertTrue(cpu.nanos() >= 25_000_000L && cpu.nanos() % 10_000_000L != 0, cpu + " " + x);
    }

    @Test
    void gateSettingsRefuseWhatCannotBeAGate() {
        try {
            System.setProperty("gate.pairs", "1");
            assertThrows(IllegalArgumentException.class, GateSettings::fromSystemProperties);
            System.setProperty("gate.pairs", "five");
            assertTrue(assertThrows(IllegalArgumentException.class, GateSettings::fromSystemProperties).getMessage()
                    .contains("whole number"));
            System.clearProperty("gate.pairs");
            System.setProperty("gate.baseline", "--upload-pack=evil");
            assertThrows(IllegalArgumentException.class, GateSettings::fromSystemProperties);
            System.setProperty("gate.baseline", "main");
            System.setProperty("gate.familyAlpha", "0.5");
            assertThrows(IllegalArgumentException.class, GateSettings::fromSystemProperties);
            System.clearProperty("gate.familyAlpha");
            System.setProperty("gate.minEffect.cpu", "1.5");
            assertThrows(IllegalArgumentException.class, GateSettings::fromSystemProperties);
            System.clearProperty("gate.minEffect.cpu");
            System.setProperty("gate.orderSeed", "seed");
            assertThrows(IllegalArgumentException.class, GateSettings::fromSystemProperties);
            // A CI run id is past the int range.
            System.setProperty("gate.orderSeed", "12345678901");
            GateSettings ok = GateSettings.fromSystemProperties();
            assertEquals(12345678901L, ok.orderSeed());
            assertEquals(5, ok.pairs());
            assertEquals(4, ok.blocks());
            assertEquals(2, ok.openBlocks());
            assertEquals(2, ok.closedRetries());
            assertEquals("main", ok.baseline());
            assertEquals(0.05, ok.minEffects().get("cpu"));
        } finally {
            for (String p : List.of("gate.pairs", "gate.baseline", "gate.familyAlpha", "gate.minEffect.cpu", "gate.orderSeed")) {
                System.clearProperty(p);
            }
        }
    }

    @Test
    void theGateProfileMeasuresFewShortStepsOnTheDefaultStacks() {
        try {
            System.setProperty("bench.profile", "gate");
            BenchSettings s = BenchSettings.fromSystemProperties();
            assertEquals(List.of(16), s.concurrency());
            assertEquals(List.of(Workload.TABULAR), s.workloads());
            assertEquals(BenchSettings.GATE_STACKS, String.join(",", s.stacks().stream().map(x -> x.id()).toList()));
            assertEquals(List.of(0.25), s.rateFractions());
            // The open step (p99) gets the full profile's chances to settle: a gate short of valid p99 pairs has no verdict.
            assertEquals(6, s.maxWindows());
            assertEquals(256, s.connections());
        } finally {
            System.clearProperty("bench.profile");
        }
    }
}
