package dev.predictbench.model;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The bound on inference work in one server process: at most {@code maxInflight} inference calls
 * run at once, at most {@code maxQueued} more wait for a turn, and none waits longer than
 * {@code queueTimeoutMillis}. Past that a call fails at once with {@link ErrorCode#OVERLOADED} (503,
 * {@code Retry-After: 1}) instead of queueing without bound.
 *
 * <p>It lives here, not in each framework, so that every stack sheds load at the same point: a
 * framework's own limit (Tomcat's thread pool, Helidon's concurrency limit) would bound different
 * things on different stacks and make the overload figures incomparable. The frameworks' own pools
 * stay at their defaults; the settings are in {@code /info} and so in the run record.
 * {@code PREDICTBENCH_MAX_INFLIGHT} (default 4 x the CPUs the JVM sees), {@code PREDICTBENCH_MAX_QUEUED}
 * (default 256: the load harness's largest closed-model concurrency queues without a 503) and
 * {@code PREDICTBENCH_QUEUE_TIMEOUT_MS} (default 2000) change them.
 *
 * <p>With {@linkplain BatchSettings batching} on, calls go through a {@link DynamicBatcher} instead
 * of {@link #call}: permits would cap every batch at {@code maxInflight} calls. The limit then counts
 * rows: at most {@code maxQueued} rows wait (a call alone is always let in), none longer than
 * {@code queueTimeoutMillis}, and the batcher runs at most {@code concurrency} model calls of at most
 * {@code maxBatch} rows. The gauges add those rows to the calls they count.
 */
public final class InflightLimit {
    /** The limit's settings, as {@code /info} shows them. */
    public record Settings(int maxInflight, int maxQueued, long queueTimeoutMillis) {
        public Settings {
            if (maxInflight < 1) {
                throw new IllegalArgumentException("PREDICTBENCH_MAX_INFLIGHT must be at least 1, got " + maxInflight);
            }
            if (maxQueued < 0) {
                throw new IllegalArgumentException("PREDICTBENCH_MAX_QUEUED must be 0 or more, got " + maxQueued);
            }
            if (queueTimeoutMillis < 0) {
                throw new IllegalArgumentException("PREDICTBENCH_QUEUE_TIMEOUT_MS must be 0 or more, got " + queueTimeoutMillis);
            }
        }

        public static Settings defaults() {
            return new Settings(4 * Runtime.getRuntime().availableProcessors(), 256, 2000);
        }

        public static Settings fromEnvironment() {
            Settings d = defaults();
            return new Settings(dev.predictbench.model.Settings.intValue("PREDICTBENCH_MAX_INFLIGHT", d.maxInflight),
                    dev.predictbench.model.Settings.intValue("PREDICTBENCH_MAX_QUEUED", d.maxQueued),
                    dev.predictbench.model.Settings.intValue("PREDICTBENCH_QUEUE_TIMEOUT_MS", (int) d.queueTimeoutMillis));
        }
    }

    /** Seconds a shed client is told to wait. */
    public static final int RETRY_AFTER_SECONDS = 1;

    private final Settings settings;
    private final Semaphore permits;
    private final AtomicInteger waiting = new AtomicInteger();
    private final LongAdder rejected = new LongAdder();
    private final CalibrationWork calibration;
    private final BatchSettings batching;
    private final AtomicInteger rowsWaiting = new AtomicInteger();
    private final AtomicInteger rowsRunning = new AtomicInteger();

    public InflightLimit(Settings settings) {
        this(settings, CalibrationWork.of(0));
    }

    /** A limit whose calls also spend {@code calibration}'s extra CPU (a calibration run's known slowdown). */
    public InflightLimit(Settings settings, CalibrationWork calibration) {
        this(settings, calibration, BatchSettings.defaults());
    }

    /** A limit with the given batching settings: the services of this process batch when they say so. */
    public InflightLimit(Settings settings, CalibrationWork calibration, BatchSettings batching) {
        this.settings = settings;
        this.permits = new Semaphore(settings.maxInflight(), true);
        this.calibration = calibration;
        this.batching = batching;
    }

    /** The limit, the calibration work and the batching the environment asks for. */
    public static InflightLimit fromEnvironment() {
        return new InflightLimit(Settings.fromEnvironment(), CalibrationWork.fromEnvironment(),
                BatchSettings.fromEnvironment());
    }

    private static volatile InflightLimit process;

    /** The one limit of this process, from the environment on first use: tabular and GenAI inference share it. */
    public static InflightLimit forProcess() {
        InflightLimit limit = process;
        if (limit == null) {
            synchronized (InflightLimit.class) {
                limit = process;
                if (limit == null) {
                    limit = fromEnvironment();
                    process = limit;
                }
            }
        }
        return limit;
    }

    public Settings settings() {
        return settings;
    }

    /** Whether and how the services of this process batch their model calls. */
    public BatchSettings batching() {
        return batching;
    }

    /** The extra CPU each call spends (off unless {@value CalibrationWork#SETTING} is set). */
    public CalibrationWork calibration() {
        return calibration;
    }

    /**
     * Calls waiting for a turn now (exported as the gauge {@code predictbench_inflight_queued}). A call
     * that finds the queue full counts here for the instant before it is shed.
     */
    public int waiting() {
        return waiting.get() + rowsWaiting.get();
    }

    /** Calls holding a permit now, at most {@code maxInflight} (exported as the gauge {@code predictbench_inflight_running}). */
    public int running() {
        return settings.maxInflight() - permits.availablePermits() + rowsRunning.get();
    }

    /** Calls refused with 503 since start (exported as the counter {@code predictbench_overload_rejected_total}). */
    public long rejected() {
        return rejected.sum();
    }

    /**
     * Runs {@code work} within the limit, then the calibration's extra CPU if one is set.
     *
     * @throws ApiException {@link ErrorCode#OVERLOADED} when the queue is full or the wait timed out
     */
    public <T> T call(Supplier<T> work) {
        acquire();
        try {
            T result = work.get();
            // Every inference call of every stack passes here, so the calibration's extra CPU does too.
            calibration.burn();
            return result;
        } finally {
            permits.release();
        }
    }

    private void acquire() {
        if (permits.tryAcquire()) {
            return;
        }
        if (waiting.incrementAndGet() > settings.maxQueued()) {
            waiting.decrementAndGet();
            throw overloaded(settings.maxQueued() + " requests are already waiting");
        }
        try {
            if (!permits.tryAcquire(settings.queueTimeoutMillis(), TimeUnit.MILLISECONDS)) {
                throw overloaded("no turn came within " + settings.queueTimeoutMillis() + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw overloaded("interrupted while waiting");
        } finally {
            waiting.decrementAndGet();
        }
    }

    /**
     * A batcher's call of {@code rows} rows joins the wait, unless {@code maxQueued} rows would then be
     * waiting (a call is let in whatever its size when nothing waits).
     *
     * @throws ApiException {@link ErrorCode#OVERLOADED} when it is shed
     */
    void queueRows(int rows) {
        while (true) {
            int now = rowsWaiting.get();
            if (now > 0 && now + rows > settings.maxQueued()) {
                throw shed(now + " rows are already waiting for a batch (at most " + settings.maxQueued() + ")");
            }
            if (rowsWaiting.compareAndSet(now, now + rows)) {
                return;
            }
        }
    }

    /** Rows that left the wait for a model call. */
    void startRows(int rows) {
        rowsWaiting.addAndGet(-rows);
        rowsRunning.addAndGet(rows);
    }

    /** Rows whose model call ended. */
    void finishRows(int rows) {
        rowsRunning.addAndGet(-rows);
    }

    /** Rows that left the wait without a model call (shed after waiting). */
    void leaveQueue(int rows) {
        rowsWaiting.addAndGet(-rows);
    }

    /** The 503 for a batcher's call, counted as rejected. */
    ApiException shed(String why) {
        return rejectedWith("the server is at its limit (" + why + ")");
    }

    private ApiException overloaded(String why) {
        return rejectedWith("the server is at its limit of " + settings.maxInflight() + " inference calls in flight (" + why + ")");
    }

    /** The 503 {@code OVERLOADED} with {@code Retry-After}, counted as rejected. */
    private ApiException rejectedWith(String message) {
        rejected.increment();
        return new ApiException(ErrorCode.OVERLOADED, message + "; retry after " + RETRY_AFTER_SECONDS + " s",
                RETRY_AFTER_SECONDS);
    }
}
