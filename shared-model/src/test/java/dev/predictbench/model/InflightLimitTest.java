package dev.predictbench.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The in-flight bound, driven by latches: which calls run, wait or are shed, never how fast. */
class InflightLimitTest {
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stopThreads() {
        release.countDown();
        threads.shutdownNow();
    }

    /** Starts a call that holds one permit until {@link #release} opens; returns once it holds it. */
    private Future<String> hold(InflightLimit limit) throws InterruptedException {
        CountDownLatch holding = new CountDownLatch(1);
        Future<String> held = threads.submit(() -> limit.call(() -> {
            holding.countDown();
            await(release);
            return "held";
        }));
        assertTrue(holding.await(30, TimeUnit.SECONDS), "the holder got its permit");
        return held;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static InflightLimit limit(int inflight, int queued, long timeoutMillis) {
        return new InflightLimit(new InflightLimit.Settings(inflight, queued, timeoutMillis));
    }

    @Test
    void runsUpToMaxInflightCallsAtOnceAndShedsTheNextWith503AndRetryAfter() throws Exception {
        InflightLimit limit = limit(2, 0, 60_000);
        Future<String> first = hold(limit);
        Future<String> second = hold(limit);

        ApiException shed = assertThrows(ApiException.class, () -> limit.call(() -> "third"));
        assertEquals(ErrorCode.OVERLOADED, shed.code());
        assertEquals(503, shed.status());
        assertEquals(InflightLimit.RETRY_AFTER_SECONDS, shed.retryAfterSeconds());
        assertTrue(shed.getMessage().contains("limit of 2"), shed.getMessage());
        assertEquals(1, limit.rejected());

        release.countDown();
        assertEquals("held", first.get(30, TimeUnit.SECONDS));
        assertEquals("held", second.get(30, TimeUnit.SECONDS));
        assertEquals("after", limit.call(() -> "after"), "permits come back when the calls end");
    }

    @Test
    void queuedCallRunsWhenAPermitFreesAndAFullQueueIsShedAtOnce() throws Exception {
        InflightLimit limit = limit(1, 1, 60_000);
        Future<String> holder = hold(limit);
        Future<String> queued = threads.submit(() -> limit.call(() -> "queued"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (limit.waiting() < 1 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(1, limit.waiting(), "the second call waits for a turn");

        ApiException shed = assertThrows(ApiException.class, () -> limit.call(() -> "third"));
        assertEquals(ErrorCode.OVERLOADED, shed.code());
        assertTrue(shed.getMessage().contains("1 requests are already waiting"), shed.getMessage());
        assertEquals(1, shed.retryAfterSeconds());

        release.countDown();
        assertEquals("held", holder.get(30, TimeUnit.SECONDS));
        assertEquals("queued", queued.get(30, TimeUnit.SECONDS), "the waiting call ran once the permit came back");
        assertEquals(0, limit.waiting());
        assertEquals(1, limit.rejected());
    }

    @Test
    void aCallThatWaitsPastTheQueueTimeoutIsShed() throws Exception {
        InflightLimit limit = limit(1, 4, 20);
        hold(limit);
        ApiException shed = assertThrows(ApiException.class, () -> limit.call(() -> "late"));
        assertEquals(ErrorCode.OVERLOADED, shed.code());
        assertTrue(shed.getMessage().contains("no turn came within 20 ms"), shed.getMessage());
        assertEquals(0, limit.waiting(), "the timed-out call left the queue");
        assertEquals(1, limit.rejected());
    }

    @Test
    void aFailingCallGivesItsPermitBack() {
        InflightLimit limit = limit(1, 0, 0);
        IllegalStateException failure = assertThrows(IllegalStateException.class, () -> limit.call(() -> {
            throw new IllegalStateException("model failed");
        }));
        assertEquals("model failed", failure.getMessage());
        assertEquals("next", limit.call(() -> "next"), "with no queue, a kept permit would shed this call");
        assertEquals(0, limit.rejected());
    }

    @Test
    void rejectedCountsEveryShedCall() throws Exception {
        InflightLimit limit = limit(1, 0, 0);
        hold(limit);
        for (int i = 0; i < 5; i++) {
            assertThrows(ApiException.class, () -> limit.call(() -> "shed"));
        }
        assertEquals(5, limit.rejected());
    }

    @Test
    void runningAndWaitingTellTheCallsInFlightNow() throws Exception {
        InflightLimit limit = limit(2, 1, 60_000);
        assertEquals(0, limit.running());
        assertEquals(0, limit.waiting());
        Future<String> first = hold(limit);
        assertEquals(1, limit.running());
        Future<String> second = hold(limit);
        assertEquals(2, limit.running());
        assertEquals(0, limit.waiting());

        Future<String> queued = threads.submit(() -> limit.call(() -> "queued"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (limit.waiting() < 1 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(1, limit.waiting(), "the third call waits");
        assertEquals(2, limit.running(), "never more running than the limit");
        assertThrows(ApiException.class, () -> limit.call(() -> "shed"));
        assertEquals(1, limit.waiting(), "a shed call leaves no trace in the queue");

        release.countDown();
        assertEquals("held", first.get(30, TimeUnit.SECONDS));
        assertEquals("held", second.get(30, TimeUnit.SECONDS));
        assertEquals("queued", queued.get(30, TimeUnit.SECONDS));
        assertEquals(0, limit.running(), "every permit is back");
        assertEquals(0, limit.waiting());
    }

    @Test
    void aFailedCallIsNotLeftRunning() {
        InflightLimit limit = limit(1, 0, 0);
        assertThrows(IllegalStateException.class, () -> limit.call(() -> {
            assertEquals(1, limit.running(), "counted while it runs");
            throw new IllegalStateException("model failed");
        }));
        assertEquals(0, limit.running());
    }

    @Test
    void settingsRejectImpossibleValues() {
        assertThrows(IllegalArgumentException.class, () -> new InflightLimit.Settings(0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new InflightLimit.Settings(1, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> new InflightLimit.Settings(1, 0, -1));
    }

    @Test
    void settingsComeFromSystemPropertiesOverDefaults() {
        System.setProperty("predictbench.max.inflight", "3");
        System.setProperty("predictbench.max.queued", "0");
        System.setProperty("predictbench.queue.timeout.ms", "150");
        try {
            assertEquals(new InflightLimit.Settings(3, 0, 150), InflightLimit.Settings.fromEnvironment());
        } finally {
            System.clearProperty("predictbench.max.inflight");
            System.clearProperty("predictbench.max.queued");
            System.clearProperty("predictbench.queue.timeout.ms");
        }
        InflightLimit.Settings defaults = InflightLimit.Settings.defaults();
        assertEquals(4 * Runtime.getRuntime().availableProcessors(), defaults.maxInflight());
        assertEquals(256, defaults.maxQueued());
        assertEquals(2000, defaults.queueTimeoutMillis());
    }
}
