package dev.predictbench.model;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The dynamic batcher's settings, one set per process (every stack reads the same variables):
 * <ul>
 *   <li>{@code PREDICTBENCH_BATCHING}: {@code on} or {@code off} (the default);</li>
 *   <li>{@code PREDICTBENCH_BATCHING_MAX_ROWS}: rows in one model call at most (default {@value #DEFAULT_MAX_BATCH});
 *       a single request with more rows runs alone, never split;</li>
 *   <li>{@code PREDICTBENCH_BATCHING_PREFERRED}: comma-separated batch sizes the batcher dispatches as soon
 *       as it has that many rows waiting, without waiting out the queue delay (default none);</li>
 *   <li>{@code PREDICTBENCH_BATCHING_DELAY_US}: how long the oldest waiting row may wait for company
 *       while another batch is running and a model call could start (default 0: start at once);</li>
 *   <li>{@code PREDICTBENCH_BATCHING_CONCURRENCY}: model calls (batches) running at once (default: the
 *       CPUs the JVM sees, as each ONNX Runtime call runs on one thread).</li>
 * </ul>
 * A lone request on an idle model never waits: the delay only applies while another batch runs.
 * The record goes into {@code /info} and so into the run record.
 *
 * @param enabled             whether inference calls go through the batcher
 * @param maxBatch            rows per model call at most
 * @param preferredSizes      sizes dispatched without waiting, ascending, each at most {@code maxBatch}
 * @param maxQueueDelayMicros the longest the oldest row waits for a larger batch while a model call could start
 * @param concurrency         model calls running at once
 */
public record BatchSettings(boolean enabled, int maxBatch, List<Integer> preferredSizes, long maxQueueDelayMicros,
                            int concurrency) {
    public static final int DEFAULT_MAX_BATCH = 32;
    /** Above this one model call would hold more than a second's work of the embedder on one core. */
    public static final int LARGEST_MAX_BATCH = 1024;

    public BatchSettings {
        if (maxBatch < 1 || maxBatch > LARGEST_MAX_BATCH) {
            throw new IllegalArgumentException("PREDICTBENCH_BATCHING_MAX_ROWS must be between 1 and " + LARGEST_MAX_BATCH
                    + ", got " + maxBatch);
        }
        preferredSizes = preferredSizes.stream().distinct().sorted().toList();
        for (int size : preferredSizes) {
            if (size < 1 || size > maxBatch) {
                throw new IllegalArgumentException("PREDICTBENCH_BATCHING_PREFERRED sizes must be between 1 and "
                        + "PREDICTBENCH_BATCHING_MAX_ROWS (" + maxBatch + "), got " + size);
            }
        }
        if (maxQueueDelayMicros < 0 || maxQueueDelayMicros > 1_000_000) {
            throw new IllegalArgumentException("PREDICTBENCH_BATCHING_DELAY_US must be between 0 and 1000000, got "
                    + maxQueueDelayMicros);
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("PREDICTBENCH_BATCHING_CONCURRENCY must be at least 1, got " + concurrency);
        }
    }

    /** Batching off, with the sizes it would use if switched on. */
    public static BatchSettings defaults() {
        return new BatchSettings(false, DEFAULT_MAX_BATCH, List.of(), 0, Runtime.getRuntime().availableProcessors());
    }

    public static BatchSettings fromEnvironment() {
        BatchSettings d = defaults();
        String on = Settings.string("PREDICTBENCH_BATCHING", "off").toLowerCase(Locale.ROOT);
        boolean enabled = switch (on) {
            case "on", "true" -> true;
            case "off", "false" -> false;
            default -> throw new IllegalArgumentException("PREDICTBENCH_BATCHING must be on or off, got '" + on + "'");
        };
        return new BatchSettings(enabled, Settings.intValue("PREDICTBENCH_BATCHING_MAX_ROWS", d.maxBatch),
                sizes(Settings.string("PREDICTBENCH_BATCHING_PREFERRED", "")),
                Settings.intValue("PREDICTBENCH_BATCHING_DELAY_US", (int) d.maxQueueDelayMicros),
                Settings.intValue("PREDICTBENCH_BATCHING_CONCURRENCY", d.concurrency));
    }

    private static List<Integer> sizes(String list) {
        try {
            return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(Integer::parseInt).toList();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("PREDICTBENCH_BATCHING_PREFERRED must be whole numbers separated by commas, got '"
                    + list + "'", e);
        }
    }

    /** The same settings with batching on or off. */
    public BatchSettings withEnabled(boolean on) {
        return new BatchSettings(on, maxBatch, preferredSizes, maxQueueDelayMicros, concurrency);
    }
}
