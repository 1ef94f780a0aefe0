package dev.predictbench.gatling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictbench.contract.Stacks;
import dev.predictbench.gatling.load.LoadProcess;
import dev.predictbench.results.RunRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness measured on known quantities, end to end through the real runner and load client
 * against fake stacks that answer from a timer (never from a sleeping thread):
 * <ul>
 *   <li>a zero-delay stack, measured before and after the next one, gives the harness's own floor
 *       (loopback, the fake server, the client) at 1,000, 2,000 and 3,000 requests/s;</li>
 *   <li>a 10 ms-delay stack must read 10 ms above that floor at every rate (within 0.5 ms);</li>
 *   <li>a stack frozen (SIGSTOP) for 500 ms of every 5 s is wrk2's coordinated-omission test: about
 *       10% of arrivals fall in a stall and wait on average half of it, so the open-model p99 must
 *       read about 450 ms and the p95 about 250 ms, and the closed-model figure of the same stack
 *       must say it is not corrected for coordinated omission.</li>
 * </ul>
 */
class CalibrationTest {
    /**
     * Rates at which the fake server's CPU does not idle long between requests: at 100 requests/s
     * an idle virtual CPU here takes 0.5 to 1.3 ms, varying from run to run, to wake for each
     * request (at 500/s still 0.25 to 0.47 ms), which is the fake server's own unknown latency
     * rather than the harness's.
     */
    private static final List<Double> RATES = List.of(1000.0, 2000.0, 3000.0);
    /** How much below 10 ms above the floor the 10 ms stack may read (see the assertion). */
    private static final double BELOW = 0.1;

    @Test
    void aTenMillisecondServerMeasuresTenMillisecondsAboveTheFloor(@TempDir Path root) throws Exception {
        // The floor is measured before and after the 10 ms server: it drifts by a tenth of a millisecond
        // within a minute on a shared machine, as much as the tolerance here.
        FakeRuns.fakeJar(root, Stacks.JAVALIN, "delay 0");
        FakeRuns.fakeJar(root, Stacks.QUARKUS, "delay 10");
        FakeRuns.fakeJar(root, Stacks.HELIDON_SE, "delay 0");
        BenchSettings settings = FakeRuns.settings("javalin,quarkus,helidon-se", Map.of(
                "bench.scenarios", "rate",
                "bench.rates", "1000,2000,3000",
                "bench.warmup", "2",
                // Each rate's own load for 2 s before its windows: the fake's timer thread answers up to 0.5 ms
                // late at a rate it has not run at yet (the adaptive windows accept a steady offset).
                "bench.settle", "2",
                "bench.window", "1",
                "bench.windows", "3",
                "bench.maxWindows", "5",
                // The fake stacks are the JDK's HttpServer, whose one dispatcher thread slows with every idle
                // keep-alive connection: the client's are held at 256, as the default was when this was sized.
                "bench.connections", "256",
                // A fake server has no JIT to settle but its timer path must be warm before the first rate: 2 s
                // at 16 in flight is 3,200 answers from the 10 ms stack, as the old 2 s warm-up at 1,000/s was.
                "bench.warmupConcurrency", "16"));

        FakeRuns.Outcome outcome = FakeRuns.run(root, settings, LoadProcess::run);

        List<RunRecord.Step> before = rateSteps(outcome.record(), "javalin");
        List<RunRecord.Step> delayed = rateSteps(outcome.record(), "quarkus");
        List<RunRecord.Step> after = rateSteps(outcome.record(), "helidon-se");
        assertEquals(RATES.size(), before.size());
        assertEquals(RATES.size(), delayed.size());
        assertEquals(RATES.size(), after.size());
        StringBuilder table = new StringBuilder("rate, floor p50 ms (before, after), 10 ms stack p50 ms, difference ms\n");
        for (int i = 0; i < RATES.size(); i++) {
            RunRecord.Step ten = delayed.get(i);
            for (RunRecord.Step s : List.of(before.get(i), ten, after.get(i))) {
                assertEquals(RATES.get(i), s.targetRate());
                assertOpenModelStep(root, outcome, s);
            }
            double floor = (before.get(i).latency().p50() + after.get(i).latency().p50()) / 2;
            double difference = ten.latency().p50() - floor;
            table.append(String.format("%.0f, %.3f (%.3f, %.3f), %.3f, %.3f%n", RATES.get(i), floor,
                    before.get(i).latency().p50(), after.get(i).latency().p50(), ten.latency().p50(), difference));
            // The floor is known only to within its two readings: the 10 ms stack must read between 10 and
            // 10.5 ms above some floor between them, less 0.1 ms below: a server answering from a busy
            // timer thread reads up to that much faster than the idle zero-delay one (measured 9.93-9.97).
            double low = Math.min(before.get(i).latency().p50(), after.get(i).latency().p50());
            double high = Math.max(before.get(i).latency().p50(), after.get(i).latency().p50());
            assertTrue(ten.latency().p50() - low >= 10.0 - BELOW && ten.latency().p50() - high <= 10.5, "at " + RATES.get(i)
                    + "/s the 10 ms stack reads " + difference + " ms above the floor:\n" + table);
        }
        System.out.print(table);
    }

    @Test
    void aStallingServerShowsItsStallsInTheOpenModelAndTheClosedModelSaysItIsNotCorrected(@TempDir Path root)
            throws Exception {
        FakeRuns.fakeJar(root, Stacks.JAVALIN, "stall 5000 500");
        BenchSettings settings = FakeRuns.settings("javalin", Map.of(
                "bench.scenarios", "sweep,rate",
                "bench.concurrency", "4",
                "bench.rates", "200",
                // 200/s x a 500 ms stall: 100 arrivals wait in a stall; they must not wait for a connection too.
                "bench.connections", "256",
                "bench.warmup", "1",
                // 30 s hold six stall periods, so whether a stall straddles the step's edges moves the
                // stalled share of arrivals by less than a sixth.
                "bench.window", "5",
                "bench.windows", "6",
                "bench.maxWindows", "6"));

        FakeRuns.Outcome outcome = FakeRuns.run(root, settings, LoadProcess::run);

        RunRecord.Step open = rateSteps(outcome.record(), "javalin").getFirst();
        assertOpenModelStep(root, outcome, open);
        assertEquals(0, open.generator().connectionWaits(), "enough connections for every arrival of a stall");
        double p99 = open.latency().p99();
        Histogram pooled = pooled(root, outcome, open);
        double p95 = pooled.getValueAtPercentile(95) / 1000.0;
        assertEquals(open.latency().requests(), pooled.getTotalCount(), "the log holds every request behind the percentiles");
        assertEquals(p99, pooled.getValueAtPercentile(99) / 1000.0, 0.001, "the record's p99 is recomputable from the log");
        assertTrue(p99 >= 400 && p99 <= 520, "open-model p99 " + p99 + " ms, expected about 450");
        // About 250 ms, plus the time the server takes to work off the stall's backlog after SIGCONT.
        assertTrue(p95 >= 200 && p95 <= 320, "open-model p95 " + p95 + " ms, expected about 250");

        RunRecord.Step closed = outcome.record().stacks().getFirst().workloads().get("tabular").scenarios().get("sweep")
                .steps().getFirst();
        assertFalse(closed.generator().coordinatedOmissionCorrected());
        assertEquals("send time", closed.generator().timedFrom());
        assertTrue(closed.sources().get("latency").contains("not corrected for coordinated omission"), closed.sources().toString());
        System.out.printf("stall: open-model p50 %.3f, p95 %.3f, p99 %.3f ms (%d requests); closed-model p99 %.3f ms%n",
                open.latency().p50(), p95, p99, open.latency().requests(), closed.latency().p99());
    }

    private static List<RunRecord.Step> rateSteps(RunRecord record, String stack) {
        RunRecord.StackResult s = record.stacks().stream().filter(x -> x.stack().equals(stack)).findFirst().orElseThrow();
        RunRecord.Scenario rate = s.workloads().get("tabular").scenarios().get("rate");
        assertNotNull(rate, stack + ": " + s.reasons());
        return rate.steps();
    }

    private static void assertOpenModelStep(Path root, FakeRuns.Outcome outcome, RunRecord.Step step) throws IOException {
        assertEquals(0, step.errors(), step.toString());
        RunRecord.Generator g = step.generator();
        assertTrue(g.coordinatedOmissionCorrected());
        assertEquals("intended send time", g.timedFrom());
        assertEquals("ms", step.latency().unit());
        assertTrue(step.latency().requests() >= 0.8 * step.targetRate() * step.windows().size() * step.windows().getFirst().seconds(),
                "about rate x measured seconds: " + step);
        assertNotNull(g.scheduleLag(), "the client's lateness is measured");
        assertTrue(Files.isRegularFile(runFolder(root, outcome).resolve(g.histogramLog())), g.histogramLog());
    }

    private static Path runFolder(Path root, FakeRuns.Outcome outcome) {
        return root.resolve("results/runs").resolve(outcome.record().runId());
    }

    /** The step's latency histogram recomputed from its HdrHistogram log: every window's interval, tag latency. */
    private static Histogram pooled(Path root, FakeRuns.Outcome outcome, RunRecord.Step step) throws IOException {
        Histogram sum = new Histogram(3);
        HistogramLogReader reader = new HistogramLogReader(runFolder(root, outcome).resolve(step.generator().histogramLog()).toFile());
        for (EncodableHistogram h; (h = reader.nextIntervalHistogram()) != null; ) {
            if ("latency".equals(h.getTag())) {
                sum.add((org.HdrHistogram.AbstractHistogram) h);
            }
        }
        return sum;
    }
}
