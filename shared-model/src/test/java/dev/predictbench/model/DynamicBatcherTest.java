package dev.predictbench.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The batcher's behaviour with a model stand-in: calls are int arrays (one row per element), the
 * batch function answers each row with its value times ten, and records the batches it was given.
 */
@Timeout(60)
class DynamicBatcherTest {
    private static final InflightLimit.Settings ROOMY = new InflightLimit.Settings(4, 10_000, 20_000);

    /**
     * The stand-in model: each row times ten, a negative row refused; it keeps every batch's row
     * count, and its first call waits for {@code hold} (later calls run at once).
     */
    private static final class Model implements DynamicBatcher.BatchFunction<int[], int[]> {
        final List<Integer> batchRows = Collections.synchronizedList(new ArrayList<>());
        final List<Thread> threads = Collections.synchronizedList(new ArrayList<>());
        volatile CountDownLatch hold = new CountDownLatch(0);
        final CountDownLatch entered = new CountDownLatch(1);
        final AtomicInteger running = new AtomicInteger();
        volatile int mostRunning;
        /** How long each model call takes, so that calls arriving meanwhile queue. */
        volatile long callNanos;

        @Override
        public List<int[]> run(List<int[]> inputs) {
            int now = running.incrementAndGet();
            mostRunning = Math.max(mostRunning, now);
            threads.add(Thread.currentThread());
            boolean first = entered.getCount() == 1;
            entered.countDown();
            try {
                if (first) {
                    hold.await();
                }
                if (callNanos > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(callNanos);
                }
                batchRows.add(inputs.stream().mapToInt(a -> a.length).sum());
                List<int[]> out = new ArrayList<>();
                for (int[] in : inputs) {
                    int[] o = new int[in.length];
                    for (int i = 0; i < in.length; i++) {
                        if (in[i] < 0) {
                            throw new IllegalArgumentException("the model refuses " + in[i]);
                        }
                        o[i] = in[i] * 10;
                    }
                    out.add(o);
                }
                return out;
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            } finally {
                running.decrementAndGet();
            }
        }
    }

    private static DynamicBatcher<int[], int[]> batcher(Model model, int maxBatch, List<Integer> preferred, long delayMicros,
                                                        int concurrency, InflightLimit.Settings limits) {
        BatchSettings settings = new BatchSettings(true, maxBatch, preferred, delayMicros, concurrency);
        return new DynamicBatcher<>("test", new InflightLimit(limits, CalibrationWork.of(0), settings), in -> in.length, model);
    }

    /** Many callers, distinct inputs of 1 to 3 rows: each gets exactly its own rows back, and batches form. */
    private static void everyCallerGetsItsOwnRows(ExecutorService pool) throws Exception {
        Model model = new Model();
        model.callNanos = TimeUnit.MICROSECONDS.toNanos(300);
        DynamicBatcher<int[], int[]> batcher = batcher(model, 16, List.of(), 0, 1, ROOMY);
        int calls = 2000;
        List<Future<int[]>> futures = new ArrayList<>();
        for (int call = 0; call < calls; call++) {
            int c = call;
            int[] input = IntStream.range(0, 1 + c % 3).map(i -> 1000 * (c + 1) + i).toArray();
            futures.add(pool.submit(() -> batcher.call(input)));
        }
        for (int call = 0; call < calls; call++) {
            int c = call;
            int[] expected = IntStream.range(0, 1 + c % 3).map(i -> 10 * (1000 * (c + 1) + i)).toArray();
            assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(futures.get(c).get()), "call " + c);
        }
        pool.shutdown();
        assertEquals(model.batchRows.stream().mapToInt(Integer::intValue).sum(), (int) batcher.rows());
        assertTrue(batcher.batches() < calls, "no call was batched with another: " + batcher.describe());
        assertTrue(batcher.largestBatch() <= 16, batcher.describe());
        assertEquals(1, model.mostRunning, "concurrency 1 ran more than one model call at once");
    }

    @Test
    void platformThreadsGetTheirOwnRows() throws Exception {
        everyCallerGetsItsOwnRows(Executors.newFixedThreadPool(64));
    }

    @Test
    void virtualThreadsGetTheirOwnRows() throws Exception {
        everyCallerGetsItsOwnRows(Executors.newVirtualThreadPerTaskExecutor());
    }

    @Test
    void aLoneCallRunsAtOnceOnItsCallersThread() {
        Model model = new Model();
        DynamicBatcher<int[], int[]> batcher = batcher(model, 16, List.of(8), 500_000, 2, ROOMY);
        long start = System.nanoTime();
        assertEquals(70, batcher.call(new int[] {7})[0]);
        assertSame(Thread.currentThread(), model.threads.getFirst(), "the model call ran on another thread");
        // An idle model does not wait out the half-second queue delay.
        assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(400));
    }

    @Test
    void aRefusedInputFailsOnlyItsOwnCaller() throws Exception {
        Model model = new Model();
        model.hold = new CountDownLatch(1);
        DynamicBatcher<int[], int[]> batcher = batcher(model, 64, List.of(), 0, 1, ROOMY);
        ExecutorService pool = Executors.newFixedThreadPool(20);
        Future<int[]> first = pool.submit(() -> batcher.call(new int[] {1}));
        model.entered.await();
        // While the first call holds the model, 19 calls queue, one of which the model refuses.
        List<Future<int[]>> queued = new ArrayList<>();
        for (int c = 0; c < 19; c++) {
            int[] input = {c == 7 ? -5 : c + 2};
            queued.add(pool.submit(() -> batcher.call(input)));
        }
        awaitWaitingRows(batcher, 19);
        model.hold.countDown();
        assertEquals(10, first.get()[0]);
        for (int c = 0; c < 19; c++) {
            if (c == 7) {
                ExecutionException e = assertThrows(ExecutionException.class, queued.get(c)::get);
                assertTrue(e.getCause() instanceof IllegalArgumentException && e.getCause().getMessage().contains("-5"),
                        String.valueOf(e.getCause()));
            } else {
                assertEquals(10 * (c + 2), queued.get(c).get()[0], "call " + c);
            }
        }
        pool.shutdown();
        assertTrue(model.batchRows.contains(1) && batcher.retriedAlone() == 19, batcher.describe() + " " + model.batchRows);
    }

    @Test
    void aWrongNumberOfOutputsIsAFailureNotAMixUp() {
        DynamicBatcher.BatchFunction<int[], int[]> broken = inputs -> List.of(new int[] {1}, new int[] {2});
        BatchSettings settings = new BatchSettings(true, 8, List.of(), 0, 1);
        DynamicBatcher<int[], int[]> batcher = new DynamicBatcher<>("broken",
                new InflightLimit(ROOMY, CalibrationWork.of(0), settings), in -> in.length, broken);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> batcher.call(new int[] {1}));
        assertTrue(e.getMessage().contains("2 outputs for 1 input"), e.getMessage());
    }

    @Test
    void aBatchGathersUpToItsMaximumAndALargeCallRunsAlone() throws Exception {
        Model model = new Model();
        model.hold = new CountDownLatch(1);
        DynamicBatcher<int[], int[]> batcher = batcher(model, 8, List.of(), 0, 1, ROOMY);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        Future<int[]> first = pool.submit(() -> batcher.call(new int[] {1}));
        model.entered.await();
        List<Future<int[]>> queued = new ArrayList<>();
        queued.add(pool.submit(() -> batcher.call(new int[20])));
        awaitWaitingRows(batcher, 20);
        for (int c = 0; c < 5; c++) {
            queued.add(pool.submit(() -> batcher.call(new int[3])));
            awaitWaitingRows(batcher, 20 + 3 * (c + 1));
        }
        model.hold.countDown();
        first.get();
        for (Future<int[]> f : queued) {
            f.get();
        }
        pool.shutdown();
        // The 20-row call alone, then 3 + 3 (a third would make 9 > 8), then 3 + 3, then 3.
        assertEquals(List.of(1, 20, 6, 6, 3), model.batchRows);
    }

    @Test
    void aPreferredSizeStartsASecondCallWithoutWaitingOutTheDelay() throws Exception {
        Model model = new Model();
        model.hold = new CountDownLatch(1);
        // Two model calls may run; the queue delay is 1 s, so only the preferred size can start the second now.
        DynamicBatcher<int[], int[]> batcher = batcher(model, 16, List.of(3), 1_000_000, 2, ROOMY);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        Future<int[]> first = pool.submit(() -> batcher.call(new int[] {1}));
        model.entered.await();
        List<Future<int[]>> queued = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            queued.add(pool.submit(() -> batcher.call(new int[] {2})));
        }
        awaitWaitingRows(batcher, 2);
        assertFalse(queued.getFirst().isDone());
        assertEquals(1, model.running.get(), "two rows started a second call before the delay or the preferred size");
        queued.add(pool.submit(() -> batcher.call(new int[] {3})));
        // The third row makes the preferred size: the second model call runs while the first is held.
        for (Future<int[]> f : queued) {
            f.get(5, TimeUnit.SECONDS);
        }
        assertFalse(first.isDone());
        model.hold.countDown();
        first.get();
        pool.shutdown();
        assertEquals(List.of(3, 1), model.batchRows);
    }

    @Test
    void theQueueDelayStartsASecondCallWhenNoPreferredSizeIsReached() throws Exception {
        Model model = new Model();
        model.hold = new CountDownLatch(1);
        DynamicBatcher<int[], int[]> batcher = batcher(model, 16, List.of(), 20_000, 2, ROOMY);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        Future<int[]> first = pool.submit(() -> batcher.call(new int[] {1}));
        model.entered.await();
        // The first call is held; a second waits out the 20 ms delay, then runs in the free slot.
        assertEquals(20, pool.submit(() -> batcher.call(new int[] {2})).get(5, TimeUnit.SECONDS)[0]);
        assertFalse(first.isDone());
        model.hold.countDown();
        first.get();
        pool.shutdown();
    }

    @Test
    void rowsBeyondTheQueueBoundAndCallsThatWaitTooLongAreShed() throws Exception {
        Model model = new Model();
        model.hold = new CountDownLatch(1);
        DynamicBatcher<int[], int[]> batcher = batcher(model, 64, List.of(), 0, 1, new InflightLimit.Settings(4, 10, 300));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        Future<int[]> first = pool.submit(() -> batcher.call(new int[] {1}));
        model.entered.await();
        Future<int[]> waits = pool.submit(() -> batcher.call(new int[8]));
        awaitWaitingRows(batcher, 8);
        // 8 rows wait; 3 more would make 11 > 10.
        ApiException full = assertThrows(ApiException.class, () -> batcher.call(new int[3]));
        assertEquals(ErrorCode.OVERLOADED, full.code());
        assertTrue(full.getMessage().contains("8 rows are already waiting"), full.getMessage());
        // The model stays held past the 300 ms queue timeout: the waiting call is shed, its rows leave the queue.
        ExecutionException late = assertThrows(ExecutionException.class, waits::get);
        assertEquals(ErrorCode.OVERLOADED, ((ApiException) late.getCause()).code());
        assertEquals(0, batcherLimit(batcher).waiting());
        model.hold.countDown();
        assertEquals(10, first.get()[0]);
        assertEquals(2, batcherLimit(batcher).rejected());
        assertEquals(0, batcherLimit(batcher).running());
        pool.shutdown();
    }

    @Test
    void aDelayAtLeastTheQueueTimeoutIsRefusedAtStart() {
        BatchSettings settings = new BatchSettings(true, 8, List.of(), 1_000_000, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DynamicBatcher<int[], int[]>(
                "test", new InflightLimit(new InflightLimit.Settings(4, 10, 500), CalibrationWork.of(0), settings),
                in -> in.length, new Model()));
        assertTrue(e.getMessage().contains("must be shorter than PREDICTBENCH_QUEUE_TIMEOUT_MS"), e.getMessage());
    }

    private static InflightLimit batcherLimit(DynamicBatcher<?, ?> batcher) {
        return batcher.limit();
    }

    private static void awaitWaitingRows(DynamicBatcher<?, ?> batcher, int rows) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (batcher.limit().waiting() < rows) {
            if (System.nanoTime() > until) {
                throw new AssertionError("never " + rows + " rows waiting: " + batcher.limit().waiting());
            }
            Thread.sleep(1);
        }
    }
}
