package dev.predictbench.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The calibration's extra CPU: off by default, refused when nonsensical, spent inside every limited call, shown in /info. */
class CalibrationWorkTest {

    @Test
    void offByDefaultSpendsNothingAndIsAbsentFromInfo() {
        CalibrationWork off = CalibrationWork.of(CalibrationWork.parse(CalibrationWork.SETTING, null));
        assertFalse(off.enabled());
        assertEquals(0, off.iterationsPerCall());
        assertNull(off.info(), "no calibration field in /info");
        assertFalse(new InflightLimit(new InflightLimit.Settings(1, 0, 0)).calibration().enabled());
    }

    @Test
    void nonsenseIsRefusedNamingTheSetting() {
        for (String bad : List.of("abc", "-1", "NaN", "2000000")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> CalibrationWork.of(CalibrationWork.parse(CalibrationWork.SETTING, bad)), bad);
            assertTrue(e.getMessage().startsWith("PREDICTBENCH_CALIBRATION_CPU_MICROS must be"), e.getMessage());
        }
    }

    @Test
    void theIterationsComeFromTheLoopsMeasuredSpeed() {
        CalibrationWork w = CalibrationWork.of(250);
        CalibrationWork.Info info = w.info();
        assertTrue(w.enabled());
        assertEquals(250.0, info.cpuMicrosPerCall());
        assertNull(info.cpuShare(), "a fixed size, not a held share");
        assertTrue(info.iterationsPerMicro() > 0, info.toString());
        assertEquals(250 * info.iterationsPerMicro(), w.iterationsPerCall(), 250 * 0.01 + 1,
                "250 us x the measured iterations per us");
        assertTrue(info.note().contains("never a baseline"), info.note());
    }

    @Test
    void aHeldShareIsRefusedWhenNonsensicalOrSetBesideAFixedSize() {
        for (double bad : new double[] {0, -0.1, Double.NaN, 4.5}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CalibrationWork.held(bad, () -> 0), "" + bad);
            assertTrue(e.getMessage().startsWith("PREDICTBENCH_CALIBRATION_CPU_SHARE must be"), e.getMessage());
        }
        System.setProperty("predictbench.calibration.cpu.micros", "10");
        System.setProperty("predictbench.calibration.cpu.share", "0.25");
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, CalibrationWork::fromEnvironment);
            assertTrue(e.getMessage().contains("not both"), e.getMessage());
        } finally {
            System.clearProperty("predictbench.calibration.cpu.micros");
            System.clearProperty("predictbench.calibration.cpu.share");
        }
    }

    /**
     * The process here is this one thread: its CPU time is what the resize reads. Each call does a
     * fixed piece of "inference" work, then the loop; after some resizes the loop's CPU per call,
     * timed here around each call, has to be the share of the inference's.
     */
    @Test
    void aHeldShareResizesTheLoopToThatShareOfTheRestOfTheCpu() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        CalibrationWork w = CalibrationWork.held(0.25, threads::getCurrentThreadCpuTime);
        assertEquals(0, w.iterationsPerCall(), "nothing until the first resize");
        long inference = 40_000;
        long sink = 0;
        for (int i = 0; i < CalibrationWork.MIN_CALLS_PER_RESIZE - 1; i++) {
            sink += CalibrationWork.consume(inference, i);
            w.burn();
        }
        assertFalse(w.resize(), "too few calls since the last resize");
        for (int round = 0; round < 12; round++) {
            for (int i = 0; i < 400; i++) {
                sink += CalibrationWork.consume(inference, i);
                w.burn();
            }
            assertTrue(w.resize(), "round " + round);
        }
        long inferenceNanos = 0;
        long loopNanos = 0;
        for (int i = 0; i < 400; i++) {
            long t0 = threads.getCurrentThreadCpuTime();
            sink += CalibrationWork.consume(inference, i);
            long t1 = threads.getCurrentThreadCpuTime();
            w.burn();
            long t2 = threads.getCurrentThreadCpuTime();
            inferenceNanos += t1 - t0;
            loopNanos += t2 - t1;
        }
        double held = (double) loopNanos / inferenceNanos;
        assertTrue(held > 0.21 && held < 0.29, "share held " + held + " (asked 0.25), " + sink);
        CalibrationWork.Info info = w.info();
        assertEquals(0.25, info.cpuShare());
        assertNull(info.cpuMicrosPerCall());
        assertEquals((CalibrationWork.MIN_CALLS_PER_RESIZE - 1) + 13 * 400, info.calls());
        assertTrue(info.loopCpuMillis() > 0 && info.loopCpuMillis() < info.processCpuMillis(), info.toString());
    }

    /** An idle spell's CPU (here 50 ms, over a few calls) is booked with it, not spread over the next busy second's calls. */
    @Test
    void anIdleSpellDoesNotSwellTheNextResize() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        java.util.concurrent.atomic.AtomicLong idle = new java.util.concurrent.atomic.AtomicLong();
        CalibrationWork w = CalibrationWork.held(0.25, () -> threads.getCurrentThreadCpuTime() + idle.get());
        long sink = 0;
        for (int round = 0; round < 8; round++) {
            for (int i = 0; i < 400; i++) {
                sink += CalibrationWork.consume(40_000, i);
                w.burn();
            }
            w.resize();
        }
        long before = w.iterationsPerCall();
        idle.addAndGet(50_000_000);
        for (int i = 0; i < 10; i++) {
            sink += CalibrationWork.consume(40_000, i);
            w.burn();
        }
        assertFalse(w.resize(), "10 calls: booked, not resized");
        for (int i = 0; i < 400; i++) {
            sink += CalibrationWork.consume(40_000, i);
            w.burn();
        }
        assertTrue(w.resize());
        double moved = (double) w.iterationsPerCall() / before;
        assertTrue(moved > 0.8 && moved < 1.25, "the loop went from " + before + " to " + w.iterationsPerCall() + " iterations, " + sink);
    }

    @Test
    void theLoopCannotBeFoldedAway() {
        assertNotEquals(CalibrationWork.consume(1000, 7), CalibrationWork.consume(1001, 7), "each step changes the result");
        assertEquals(CalibrationWork.consume(1000, 7), CalibrationWork.consume(1000, 7), "and it is deterministic");
    }

    @Test
    void aLimitedCallSpendsTheExtraCpuOnItsThread() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        InflightLimit limit = new InflightLimit(new InflightLimit.Settings(1, 0, 0), CalibrationWork.of(20_000));
        limit.call(() -> 1);
        long before = threads.getCurrentThreadCpuTime();
        assertEquals(42, limit.call(() -> 42), "the work's answer is returned");
        long spent = threads.getCurrentThreadCpuTime() - before;
        // Thread CPU time, not wall time: the loop ran on this thread (its size is checked in a benchmark run).
        assertTrue(spent > 5_000_000, "20 ms of CPU asked, " + spent / 1e6 + " ms of this thread's CPU spent");
        assertEquals(0, limit.running(), "the permit is given back");
    }

    @Test
    void infoShowsTheCalibrationOfTheServicesLimit() {
        try (PredictService service = new PredictService(OnnxPredictor.loadDefault(InferenceOptions.DEFAULT),
                new Limits(10, 1 << 20), new InflightLimit(new InflightLimit.Settings(4, 16, 1000), CalibrationWork.of(100)))) {
            ServerInfo info = ServerInfo.of("test", "Test 1", null, new ServerInfo.Threading("platform-thread-pool", "worker",
                    java.util.Map.of()), service, Protection.off());
            assertEquals(100.0, info.calibration().cpuMicrosPerCall());
        }
    }
}
