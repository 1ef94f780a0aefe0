package dev.predictbench.gatling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
 * The llm workload end to end on the real runner, load client and simulator, against a fake stack
 * that relays {@code /chat}: every variant is measured on its own server, the record has every step's
 * figures, the known upstream timing shows in them, and a server that dies is a fault of its variant.
 */
class LlmRunTest {
    private static Map<String, String> llm(String concurrency) {
        Map<String, String> m = new java.util.HashMap<>(Map.of("bench.scenarios", "sweep", "bench.concurrency", "1",
                "bench.llm", "true", "bench.llm.concurrency", concurrency, "bench.llm.ttftMs", "60", "bench.llm.itlMs", "15",
                "bench.llm.tokens", "4", "bench.llm.warmup", "0", "bench.llm.stepWarmup", "0.3", "bench.llm.minStep", "1"));
        m.put("bench.llm.maxStep", "1.5");
        return m;
    }

    @Test
    void everyVariantIsMeasuredAndTheUpstreamsTimingShowsAtTheClient(@TempDir Path root) throws Exception {
        FakeRuns.fakeJar(root, Stacks.JAVALIN, "good");

        FakeRuns.Outcome outcome = FakeRuns.run(root, FakeRuns.settings("javalin", llm("2,8")), LoadProcess::run);

        RunRecord.Llm llm = outcome.record().llm();
        assertNotNull(llm, outcome.console());
        assertEquals(List.of(2, 8), llm.concurrency());
        assertEquals(120.0, llm.objective().ttftP99Millis(), "2 x the upstream's 60 ms");
        assertEquals(List.of(2, 8), llm.direct().stream().map(RunRecord.LlmStep::concurrency).toList(),
                "the upstream alone at every level: the floor");
        assertTrue(llm.direct().getFirst().ttft().p50() >= 59, "the upstream's own first token: " + llm.direct().getFirst().ttft());
        BenchSettings asked = FakeRuns.settings("javalin", llm("2,8"));
        assertEquals(LlmRun.order(List.of(Stacks.JAVALIN), asked.llm(), asked.seed())
                        .stream().map(Map.Entry::getValue).toList(),
                llm.results().stream().map(RunRecord.LlmResult::variant).toList(), "one result per variant, in the run's order");
        for (RunRecord.LlmResult r : llm.results()) {
            // On a busy machine the simulator (in the test's JVM) may lag: that must make the step INVALID and say
            // so; nothing else may.
            assertTrue(r.reasons().stream().allMatch(x -> x.contains("the upstream simulator lagged")),
                    r.variant() + ": " + r.reasons());
            assertEquals(r.reasons().isEmpty() ? RunRecord.Status.VALID : RunRecord.Status.INVALID, r.status());
            assertEquals(2, r.steps().size(), r.variant());
            assertTrue(r.chat() != null && "JDK HttpClient (fake)".equals(r.chat().get("client")), "the chat details of /info");
            for (RunRecord.LlmStep s : r.steps()) {
                assertTrue(s.streams() > 0, r.variant() + " c" + s.concurrency() + ": streams");
                assertTrue(s.ttft().p50() >= 59, "a token cannot reach the client before the upstream sent it (60 ms): "
                        + s.ttft());
                assertTrue(s.betweenTokens().requests() > 0, "gaps between tokens recorded: " + s.betweenTokens());
                assertTrue(s.serverThreads() != null && s.serverThreads() > 0, "threads from /proc");
                assertTrue(s.upstream().maxActiveStreams() >= 1 && s.upstream().events() > 0, "the simulator's own count");
                assertTrue(Files.isRegularFile(outcome.runDir().resolve(s.histogramLog())), s.histogramLog());
            }
        }
        String md = Files.readString(outcome.runDir().resolve("comparison.md"));
        assertTrue(md.contains("## LLM workload"), md);
        assertTrue(outcome.record().conduct().timing().stream().anyMatch(p -> "llm".equals(p.phase())), "timed");
    }

    /**
     * The load client's Server-Sent Events timing against a known quantity: the simulator itself, first
     * token after 60 ms and one every 20 ms, measured as the upstream's own stream (8 tokens, then the
     * finish chunk and [DONE] right after the last, so 7 of every 9 gaps are the 20 ms).
     */
    @Test
    void theLoadClientTimesTheSimulatorsKnownTokenSchedule(@TempDir Path dir) throws Exception {
        try (SimulatorUpstream sim = SimulatorUpstream.start(new LlmSettings(true, List.of(4), 60, 20, 8, 1, 0, 0, 1, 2, 2,
                20, 10_000, 10, "all"))) {
            java.net.URI base = java.net.URI.create(sim.baseUrl());
            Path bodies = dir.resolve("bodies.jsonl");
            Files.writeString(bodies, "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":true}\n");
            dev.predictbench.gatling.load.StepPlan plan = new dev.predictbench.gatling.load.StepPlan("c4", false, 0, 4, 4, 0.3, 2,
                    1, 10, 1, 0, 0, 2, 0, -1);
            dev.predictbench.gatling.load.StepOutcome o = LoadProcess.run(new dev.predictbench.gatling.load.LoadMain.Spec(
                    base.getHost(), base.getPort(), base.getPath() + "/chat/completions", bodies.toString(), "[DONE]", true, 0, 1,
                    dir.toString(), "sim", List.of(plan)), 120).getFirst();
            assertTrue(o.ok() > 0 && o.failed().total() == 0, "streams: " + o.ok() + ", failed " + o.failed());
            assertTrue(o.events().events() >= 9 * o.events().streams(), "8 tokens, the finish chunk and [DONE] per stream: "
                    + o.events());
            assertTrue(o.events().firstEvent().p50() >= 59_000, "first token after 60 ms: " + o.events().firstEvent());
            assertTrue(o.events().betweenEvents().p50() >= 18_000, "tokens 20 ms apart: " + o.events().betweenEvents());
        }
    }

    @Test
    void aServerKilledMidStepMakesItsVariantInvalidAndTheRunGoesOn(@TempDir Path root) throws Exception {
        FakeRuns.fakeJar(root, Stacks.JAVALIN, "good");
        LoadRunner load = (spec, timeout) -> {
            if (spec.path().equals("/chat") && spec.prefix().equals("c2")) {
                // Each variant's server is killed as its step starts.
                ProcessHandle.of(spec.serverPid()).ifPresent(ProcessHandle::destroyForcibly);
            }
            return LoadProcess.run(spec, timeout);
        };

        FakeRuns.Outcome outcome = FakeRuns.run(root, FakeRuns.settings("javalin", llm("2")), load);

        List<RunRecord.LlmResult> results = outcome.record().llm().results();
        assertEquals(2, results.size(), "the second variant is measured after the first lost its server");
        for (RunRecord.LlmResult r : results) {
            assertEquals(RunRecord.Status.INVALID, r.status(), r.variant() + " lost its server mid-step");
            assertTrue(String.join("; ", r.reasons()).contains("c2: server exited with status"), r.reasons().toString());
        }
    }
}
