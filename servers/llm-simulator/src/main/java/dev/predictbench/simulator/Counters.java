package dev.predictbench.simulator;

import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;

/** The live counters behind {@link SimStats}, shared by every event-loop thread. */
final class Counters {

    /** Lateness above this (one minute) is recorded as this. */
    private static final long MAX_TRACKED_MICROS = 60_000_000L;
    private static final long LATE_NANOS = 1_000_000L;

    private final int threads;
    private final AtomicLong active = new AtomicLong();
    private final AtomicLong maxActive = new AtomicLong();
    private final AtomicLong streams = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong lateEvents = new AtomicLong();
    private final ConcurrentHistogram lateness = new ConcurrentHistogram(MAX_TRACKED_MICROS, 3);

    Counters(int threads) {
        this.threads = threads;
    }

    void request() {
        requests.incrementAndGet();
    }

    void streamStarted() {
        long now = active.incrementAndGet();
        maxActive.accumulateAndGet(now, Math::max);
    }

    /** A completion left the in-flight set; completed says whether it was answered to the end. */
    void streamEnded(boolean completed) {
        active.decrementAndGet();
        if (completed) {
            streams.incrementAndGet();
        }
    }

    void event(long latenessNanos) {
        long nanos = Math.max(0, latenessNanos);
        events.incrementAndGet();
        if (nanos > LATE_NANOS) {
            lateEvents.incrementAndGet();
        }
        lateness.recordValue(Math.min(MAX_TRACKED_MICROS, nanos / 1_000));
    }

    SimStats snapshot() {
        // ConcurrentHistogram's queries take its reader lock: consistent without copying the counts.
        boolean empty = lateness.getTotalCount() == 0;
        return new SimStats(active.get(), maxActive.get(), streams.get(), requests.get(), events.get(),
                lateEvents.get(),
                empty ? 0 : lateness.getValueAtPercentile(50),
                empty ? 0 : lateness.getValueAtPercentile(99),
                empty ? 0 : lateness.getMaxValue(),
                threads);
    }

    /** Zeroes the counters; the most in flight becomes the number in flight now. */
    void reset() {
        streams.set(0);
        requests.set(0);
        events.set(0);
        lateEvents.set(0);
        lateness.reset();
        maxActive.set(active.get());
    }
}
