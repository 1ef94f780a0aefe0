package dev.predictbench.gatling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictbench.contract.Stacks;
import dev.predictbench.gatling.load.LoadProcess;
import dev.predictbench.results.RunRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batching on and off as a run setting: the setting's values, the subjects it makes and their
 * order per round, the environment each subject's server gets, a server whose {@code /info}
 * contradicts the variant asked for (INVALID, never a mislabel), and a run of both variants with
 * the sequential probe in every round ({@link FakeStack} jars, as the fault tests).
 */
class BatchingRunTest {

    private static List<String> ids(List<Subject> subjects) {
        return subjects.stream().map(Subject::id).toList();
    }

    @Test
    void theSettingIsOffOnOrBothAndAnythingElseIsRefusedByName() {
        assertEquals("off", FakeRuns.settings("javalin", Map.of()).batching(), "off by default");
        assertEquals("on", FakeRuns.settings("javalin", Map.of("bench.batching", " ON ")).batching());
        assertEquals("both", FakeRuns.settings("javalin", Map.of("bench.batching", "both")).batching());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FakeRuns.settings("javalin", Map.of("bench.batching", "yes")));
        assertTrue(e.getMessage().startsWith("bench.batching must be off, on or both"), e.getMessage());
        assertTrue(e.getMessage().endsWith("got 'yes'"), e.getMessage());
        IllegalArgumentException gate = assertThrows(IllegalArgumentException.class,
                () -> FakeRuns.settings("javalin", Map.of("bench.profile", "gate", "bench.batching", "on")));
        assertTrue(gate.getMessage().contains("the gate measures each stack as it is"), gate.getMessage());
        assertEquals("both", FakeRuns.settings("javalin", Map.of("bench.batching", "both")).toRecord().batching(),
                "recorded in the run record's settings");
    }

    @Test
    void bothReachesSixtyFourGenAiClientsAndSearchesTheEmbedSloUnlessTold() {
        BenchSettings off = FakeRuns.settings("javalin", Map.of());
        assertEquals(List.of(8), off.genaiConcurrency());
        assertEquals(List.of(Workload.TABULAR), off.sloWorkloads());
        assertTrue(!off.probeEveryRound() && off.batchingNotes().isEmpty());

        BenchSettings both = FakeRuns.settings("javalin", Map.of("bench.batching", "both"));
        assertEquals(List.of(1, 8, 64), both.genaiConcurrency());
        assertEquals(List.of(Workload.TABULAR, Workload.EMBED), both.sloWorkloads());
        assertTrue(both.probeEveryRound());
        assertTrue(both.batchingNotes().stream().anyMatch(n -> n.startsWith("GenAI sweep concurrency [1, 8, 64]")),
                both.batchingNotes().toString());

        BenchSettings told = FakeRuns.settings("javalin", Map.of("bench.batching", "both", "bench.genaiConcurrency", "16",
                "bench.sloWorkloads", "tabular"));
        assertEquals(List.of(16), told.genaiConcurrency());
        assertEquals(List.of(Workload.TABULAR), told.sloWorkloads());
    }

    @Test
    void subjectsAreEachStacksVariantsTheStacksRotatedAndTheVariantsSwappedEachRound() {
        assertEquals(List.of("javalin", "quarkus"), ids(FakeRuns.settings("javalin,quarkus", Map.of()).subjects()));
        assertEquals(List.of("javalin+batching", "quarkus+batching"),
                ids(FakeRuns.settings("javalin,quarkus", Map.of("bench.batching", "on")).subjects()));
        List<Subject> both = FakeRuns.settings("javalin,quarkus", Map.of("bench.batching", "both")).subjects();
        assertEquals(List.of("javalin", "javalin+batching", "quarkus", "quarkus+batching"), ids(both));
        assertEquals(ids(both), ids(BenchRunner.order(both, 1)));
        assertEquals(List.of("quarkus+batching", "quarkus", "javalin+batching", "javalin"), ids(BenchRunner.order(both, 2)));
        assertEquals(ids(both), ids(BenchRunner.order(both, 3)));
        List<Subject> on = FakeRuns.settings("javalin,quarkus,helidon-se", Map.of("bench.batching", "on")).subjects();
        assertEquals(List.of("quarkus+batching", "helidon-se+batching", "javalin+batching"), ids(BenchRunner.order(on, 2)));
        assertEquals(Stacks.QUARKUS, both.get(3).stack(), "the launcher, the kit and the probes get the stack underneath");
    }

    @Test
    void aStackThatIsNotAJvmStackIsMeasuredAsItIsBesideTheJvmStacksVariants() {
        assertEquals(List.of("javalin", "javalin+batching", "fastapi"),
                ids(FakeRuns.settings("javalin,fastapi", Map.of("bench.batching", "both")).subjects()));
        assertEquals(List.of("javalin+batching", "fastapi"),
                ids(FakeRuns.settings("javalin,fastapi", Map.of("bench.batching", "on")).subjects()));
        BenchSettings both = FakeRuns.settings("javalin,fastapi", Map.of("bench.batching", "both"));
        assertTrue(both.batchingNotes().getFirst().contains("the other stacks (Python) as they are"), both.batchingNotes().toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FakeRuns.settings("fastapi", Map.of("bench.batching", "on")));
        assertTrue(e.getMessage().contains("applies to the JVM stacks") && e.getMessage().contains("names none"), e.getMessage());
    }

    @Test
    void everySubjectsServerIsToldItsVariantExplicitly() {
        BenchSettings s = FakeRuns.settings("javalin", Map.of("bench.batching", "both", "bench.calibrationCpuMicros", "5"));
        Map<String, String> off = s.serverEnvironment(new Subject(Stacks.JAVALIN, false));
        Map<String, String> on = s.serverEnvironment(new Subject(Stacks.JAVALIN, true));
        assertEquals("off", off.get("PREDICTBENCH_BATCHING"));
        assertEquals("on", on.get("PREDICTBENCH_BATCHING"));
        assertEquals("5.0", on.get(dev.predictbench.model.CalibrationWork.SETTING), "beside the run's other server settings");
    }

    @Test
    void infoThatContradictsTheVariantIsAHarnessCheckAndMissingInfoIsUnknown() {
        Subject on = new Subject(Stacks.JAVALIN, true);
        Subject off = new Subject(Stacks.JAVALIN, false);
        assertEquals("the server ignored PREDICTBENCH_BATCHING=on (its /info says batching.enabled false)",
                BenchRunner.ignoredBatching(on, Map.of("batching", Map.of("enabled", false))));
        assertEquals("the server ignored PREDICTBENCH_BATCHING=off (its /info says batching.enabled true)",
                BenchRunner.ignoredBatching(off, Map.of("batching", Map.of("enabled", true))));
        assertNull(BenchRunner.ignoredBatching(on, Map.of("batching", Map.of("enabled", true))));
        assertNull(BenchRunner.ignoredBatching(on, Map.of("stack", "javalin")), "no batching object: unknown, measured as asked");
    }

    @Test
    void aServerThatIgnoresBatchingIsInvalidAndTheOthersAreMeasured(@TempDir Path root) throws Exception {
        FakeRuns.fakeJar(root, Stacks.JAVALIN, "batching-ignored");
        FakeRuns.fakeJar(root, Stacks.QUARKUS, "good");

        FakeRuns.Outcome outcome = FakeRuns.run(root, FakeRuns.settings("javalin,quarkus", Map.of("bench.batching", "on",
                "bench.scenarios", "sweep", "bench.concurrency", "4")), LoadProcess::run);

        assertEquals(1, outcome.status(), "a harness check failed: exit 1");
        RunRecord.StackResult javalin = outcome.record().stacks().get(0);
        assertEquals("javalin+batching", javalin.stack());
        assertEquals(RunRecord.Status.INVALID, javalin.status());
        assertEquals(List.of("the server ignored PREDICTBENCH_BATCHING=on (its /info says batching.enabled false): not "
                + "benchmarked"), javalin.reasons());
        assertNull(javalin.workloads(), "nothing measured under the wrong label");
        RunRecord.StackResult quarkus = outcome.record().stacks().get(1);
        assertEquals("quarkus+batching", quarkus.stack());
        assertEquals(1, quarkus.workloads().get("tabular").scenarios().get("sweep").steps().size(), quarkus.reasons().toString());
        assertTrue(outcome.console().contains("javalin+batching: INVALID - the server ignored PREDICTBENCH_BATCHING=on"),
                "said on the console");
        assertTrue(outcome.console().contains("starting quarkus+batching: PREDICTBENCH_BATCHING=on "), "the env is shown");
        assertEquals("on", outcome.record().settings().batching());
    }

    @Test
    void bothVariantsAreMeasuredInRotatedOrderWithTheProbeInEveryRound(@TempDir Path root) throws Exception {
        FakeRuns.fakeJar(root, Stacks.JAVALIN, "good");

        FakeRuns.Outcome outcome = FakeRuns.run(root, FakeRuns.settings("javalin", Map.of("bench.batching", "both",
                "bench.rounds", "2", "bench.scenarios", "sweep", "bench.concurrency", "4")), LoadProcess::run);

        RunRecord record = outcome.record();
        assertEquals(List.of("javalin", "javalin+batching"), record.stacks().stream().map(RunRecord.StackResult::stack).toList());
        assertEquals(List.of(List.of("javalin", "javalin+batching"), List.of("javalin+batching", "javalin")),
                record.conduct().rounds().stream().map(RunRecord.Round::order).toList());
        for (RunRecord.StackResult s : record.stacks()) {
            boolean batching = s.stack().endsWith("+batching");
            // The fake server's /info echoes PREDICTBENCH_BATCHING (no object when it is unset): off is stated, not left out.
            assertEquals(batching, ((Map<?, ?>) s.info().get("batching")).get("enabled"), s.stack());
            RunRecord.Probe probe = s.workloads().get("tabular").probe();
            assertEquals(List.of(1, 2), probe.rounds().stream().map(RunRecord.ProbeRound::round).toList(),
                    s.stack() + ": the probe in every round, each round's figures kept");
            assertTrue(probe.latency().source().startsWith("median over 2 rounds"), probe.latency().source());
            try (var runs = Files.list(root.resolve("results/runs"))) {
                assertTrue(runs.anyMatch(d -> Files.isDirectory(d.resolve(s.stack()).resolve("round-2"))),
                        s.stack() + ": each subject's folder is named by its id");
            }
        }
        assertTrue(outcome.console().contains("subjects (batching both): javalin, javalin+batching"), "Summary lists the subjects");
    }

    @Test
    void aProbeOfSeveralRoundsIsTheirMedianWithEachRoundKept() {
        RunRecord.Probe a = probe(300, 600, 0);
        RunRecord.Probe b = probe(320, 700, 0);
        RunRecord.Probe c = probe(310, 650, 1);
        RunRecord.Probe merged = Rounds.probe(List.of(a, b, c), List.of(1, 2, 3));
        assertEquals(310.0, merged.latency().p50());
        assertEquals(650.0, merged.latency().p99());
        assertEquals(1, merged.errors(), "every round's errors count");
        assertEquals(List.of(300.0, 320.0, 310.0), merged.rounds().stream().map(RunRecord.ProbeRound::p50).toList());
        assertEquals(a, Rounds.probe(List.of(a), List.of(1)), "a probe run once is kept as it is");
    }

    private static RunRecord.Probe probe(double p50, double p99, long errors) {
        return new RunRecord.Probe(700, errors, 2000, new RunRecord.Latency(p50, p50 * 1.2, p99, null, p99 * 2, p50 * 1.1, "us",
                "sequential probe", 700L, "1 ns"));
    }
}
