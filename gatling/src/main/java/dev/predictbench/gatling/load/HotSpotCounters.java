package dev.predictbench.gatling.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A HotSpot JVM's performance counters, read from the file it keeps them in
 * ({@code /tmp/hsperfdata_<user>/<pid>}, the source of {@code jstat}) without starting a tool: how
 * many methods its JIT has compiled, and how long its garbage collectors have paused it. Reading
 * the file costs microseconds, so the harness can ask between every two windows whether a server's
 * JIT is still compiling. A process that is not a HotSpot JVM (or runs with -XX:-UsePerfData) has
 * no such file: {@link #read} answers {@link #NONE}.
 *
 * @param compiles      methods compiled so far ({@code sun.ci.totalCompiles})
 * @param gcPauseMillis time stopped for garbage collection so far (every {@code sun.gc.collector.N.time}
 *                      of a stop-the-world collector)
 */
public record HotSpotCounters(long compiles, double gcPauseMillis) {
    public static final HotSpotCounters NONE = new HotSpotCounters(-1, -1);
    private static final int MAGIC = 0xcafec0c0;

    public boolean available() {
        return compiles >= 0;
    }

    /** The counters of a process now, or {@link #NONE}. */
    public static HotSpotCounters read(long pid) {
        try {
            Counters c = parse(Path.of("/tmp", "hsperfdata_" + System.getProperty("user.name"), Long.toString(pid)));
            Map<String, Long> longs = c.longs();
            Long compiles = longs.get("sun.ci.totalCompiles");
            Long frequency = longs.get("sun.os.hrt.frequency");
            if (compiles == null || frequency == null || frequency <= 0) {
                return NONE;
            }
            long pauseTicks = 0;
            for (int i = 0; longs.containsKey("sun.gc.collector." + i + ".time"); i++) {
                // Concurrent collectors' work does not stop the application: only pauses count.
                String name = String.valueOf(c.strings().get("sun.gc.collector." + i + ".name"));
                if (!name.toLowerCase(java.util.Locale.ROOT).contains("concurrent")) {
                    pauseTicks += longs.get("sun.gc.collector." + i + ".time");
                }
            }
            return new HotSpotCounters(compiles, pauseTicks * 1000.0 / frequency);
        } catch (IOException | RuntimeException e) {
            return NONE;
        }
    }

    /** A hsperfdata file's scalar long counters and its names (strings ending in {@code .name}). */
    record Counters(Map<String, Long> longs, Map<String, String> strings) {
    }

    static Counters parse(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
        if (b.getInt(0) != MAGIC) {
            throw new IOException("not a hsperfdata file: " + file);
        }
        b.order(b.get(4) == 0 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        int entry = b.getInt(24);
        int entries = b.getInt(28);
        Map<String, Long> out = new LinkedHashMap<>();
        Map<String, String> strings = new LinkedHashMap<>();
        for (int i = 0; i < entries && entry > 0 && entry < b.limit(); i++) {
            int length = b.getInt(entry);
            int nameOffset = b.getInt(entry + 4);
            int vectorLength = b.getInt(entry + 8);
            byte type = b.get(entry + 12);
            int dataOffset = b.getInt(entry + 16);
            String name = cString(b, entry + nameOffset);
            if (vectorLength == 0 && type == 'J') {
                out.put(name, b.getLong(entry + dataOffset));
            } else if (type == 'B' && vectorLength > 0 && name.endsWith(".name")) {
                strings.put(name, cString(b, entry + dataOffset));
            }
            if (length <= 0) {
                break;
            }
            entry += length;
        }
        return new Counters(out, strings);
    }

    private static String cString(ByteBuffer b, int at) {
        int end = at;
        while (end < b.limit() && b.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - at];
        b.get(at, bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
