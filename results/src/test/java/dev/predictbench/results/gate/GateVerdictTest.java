package dev.predictbench.results.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class GateVerdictTest {
    /** How one arm differs from the baseline in a fixture: multipliers on its figures. */
    record Effect(double throughput, double p99, double cpu, double startup, double rss) {
        static final Effect NONE = new Effect(1, 1, 1, 1, 1);

        /** Extra server CPU per request of {@code share}: CPU up by it, closed throughput down by it. */
        static Effect cpuSlowdown(double share) {
            return new Effect(1 / (1 + share), 1 + share / 2, 1 + share, 1, 1);
        }
    }

    /**
     * A gate record of two stacks, one workload, {@code pairs} pairs in ABBA order after a lead-in;
     * every figure is a base value times the arm's effect times lognormal noise of {@code noise}
     * (sigma of the log) from {@code seed}. {@code edit} may change each trial.
     */
    static GateRecord fixture(long seed, int pairs, double noise, Effect b, UnaryOperator<GateRecord.Trial> edit) {
        Random rnd = new Random(seed);
        List<GateRecord.StackTrials> stacks = new ArrayList<>();
        for (String stack : List.of("javalin", "spring-boot")) {
            List<GateRecord.Trial> trials = new ArrayList<>();
            List<String> order = new ArrayList<>();
            trials.add(edit.apply(trial(1, "A", true, rnd, noise, Effect.NONE)));
            for (int i = 0; i < pairs; i++) {
                List<String> pair = i % 2 == 0 ? List.of("A", "B") : List.of("B", "A");
                for (String arm : pair) {
                    order.add(arm);
                    trials.add(edit.apply(trial(trials.size() + 1, arm, false, rnd, noise, arm.equals("B") ? b : Effect.NONE)));
                }
            }
            Map<String, GateRecord.Check> conformance = new LinkedHashMap<>();
            conformance.put("A", new GateRecord.Check(true, 40, 0, null));
            conformance.put("B", new GateRecord.Check(true, 40, 0, null));
            stacks.add(new GateRecord.StackTrials(stack, order, Map.of("tabular", 6000.0), conformance, trials, null));
        }
        GateRecord.Settings settings = new GateRecord.Settings(pairs, 1, seed, List.of("javalin", "spring-boot"), List.of("tabular"),
                16, 0.5, 0, 0.01, GateVerdict.defaultMinEffects(), 3, "fixture", "-Xmx1g", "0", "1", 2, 1, 2);
        GateRecord.Arm a = new GateRecord.Arm("A", "main", "aaaaaaaaaaaa", false, "/tmp/a", "fixture");
        GateRecord.Arm bArm = new GateRecord.Arm("B", "working tree", "bbbbbbbbbbbb", true, "/tmp/b", "fixture");
        return new GateRecord(GateRecord.SCHEMA_VERSION, "fixture", "t0", "t1", true, null, a, bArm, settings, stacks, null);
    }

    static GateRecord.Trial trial(int seq, String arm, boolean leadIn, Random rnd, double noise, Effect e) {
        double tp = 12000 * e.throughput() * lognormal(rnd, noise);
        double cpu = 0.08 * e.cpu() * lognormal(rnd, noise);
        double p99 = 900 * e.p99() * lognormal(rnd, noise * 3);
        GateRecord.Step closed = new GateRecord.Step("c16", 16, null, true, List.of(), tp, 2500.0, Math.round(tp * 4), 0, cpu,
                cpu, 0, 4.0);
        GateRecord.Step open = new GateRecord.Step("r6000", null, 6000.0, true, List.of(), 6000, p99, 24000, 0, null, null,
                null, 4.0);
        return new GateRecord.Trial(seq, arm, leadIn, 800 * e.startup() * lognormal(rnd, noise * 2),
                Math.round(300e6 * e.rss() * lognormal(rnd, noise)), null, false,
                Map.of("tabular", new GateRecord.Workload(closed, open)), arm + "/" + seq + "/server.log", null, null);
    }

    static double lognormal(Random rnd, double sigma) {
        return Math.exp(rnd.nextGaussian() * sigma);
    }

    @Test
    void studentTQuantilesMatchTheTables() {
        assertEquals(2.7764, StudentT.quantile(0.975, 4), 1e-3);
        assertEquals(7.1732, StudentT.quantile(0.999, 4), 1e-3);
        assertEquals(3.1693, StudentT.quantile(0.995, 10), 1e-3);
        assertEquals(1.9600, StudentT.quantile(0.975, 1e6), 1e-3);
        assertEquals(0.5, StudentT.cdf(0, 3), 1e-12);
        assertEquals(-2.7764, StudentT.quantile(0.025, 4), 1e-3);
    }

    @Test
    void aTrialAgainstItselfPassesInAlmostEveryFixtureAtTheFamilyRate() {
        int failed = 0;
        for (long seed = 1; seed <= 300; seed++) {
            GateRecord.Verdict v = GateVerdict.judge(fixture(seed, 5, 0.04, Effect.NONE, t -> t));
            assertTrue(v.faults().isEmpty(), v.faults().toString());
            assertEquals(10, v.figures().size());
            if (!v.status().equals(GateVerdict.PASS)) {
                failed++;
            }
        }
        // 1% family-wise: about 3 of 300; the minimum effects make it fewer.
        assertTrue(failed <= 6, failed + " of 300 A/A fixtures failed");
    }

    @Test
    void aQuarterMoreServerCpuIsCaughtInEveryFixture() {
        for (long seed = 1; seed <= 100; seed++) {
            GateRecord.Verdict v = GateVerdict.judge(fixture(seed, 5, 0.02, Effect.cpuSlowdown(0.25), t -> t));
            assertEquals(GateVerdict.FAIL, v.status(), "seed " + seed + ": " + GateSummary.lines(v));
            assertTrue(v.figures().stream().anyMatch(f -> f.figure().equals("server CPU per request")
                    && f.verdict().equals("regression")));
            GateRecord.FigureVerdict cpu = v.figures().stream().filter(f -> f.figure().startsWith("server CPU")).findFirst()
                    .orElseThrow();
            assertTrue(cpu.low() > 0 && cpu.change() > 0.15 && cpu.change() < 0.35, cpu.toString());
            // The evidence the test saw is in the record: each pair's B/A; the change is the crossover's, the mean of
            // the AB pairs' (1st, 3rd, 5th) and the BA pairs' (2nd, 4th) mean log-ratio.
            assertEquals(5, cpu.pairChanges().size());
            List<Double> logs = cpu.pairChanges().stream().map(Math::log1p).toList();
            double ab = (logs.get(0) + logs.get(2) + logs.get(4)) / 3;
            double ba = (logs.get(1) + logs.get(3)) / 2;
            assertEquals(cpu.change(), Math.expm1((ab + ba) / 2), 1e-12);
            assertEquals(Math.expm1((ba - ab) / 2), cpu.orderEffect(), 1e-12);
        }
    }

    /** Five pairs whose log-ratios are {@code mean} plus a fixed spread of sigma 0.05. */
    static GateVerdict.Pairs pairsAround(double mean) {
        List<Double> logs = java.util.stream.DoubleStream.of(-0.06, -0.03, 0, 0.03, 0.06).map(d -> d + mean).boxed().toList();
        return new GateVerdict.Pairs(logs, logs, logs, List.of(true, true, true, true, true));
    }

    @Test
    void holmTestsTheLikeliestWorseFigureAtTheFamilyRateOverAllAndStepsDownOnlyAfterARejection() {
        List<Boolean> up = List.of(true, true, true, true);
        // Nothing worse: every figure at alpha/m, as an even split would test it.
        double[] none = GateVerdict.holmLevels(List.of(pairsAround(0), pairsAround(0.01), pairsAround(-0.02), pairsAround(0.005)),
                0.01, 3, up);
        for (double level : none) {
            assertEquals(0.0025, level, 1e-15);
        }
        // Two clearly worse (p far below 0.0025): the likelier at 0.01/4, the next at 0.01/3, then the first not found
        // worse at 0.01/2, and the one after it at that level too.
        GateVerdict.Pairs strong = pairsAround(0.5);
        GateVerdict.Pairs second = pairsAround(0.3);
        GateVerdict.Pairs flat = pairsAround(0.0);
        GateVerdict.Pairs flatter = pairsAround(-0.1);
        assertTrue(strong.pWorse(true) < second.pWorse(true) && second.pWorse(true) < 0.0025);
        double[] two = GateVerdict.holmLevels(List.of(flatter, second, flat, strong), 0.01, 3, up);
        assertEquals(0.01 / 2, two[0], 1e-15);
        assertEquals(0.01 / 3, two[1], 1e-15);
        assertEquals(0.01 / 2, two[2], 1e-15);
        assertEquals(0.01 / 4, two[3], 1e-15);
        // "Worse" follows the figure's direction: a throughput far down is the likeliest worse when lower is worse.
        double[] dir = GateVerdict.holmLevels(List.of(pairsAround(-0.5), pairsAround(0.5)), 0.01, 3, List.of(false, true));
        assertEquals(0.005, Math.min(dir[0], dir[1]), 1e-15, "both equally far the worse way: one at 0.01/2, the other at 0.01/1");
        assertEquals(0.01, Math.max(dir[0], dir[1]), 1e-15);
        // Too few pairs: never found worse, but still one of the family.
        GateVerdict.Pairs twoPairs = new GateVerdict.Pairs(List.of(0.9, 0.95), List.of(1.0, 1.0), List.of(2.5, 2.6),
                List.of(true, false));
        double[] few = GateVerdict.holmLevels(List.of(twoPairs, flat), 0.01, 3, List.of(true, true));
        assertEquals(0.005, few[0], 1e-15);
        assertEquals(0.005, few[1], 1e-15);
    }

    /** Every closed step of the server started first in a pair (seq 2, 4, ...) at {@code factor} times the CPU. */
    static GateRecord.Trial firstStartedCostlier(GateRecord.Trial t, double factor) {
        if (t.leadIn() || t.seq() % 2 == 1) {
            return t;
        }
        GateRecord.Step c = t.workloads().get("tabular").closed().getFirst();
        return withClosedCpu(t, c.cpuMillisPerRequest() * factor);
    }

    @Test
    void whatFavoursTheServerStartedFirstInAPairCancelsInTheCrossover() {
        int failed = 0;
        for (long seed = 1; seed <= 100; seed++) {
            // A/A, the first-started server 15% costlier: AB pairs see B 13% cheaper, BA pairs 15% dearer.
            GateRecord.Verdict aa = GateVerdict.judge(fixture(seed, 5, 0.02, Effect.NONE, t -> firstStartedCostlier(t, 1.15)));
            GateRecord.FigureVerdict cpu = aa.figures().stream().filter(f -> f.figure().startsWith("server CPU")).findFirst()
                    .orElseThrow();
            assertEquals(0.15, cpu.orderEffect(), 0.05, "seed " + seed);
            assertEquals(0, cpu.change(), 0.05, "seed " + seed);
            if (!aa.status().equals(GateVerdict.PASS)) {
                failed++;
            }
            // A quarter more CPU in B, with the same order effect: caught every time.
            GateRecord.Verdict slow = GateVerdict.judge(fixture(seed, 5, 0.02, Effect.cpuSlowdown(0.25),
                    t -> firstStartedCostlier(t, 1.15)));
            GateRecord.FigureVerdict slowCpu = slow.figures().stream().filter(f -> f.figure().startsWith("server CPU")).findFirst()
                    .orElseThrow();
            assertEquals("regression", slowCpu.verdict(), "seed " + seed + ": " + slowCpu);
            assertEquals(0.25, slowCpu.change(), 0.06, "seed " + seed);
        }
        assertTrue(failed <= 2, failed + " of 100 A/A fixtures with an order effect failed");
    }

    @Test
    void aChangeTheTestFindsButBelowTheMinimumEffectDoesNotFail() {
        GateRecord.Verdict v = GateVerdict.judge(fixture(7, 5, 0.001, new Effect(1, 1, 1.02, 1, 1), t -> t));
        GateRecord.FigureVerdict cpu = v.figures().stream().filter(f -> f.figure().startsWith("server CPU")).findFirst()
                .orElseThrow();
        assertTrue(cpu.low() > 0, "the test sees the 2%");
        assertEquals("no change", cpu.verdict());
        assertEquals(GateVerdict.PASS, v.status());
    }

    @Test
    void anImprovementIsReportedAndPasses() {
        GateRecord.Verdict v = GateVerdict.judge(fixture(3, 5, 0.02, Effect.cpuSlowdown(-0.2), t -> t));
        assertEquals(GateVerdict.PASS, v.status());
        assertTrue(v.figures().stream().anyMatch(f -> f.verdict().equals("improvement")));
    }

    @Test
    void errorsInACandidateStepThatHadNoneFailTheGate() {
        GateRecord.Verdict v = GateVerdict.judge(fixture(11, 5, 0.04, Effect.NONE, t -> t.arm().equals("B") && t.seq() == 3
                ? withOpen(t, 2, true) : t));
        assertEquals(GateVerdict.FAIL, v.status());
        assertTrue(v.faults().stream().anyMatch(f -> f.contains("tabular open step") && f.contains("none in the baseline")),
                v.faults().toString());
    }

    @Test
    void errorsInBothArmsAreANoteNotAFault() {
        GateRecord.Verdict v = GateVerdict.judge(fixture(11, 5, 0.04, Effect.NONE, t -> t.seq() == 2 || t.seq() == 3
                ? withOpen(t, 1, true) : t));
        assertTrue(v.faults().isEmpty(), v.faults().toString());
        assertTrue(v.notes().stream().anyMatch(n -> n.contains("errors in both arms")));
    }

    @Test
    void aStepValidInEveryBaselineTrialAndInvalidInEveryCandidateTrialFails() {
        GateRecord.Verdict v = GateVerdict.judge(fixture(5, 5, 0.04, Effect.NONE, t -> t.arm().equals("B")
                ? withOpen(t, 0, false) : t));
        assertEquals(GateVerdict.FAIL, v.status());
        assertTrue(v.faults().stream().anyMatch(f -> f.contains("INVALID in all 5 candidate steps")), v.faults().toString());
        // With no valid candidate p99 there is nothing to compare: that figure has no verdict.
        assertTrue(v.figures().stream().anyMatch(f -> f.figure().startsWith("p99") && f.verdict().equals("no verdict")));
    }

    @Test
    void tooFewValidPairsGiveNoVerdictInsteadOfAPass() {
        GateRecord.Verdict v = GateVerdict.judge(fixture(5, 5, 0.04, Effect.NONE, t -> t.arm().equals("B") && t.seq() > 4
                ? withOpen(t, 0, false) : t));
        assertTrue(v.faults().isEmpty(), v.faults().toString());
        assertEquals(GateVerdict.NO_VERDICT, v.status());
    }

    @Test
    void aCandidateServerThatDiedOrAStackMissingOrFailingConformanceFails() {
        GateRecord died = fixture(2, 5, 0.04, Effect.NONE, t -> t.arm().equals("B") && t.seq() == 7 ? new GateRecord.Trial(
                t.seq(), t.arm(), false, t.readyMillis(), null, "server exited with status 137", true, Map.of(), t.log(),
                null, null) : t);
        assertTrue(GateVerdict.judge(died).faults().stream().anyMatch(f -> f.contains("server died in trial 7")));
        GateRecord base = fixture(2, 5, 0.04, Effect.NONE, t -> t);
        List<GateRecord.StackTrials> stacks = new ArrayList<>(base.stacks());
        GateRecord.StackTrials s0 = stacks.getFirst();
        stacks.set(0, new GateRecord.StackTrials(s0.stack(), s0.order(), s0.sharedRates(), Map.of("A",
                new GateRecord.Check(true, 40, 0, null), "B", new GateRecord.Check(false, 40, 2, "bad JSON error body")),
                s0.trials(), null));
        stacks.set(1, new GateRecord.StackTrials("spring-boot", List.of(), Map.of(), null, List.of(),
                "servers/spring-boot/target/server-spring-boot.jar was not built"));
        GateRecord.Verdict v = GateVerdict.judge(new GateRecord(1, "x", "t0", "t1", true, null, base.baseline(),
                base.candidate(), base.settings(), stacks, null));
        assertEquals(GateVerdict.FAIL, v.status());
        assertTrue(v.faults().stream().anyMatch(f -> f.contains("conformance kit fails on the candidate")));
        assertTrue(v.faults().stream().anyMatch(f -> f.startsWith("spring-boot: missing from the candidate")));
    }

    @Test
    void aBaselineFailingTheCandidatesKitIsANoteNotAFault() {
        GateRecord base = fixture(2, 5, 0.04, Effect.NONE, t -> t);
        List<GateRecord.StackTrials> stacks = new ArrayList<>(base.stacks());
        GateRecord.StackTrials s0 = stacks.getFirst();
        stacks.set(0, new GateRecord.StackTrials(s0.stack(), s0.order(), s0.sharedRates(), Map.of("A",
                new GateRecord.Check(false, 40, 5, "newer hostile cases"), "B", new GateRecord.Check(true, 40, 0, null)),
                s0.trials(), null));
        GateRecord.Verdict v = GateVerdict.judge(new GateRecord(1, "x", "t0", "t1", true, null, base.baseline(),
                base.candidate(), base.settings(), stacks, null));
        assertTrue(v.faults().isEmpty(), v.faults().toString());
        assertEquals(GateVerdict.PASS, v.status());
        assertTrue(v.notes().stream().anyMatch(n -> n.equals(s0.stack()
                + ": the conformance kit fails on the baseline (5 of 40 checks); the candidate passes it")), v.notes().toString());
    }

    @Test
    void pairsAreAdjacentTrialsAfterTheLeadInWhateverTheirOrder() {
        GateRecord r = fixture(1, 4, 0.01, Effect.NONE, t -> t);
        List<GateRecord.Trial[]> pairs = GateVerdict.pairs(r.stacks().getFirst().trials());
        assertEquals(4, pairs.size());
        for (GateRecord.Trial[] p : pairs) {
            assertEquals("A", p[0].arm());
            assertEquals("B", p[1].arm());
            assertEquals(1, Math.abs(p[0].seq() - p[1].seq()));
            assertFalse(p[0].leadIn());
        }
    }

    @Test
    void aPairMeasuredAgainIsLeftOutOfTheFiguresButNamedAndItsCandidateFaultsStillCount() {
        // Six pairs; the fourth (trials 8 and 9) was too weak and measured again, and its B measured half A's CPU.
        GateRecord r = fixture(5, 6, 0.02, Effect.cpuSlowdown(0.25), t -> t.seq() == 8 || t.seq() == 9
                ? (t.arm().equals("B") ? withClosedCpu(t, 0.04) : withClosedCpu(t, 0.08)).remeasured("arm B's trial 8: 2 of 4 "
                + "closed tabular steps VALID") : t);
        GateRecord.Verdict v = GateVerdict.judge(r);
        GateRecord.FigureVerdict cpu = v.figures().stream().filter(f -> f.stack().equals("javalin") && f.figure().startsWith(
                "server CPU")).findFirst().orElseThrow();
        assertEquals(5, cpu.pairs(), "the five judged pairs");
        assertTrue(cpu.pairChanges().stream().allMatch(c -> c > 0.1), cpu.pairChanges().toString());
        assertEquals("regression", cpu.verdict());
        assertTrue(v.notes().stream().anyMatch(n -> n.startsWith("javalin: the pair of trial ") && n.contains("measured again")),
                v.notes().toString());
        GateRecord died = fixture(5, 6, 0.04, Effect.NONE, t -> t.seq() == 8 || t.seq() == 9 ? (t.arm().equals("B")
                ? new GateRecord.Trial(t.seq(), t.arm(), false, t.readyMillis(), null, "server exited with status 137", true,
                Map.of(), t.log(), null, null) : t).remeasured("the baseline's trial failed") : t);
        assertEquals(GateVerdict.FAIL, GateVerdict.judge(died).status(), "a candidate's death counts in any pair");
    }

    @Test
    void theSummaryNamesTheVerdictTheFiguresAndTheFaults() {
        GateRecord r = fixture(11, 5, 0.04, Effect.cpuSlowdown(0.25), t -> t.arm().equals("B") && t.seq() == 3
                ? withOpen(t, 2, true) : t);
        String md = GateSummary.markdown(r.withVerdict(GateVerdict.judge(r)));
        assertTrue(md.contains("predict-bench gate: FAIL"), md);
        assertTrue(md.contains("| javalin | tabular | server CPU per request"), md);
        assertTrue(md.contains("**regression**"), md);
        assertTrue(md.contains("**Faults**"), md);
        assertTrue(md.contains("[gate.json](gate.json)"), md);
        assertTrue(md.contains("[gate.html](gate.html)"), md);
    }

    @Test
    void aPairIsJudgedStepAgainstNeighbouringStepSoANoisyPhaseHittingBothArmsCancels() {
        // The machine halves its speed for the second steps of both arms: B is 25% dearer in each step.
        GateRecord.Trial a = withClosedCpu(trial(2, "A", false, new Random(1), 0, Effect.NONE), 0.05, 0.10);
        GateRecord.Trial b = withClosedCpu(trial(3, "B", false, new Random(1), 0, Effect.NONE), 0.0625, 0.125);
        assertEquals(Math.log(1.25), GateVerdict.Kind.CPU.blockLogRatio(a, b, "tabular"), 1e-12);
        // An invalid step is left out of its block, not of the pair.
        GateRecord.Trial c = withClosedCpu(trial(3, "B", false, new Random(1), 0, Effect.NONE), 0.0625, null);
        assertEquals(Math.log(1.25), GateVerdict.Kind.CPU.blockLogRatio(a, c, "tabular"), 1e-12);
    }

    @Test
    void aBlockWhereTheMachineChangedSpeedBetweenTheTwoStepsDoesNotCarryIntoThePair() {
        // A/A; in the third block A ran at full speed and B, seconds later, in a slow phase (+70% CPU per request).
        GateRecord.Trial a = withClosedCpu(trial(2, "A", false, new Random(1), 0, Effect.NONE), 0.060, 0.061, 0.059, 0.060);
        GateRecord.Trial b = withClosedCpu(trial(3, "B", false, new Random(1), 0, Effect.NONE), 0.061, 0.060, 0.100, 0.060);
        double pair = GateVerdict.Kind.CPU.blockLogRatio(a, b, "tabular");
        assertTrue(Math.abs(pair) < 0.01, "the pair's change is " + pair + ", the flipped block's " + Math.log(0.1 / 0.059));
    }

    /** The trial with closed steps of these CPU figures (null: an INVALID step). */
    static GateRecord.Trial withClosedCpu(GateRecord.Trial t, Double... cpu) {
        GateRecord.Workload w = t.workloads().get("tabular");
        GateRecord.Step c = w.closed().getFirst();
        List<GateRecord.Step> steps = new ArrayList<>();
        for (Double x : cpu) {
            steps.add(new GateRecord.Step(c.name(), c.concurrency(), null, x != null, x != null ? List.of() : List.of("unsettled"),
                    c.throughput(), c.p99Micros(), c.requests(), 0, x, x, 0, c.seconds()));
        }
        return new GateRecord.Trial(t.seq(), t.arm(), t.leadIn(), t.readyMillis(), t.rssBytes(), null, false,
                Map.of("tabular", new GateRecord.Workload(steps, w.open(), null, null, null)), t.log(), null, null);
    }

    /** The trial with its open step's errors and validity changed. */
    static GateRecord.Trial withOpen(GateRecord.Trial t, long errors, boolean valid) {
        GateRecord.Workload w = t.workloads().get("tabular");
        GateRecord.Step o = w.open().getFirst();
        List<String> reasons = valid ? List.of() : List.of("windows disagree");
        GateRecord.Step open = new GateRecord.Step(o.name(), o.concurrency(), o.targetRate(), valid, reasons, o.throughput(),
                o.p99Micros(), o.requests(), errors, o.cpuMillisPerRequest(), o.cpuTicksMillisPerRequest(), o.threadsGone(),
                o.seconds());
        return new GateRecord.Trial(t.seq(), t.arm(), t.leadIn(), t.readyMillis(), t.rssBytes(), t.fault(), t.serverDied(),
                Map.of("tabular", new GateRecord.Workload(w.closed().getFirst(), open)), t.log(), t.calibration(), null);
    }
}
