package dev.predictbench.gatling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictbench.gatling.load.HotSpotCounters;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The readers the load client takes its window readings with: they must read what the /proc
 * files and a fresh hsperfdata parse say, see the values move while they stay open, and read "none"
 * for a process that is not there.
 */
class ProcReadersTest {
    private static final long SELF = ProcessHandle.current().pid();

    @Test
    void procReaderAgreesWithTheProcFilesAndFollowsTheProcess() throws Exception {
        try (ProcStats.Reader reader = new ProcStats.Reader(SELF)) {
            // The same files read here with strings, independently of the reader's in-place parsing.
            String stat = Files.readString(Path.of("/proc", Long.toString(SELF), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            double cpu = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
            long rss = Files.readAllLines(Path.of("/proc", Long.toString(SELF), "status")).stream()
                    .filter(l -> l.startsWith("VmRSS:")).mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024)
                    .findFirst().orElseThrow();
            String[] machine = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i <= 8; i++) {
                total += Long.parseLong(machine[i]);
            }
            long steal = Long.parseLong(machine[8]);

            ProcStats.Sample read = reader.sample();
            assertTrue(read.available());
            assertTrue(read.cpuSeconds() >= cpu && read.cpuSeconds() - cpu < 0.5, read + " vs " + cpu + " s");
            assertTrue(Math.abs(read.rssBytes() - rss) < rss / 5, read + " vs " + rss + " bytes");
            long[] ticks = reader.machineTicks();
            assertNotNull(ticks);
            assertTrue(ticks[0] >= total && ticks[1] >= steal, "the same counters, read later");
            assertTrue(ticks[0] - total < 100_000, "not some other line's numbers: " + ticks[0] + " vs " + total);
            long spin = System.nanoTime() + 300_000_000L;
            double x = 0;
            while (System.nanoTime() < spin) {
                x += Math.sqrt(x + 1);
            }
            assertTrue(x > 0);
            assertTrue(reader.sample().cpuSeconds() >= read.cpuSeconds() + 0.1, "300 ms of CPU is seen by the open reader");
            assertTrue(ProcStats.sample(SELF).cpuSeconds() >= read.cpuSeconds() + 0.1, "and by a one-off reading");
        }
        try (ProcStats.Reader gone = new ProcStats.Reader(Integer.MAX_VALUE)) {
            assertFalse(gone.sample().available());
            assertNotNull(gone.machineTicks(), "the machine is still read");
        }
        assertFalse(ProcStats.sample(Integer.MAX_VALUE).available());
        assertNotNull(ProcStats.machineTicks());
    }

    @Test
    void procReaderSumsTheProcessesBelowTheOneLaunched() throws Exception {
        // A parent that only waits and a child that spins: what a pre-fork server's master and worker are.
        Process parent = new ProcessBuilder("bash", "-c", "yes > /dev/null & wait").start();
        try {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (parent.descendants().findAny().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            long child = parent.descendants().findFirst().orElseThrow().pid();
            try (ProcStats.Reader tree = new ProcStats.Reader(parent.pid());
                 ProcStats.Reader parentOnly = new ProcStats.Reader(child)) {
                assertEquals(2, tree.processes(), "the launched process and its child");
                ProcStats.Sample first = tree.sample();
                Thread.sleep(400);
                ProcStats.Sample second = tree.sample();
                double childCpu = ProcStats.sample(child).cpuSeconds();
                assertTrue(second.cpuSeconds() - first.cpuSeconds() >= 0.1,
                        "the child's CPU is the server's: " + first + " -> " + second);
                assertTrue(second.cpuSeconds() >= childCpu - 0.05, second + " includes the child's " + childCpu + " s");
                assertTrue(second.rssBytes() > parentOnly.sample().rssBytes(), "RSS is summed over both processes");
                assertTrue(ProcStats.taskRunNanos(parent.pid()).containsKey(child),
                        "the child's thread is among the server's threads");
            }
        } finally {
            parent.descendants().forEach(ProcessHandle::destroyForcibly);
            parent.destroyForcibly();
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
