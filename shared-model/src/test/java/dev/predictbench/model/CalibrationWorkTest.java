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
import java.util.concurrent.atomic.AtomicLong;
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
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CalibrationWork.held(bad, new VirtualMachine().machine(1000)), "" + bad);
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
     * A machine whose every cost is known, so the control loop is checked exactly and not against
     * the noise of a shared host: one virtual CPU clock for the process and the calling thread, a
     * loop iteration costs 1 ns of it, a reading of the thread clock 50 ns (the overhead a timed
     * call subtracts), and the loop's speed at start-up is taken as {@code iterationsPerMicro}.
     */
    private static final class VirtualMachine {
        static final long CLOCK_NANOS = 50;
        final AtomicLong cpu = new AtomicLong();

        CalibrationWork.Machine machine(double iterationsPerMicro) {
            return new CalibrationWork.Machine(cpu::get, () -> cpu.addAndGet(CLOCK_NANOS), CLOCK_NANOS, (n, seed) -> {
                cpu.addAndGet(n);
                return seed + n;
            }, iterationsPerMicro);
        }

        /** One call: its "inference" (the rest of the process's work) costs {@code nanos}, then the loop. */
        void call(CalibrationWork w, long nanos) {
            cpu.addAndGet(nanos);
            w.burn();
        }
    }

    /**
     * Each call costs 40 us of "inference" and then the loop; the loop's speed at start-up is guessed
     * at twice the truth, so the first resize makes the loop twice too big and the timed calls have
     * to find the real speed. After a dozen resizes the loop is a quarter of the inference.
     */
    @Test
    void aHeldShareResizesTheLoopToThatShareOfTheRestOfTheCpu() {
        VirtualMachine vm = new VirtualMachine();
        CalibrationWork w = CalibrationWork.held(0.25, vm.machine(2000));
        assertEquals(0, w.iterationsPerCall(), "nothing until the first resize");
        for (int i = 0; i < CalibrationWork.MIN_CALLS_PER_RESIZE - 1; i++) {
            vm.call(w, 40_000);
        }
        assertFalse(w.resize(), "too few calls since the last resize");
        assertEquals(0, w.iterationsPerCall());
        for (int i = 0; i < 400; i++) {
            vm.call(w, 40_000);
        }
        assertTrue(w.resize());
        assertEquals(20_000, w.iterationsPerCall(), "a quarter of 40 us at the guessed 0.5 ns per iteration");
        for (int round = 0; round < 12; round++) {
            for (int i = 0; i < 400; i++) {
                vm.call(w, 40_000);
            }
            assertTrue(w.resize(), "round " + round);
        }
        // The rest per call is the 40 us plus the clock readings of the timed calls (1 in 8, 100 ns each).
        assertEquals(10_000, w.iterationsPerCall(), 100, "a quarter of 40 us at the measured 1 ns per iteration");
        long inference = 0;
        long loop = 0;
        for (int i = 0; i < 400; i++) {
            long t0 = vm.cpu.get();
            vm.cpu.addAndGet(40_000);
            long t1 = vm.cpu.get();
            w.burn();
            loop += vm.cpu.get() - t1;
            inference += t1 - t0;
        }
        assertEquals(0.25, (double) loop / inference, 0.0025, "the share held");
        CalibrationWork.Info info = w.info();
        assertEquals(0.25, info.cpuShare());
        assertNull(info.cpuMicrosPerCall());
        assertEquals(CalibrationWork.MIN_CALLS_PER_RESIZE - 1 + 14 * 400, info.calls());
        assertTrue(info.loopCpuMillis() > 0 && info.loopCpuMillis() < info.processCpuMillis(), info.toString());
        assertEquals(0.2, info.loopCpuMillis() / info.processCpuMillis(), 0.01, "a quarter of the rest is a fifth of the whole");
    }

    /** An idle spell's CPU (here 50 ms, over a few calls) is booked with it, not spread over the next busy second's calls. */
    @Test
    void anIdleSpellDoesNotSwellTheNextResize() {
        VirtualMachine vm = new VirtualMachine();
        CalibrationWork w = CalibrationWork.held(0.25, vm.machine(1000));
        for (int round = 0; round < 8; round++) {
            for (int i = 0; i < 400; i++) {
                vm.call(w, 40_000);
            }
            w.resize();
        }
        long before = w.iterationsPerCall();
        vm.cpu.addAndGet(50_000_000);
        for (int i = 0; i < 10; i++) {
            vm.call(w, 40_000);
        }
        assertFalse(w.resize(), "10 calls: booked, not resized");
        for (int i = 0; i < 400; i++) {
            vm.call(w, 40_000);
        }
        assertTrue(w.resize());
        double moved = (double) w.iterationsPerCall() / before;
        assertEquals(1.0, moved, 0.01, "the loop went from " + before + " to " + w.iterationsPerCall() + " iterations");
    }

    /** On this JVM the loop is timed in the calling thread's CPU time: a timed call books what it spent. */
    @Test
    void theJvmsMachineTimesTheRealLoop() {
        CalibrationWork.Machine jvm = CalibrationWork.Machine.jvm();
        assertTrue(jvm.iterationsPerMicro() > 0);
        assertThrows(IllegalArgumentException.class, () -> new CalibrationWork.Machine(() -> 0, () -> 0, 0, (n, s) -> s, 0));
        long before = jvm.threadCpuNanos().getAsLong();
        jvm.loop().applyAsLong(Math.round(20_000 * jvm.iterationsPerMicro()), 7);
        long spent = jvm.threadCpuNanos().getAsLong() - before;
        assertTrue(spent > 5_000_000, "20 ms of the loop at its measured speed, " + spent / 1e6 + " ms of this thread's CPU spent");
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
