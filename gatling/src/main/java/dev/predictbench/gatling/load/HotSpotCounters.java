package dev.predictbench.gatling.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
        return reader(pid).read();
    }

    /**
     * Reads one process's counters again and again from its file mapped into memory (as
     * {@code jstat} does): the file's entries are looked up once, and each reading is then three or
     * four loads, cheap enough to take between two windows on the load client's sending thread.
     */
    public static final class Reader {
        /** The reader of a process with no readable counters: it reads {@link #NONE}. */
        static final Reader ABSENT = new Reader(null, 0, 0, null);
        private final ByteBuffer mapped;
        private final int compiles;
        private final long frequency;
        private final int[] pauses;

        private Reader(ByteBuffer mapped, int compiles, long frequency, int[] pauses) {
            this.mapped = mapped;
            this.compiles = compiles;
            this.frequency = frequency;
            this.pauses = pauses;
        }

        /** The counters now, or {@link #NONE} when the process has no readable counters. */
        public HotSpotCounters read() {
            if (mapped == null) {
                return NONE;
            }
            long ticks = 0;
            for (int at : pauses) {
                ticks += mapped.getLong(at);
            }
            return new HotSpotCounters(mapped.getLong(compiles), ticks * 1000.0 / frequency);
        }
    }

    /** A reader of process {@code pid}'s counters; one that reads {@link #NONE} when it has none. */
    public static Reader reader(long pid) {
        Path file = file(pid);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
            Counters c = parse(mapped, file);
            Integer compiles = c.offsets().get("sun.ci.totalCompiles");
            Long frequency = c.longs().get("sun.os.hrt.frequency");
            if (compiles == null || frequency == null || frequency <= 0) {
                return Reader.ABSENT;
            }
            return new Reader(mapped, compiles, frequency, pauseCounters(c).stream()
                    .mapToInt(name -> c.offsets().get(name)).toArray());
        } catch (IOException | RuntimeException e) {
            return Reader.ABSENT;
        }
    }

    private static Path file(long pid) {
        return Path.of("/tmp", "hsperfdata_" + System.getProperty("user.name"),
                Long.toString(pid));
    }

    /** The time counters of the stop-the-world collectors: concurrent collectors' work does not stop the application. */
    private static List<String> pauseCounters(Counters c) {
        List<String> out = new ArrayList<>();
        for (int i = 0; c.longs().containsKey("sun.gc.collector." + i + ".time"); i++) {
            String name = String.valueOf(c.strings().get("sun.gc.collector." + i + ".name"));
            if (!name.toLowerCase(Locale.ROOT).contains("concurrent")) {
                out.add("sun.gc.collector." + i + ".time");
            }
        }
        return out;
    }

    /**
     * A hsperfdata file's scalar long counters, where each one's value is in the file, and its
     * names (strings ending in {@code .name}).
     */
    record Counters(Map<String, Long> longs, Map<String, String> strings, Map<String, Integer> offsets) {
    }

    static Counters parse(Path file) throws IOException {
        return parse(ByteBuffer.wrap(Files.readAllBytes(file)), file);
    }

    private static Counters parse(ByteBuffer b, Path file) throws IOException {
        if (b.getInt(0) != MAGIC) {
            throw new IOException("not a hsperfdata file: " + file);
        }
        b.order(b.get(4) == 0 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        int entry = b.getInt(24);
        int entries = b.getInt(28);
        Map<String, Long> out = new LinkedHashMap<>();
        Map<String, String> strings = new LinkedHashMap<>();
        Map<String, Integer> offsets = new LinkedHashMap<>();
        for (int i = 0; i < entries && entry > 0 && entry < b.limit(); i++) {
            int length = b.getInt(entry);
            int nameOffset = b.getInt(entry + 4);
            int vectorLength = b.getInt(entry + 8);
            byte type = b.get(entry + 12);
            int dataOffset = b.getInt(entry + 16);
            String name = cString(b, entry + nameOffset);
            if (vectorLength == 0 && type == 'J') {
                out.put(name, b.getLong(entry + dataOffset));
                offsets.put(name, entry + dataOffset);
            } else if (type == 'B' && vectorLength > 0 && name.endsWith(".name")) {
                strings.put(name, cString(b, entry + dataOffset));
            }
            if (length <= 0) {
                break;
            }
            entry += length;
        }
        return new Counters(out, strings, offsets);
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
