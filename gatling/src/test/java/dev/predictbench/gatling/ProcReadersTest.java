package dev.predictbench.gatling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictbench.gatling.load.HotSpotCounters;
import org.junit.jupiter.api.Test;

/**
 * The readers the load client takes its window readings with: they must read what the plain
 * /proc and hsperfdata parsers read, see the values move while they stay open, and read "none"
 * for a process that is not there.
 */
class ProcReadersTest {
    private static final long SELF = ProcessHandle.current().pid();

    @Test
    void procReaderAgreesWithTheParsersAndFollowsTheProcess() {
        try (ProcStats.Reader reader = new ProcStats.Reader(SELF)) {
            ProcStats.Sample plain = ProcStats.sample(SELF);
            ProcStats.Sample read = reader.sample();
            assertTrue(read.available());
            assertTrue(read.cpuSeconds() >= plain.cpuSeconds() && read.cpuSeconds() - plain.cpuSeconds() < 0.5,
                    read + " vs " + plain);
            assertTrue(Math.abs(read.rssBytes() - plain.rssBytes()) < plain.rssBytes() / 5, read + " vs " + plain);
            long[] machine = ProcStats.machineTicks();
            long[] ticks = reader.machineTicks();
            assertNotNull(ticks);
            assertTrue(ticks[0] >= machine[0] && ticks[1] >= machine[1], "the same counters, read later");
            long spin = System.nanoTime() + 300_000_000L;
            double x = 0;
            while (System.nanoTime() < spin) {
                x += Math.sqrt(x + 1);
            }
            assertTrue(x > 0);
            assertTrue(reader.sample().cpuSeconds() >= read.cpuSeconds() + 0.1, "300 ms of CPU is seen by the open reader");
        }
        try (ProcStats.Reader gone = new ProcStats.Reader(Integer.MAX_VALUE)) {
            assertFalse(gone.sample().available());
            assertNotNull(gone.machineTicks(), "the machine is still read");
        }
    }

    @Test
    void hotSpotReaderSeesTheLiveCountersOfAMappedFile() {
        HotSpotCounters.Reader reader = HotSpotCounters.reader(SELF);
        HotSpotCounters first = reader.read();
        assertTrue(first.available() && first.compiles() > 0, String.valueOf(first));
        System.gc();
        HotSpotCounters after = reader.read();
        assertTrue(after.gcPauseMillis() > first.gcPauseMillis(), "a collection is seen without reopening: " + first + " -> " + after);
        assertEquals(HotSpotCounters.read(SELF).compiles(), reader.read().compiles(), 50.0, "the same counter as a fresh parse");
        assertFalse(HotSpotCounters.reader(Integer.MAX_VALUE).read().available());
    }
}
