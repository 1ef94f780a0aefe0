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
        CalibrationWork off = CalibrationWork.of(CalibrationWork.parse(null));
        assertFalse(off.enabled());
        assertEquals(0, off.iterationsPerCall());
        assertNull(off.info(), "no calibration field in /info");
        assertFalse(new InflightLimit(new InflightLimit.Settings(1, 0, 0)).calibration().enabled());
    }

    @Test
    void nonsenseIsRefusedNamingTheSetting() {
        for (String bad : List.of("abc", "-1", "NaN", "2000000")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> CalibrationWork.of(CalibrationWork.parse(bad)), bad);
            assertTrue(e.getMessage().startsWith("PREDICTBENCH_CALIBRATION_CPU_MICROS must be"), e.getMessage());
        }
    }

    @Test
    void theIterationsComeFromTheLoopsMeasuredSpeed() {
        CalibrationWork w = CalibrationWork.of(250);
        CalibrationWork.Info info = w.info();
        assertTrue(w.enabled());
        assertEquals(250.0, info.cpuMicrosPerCall());
        assertTrue(info.iterationsPerMicro() > 0, info.toString());
        assertEquals(250 * info.iterationsPerMicro(), w.iterationsPerCall(), 250 * 0.01 + 1,
                "250 us x the measured iterations per us");
        assertTrue(info.note().contains("never a baseline"), info.note());
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
