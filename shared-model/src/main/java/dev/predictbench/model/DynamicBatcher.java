package dev.predictbench.model;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ToIntFunction;

/**
 * Dynamic micro-batching of one model: concurrent calls wait in one queue and run as one model call,
 * the way Triton's dynamic batcher, TorchServe's batch delay and Ray Serve's {@code @serve.batch} do.
 * Framework-free: callers block in {@link #call} until their own output is ready, which is fine on
 * platform and virtual threads (it parks on a {@link ReentrantLock} condition, never pins) and is
 * never done on an event loop (every stack runs inference on worker or virtual threads).
 *
 * <p>There is no thread of its own: a caller that finds a model call slot free takes a batch from
 * the head of the queue and runs it on its own thread, then hands each caller in it its output. So a
 * lone call on an idle model runs at once on its caller's thread, as it would unbatched. A virtual
 * thread yields once before it starts a model call when the last batch had company (and on one call
 * in {@value #PROBE_EVERY} otherwise, to find out): while a virtual thread is in a native model call
 * its carrier runs nothing else, so without the yield, on as many carriers as calls may run, the
 * requests that arrived meanwhile would never be queued in time to join (every batch would be one);
 * with no company the yield would only add to a lone call's latency. When to
 * start a model call, with a slot free ({@code concurrency} calls at most):
 * <ul>
 *   <li>at once when no model call is running (nothing would join by waiting: whatever queued while
 *       the last batch ran goes together), or when the rows waiting reach {@code maxBatch} or a
 *       preferred size;</li>
 *   <li>otherwise when the oldest waiting call has waited {@code maxQueueDelayMicros}.</li>
 * </ul>
 * A batch takes whole calls from the head, oldest first, up to {@code maxBatch} rows (or the largest
 * preferred size the waiting rows reach); a call with more rows than that runs alone.
 *
 * <p>Each caller gets exactly its own outputs: the batch function returns one output per call, in
 * order, and the batcher checks the count. If the batch function fails, each call of the batch is
 * run again alone, so one input the model refuses fails only its own caller.
 *
 * <p>Load shedding is the process's {@link InflightLimit}: it counts this batcher's rows, refuses a
 * call with {@link ErrorCode#OVERLOADED} when {@code maxQueued} rows already wait, and a call that
 * waited {@code queueTimeoutMillis} without a batch is refused the same way.
 *
 * @param <I> one call's input (the rows of one request)
 * @param <O> one call's output
 */
public final class DynamicBatcher<I, O> {
    /** Runs several calls' inputs as one model call: one output per input, in order. */
    @FunctionalInterface
    public interface BatchFunction<I, O> {
        List<O> run(List<I> inputs);
    }

    /**
     * The batch function of a model whose call takes rows and gives one output per row: each call's
     * rows stacked into one model call, the outputs split back per call, in order.
     */
    public static <R, O> BatchFunction<List<R>, List<O>> rowwise(java.util.function.Function<List<R>, List<O>> model) {
        return calls -> {
            List<R> all = new ArrayList<>();
            calls.forEach(all::addAll);
            List<O> outputs = model.apply(all);
            List<List<O>> out = new ArrayList<>(calls.size());
            int at = 0;
            for (List<R> rows : calls) {
                out.add(outputs.subList(at, at + rows.size()));
                at += rows.size();
            }
            return out;
        };
    }

    private final String name;
    private final BatchSettings settings;
    private final InflightLimit limit;
    private final ToIntFunction<I> rowsOf;
    private final BatchFunction<I, O> function;
    private final long delayNanos;
    private final long timeoutNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Job<I, O>> queue = new ArrayDeque<>();
    private int queuedRows;
    private int running;
    /** Whether the last batch had company (more than one call, or calls left waiting): under the lock. */
    private boolean lastTakeHadCompany;
    /** Calls started without a yield since the last one that yielded to look for company: under the lock. */
    private int sinceProbe;
    /** A virtual thread with no recent company still yields on every this many model calls, to find out. */
    private static final int PROBE_EVERY = 16;
    private final LongAdder batches = new LongAdder();
    private final LongAdder batchedRows = new LongAdder();
    private final LongAdder retriedAlone = new LongAdder();
    private volatile int largestBatch;

    /**
     * @param name     what the batcher runs, for messages ("tabular", "embedder")
     * @param limit    the process's limit: its batching settings, shedding by rows waiting and the calibration work
     * @param rowsOf   the rows of one call's input
     * @param function the model call over several inputs
     */
    public DynamicBatcher(String name, InflightLimit limit, ToIntFunction<I> rowsOf, BatchFunction<I, O> function) {
        BatchSettings settings = limit.batching();
        if (settings.maxQueueDelayMicros() * 1000 >= TimeUnit.MILLISECONDS.toNanos(limit.settings().queueTimeoutMillis())
                && settings.maxQueueDelayMicros() > 0) {
            throw new IllegalArgumentException("PREDICTBENCH_BATCHING_DELAY_US (" + settings.maxQueueDelayMicros()
                    + " us) must be shorter than PREDICTBENCH_QUEUE_TIMEOUT_MS (" + limit.settings().queueTimeoutMillis()
                    + " ms): a call would be shed before its batch could start");
        }
        this.name = name;
        this.settings = settings;
        this.limit = limit;
        this.rowsOf = rowsOf;
        this.function = function;
        this.delayNanos = TimeUnit.MICROSECONDS.toNanos(settings.maxQueueDelayMicros());
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(limit.settings().queueTimeoutMillis());
    }

    private static final class Job<I, O> {
        final I input;
        final int rows;
        final long enqueuedNanos;
        final Condition turn;
        boolean taken;
        boolean done;
        O output;
        Throwable failure;

        Job(I input, int rows, long enqueuedNanos, Condition turn) {
            this.input = input;
            this.rows = rows;
            this.enqueuedNanos = enqueuedNanos;
            this.turn = turn;
        }
    }

    /**
     * Runs {@code input} in a batch with whatever else is waiting, then the calibration's extra CPU
     * if one is set, and returns this call's own output.
     *
     * @throws ApiException {@link ErrorCode#OVERLOADED} when too many rows wait or no batch took it in time
     */
    public O call(I input) {
        int rows = rowsOf.applyAsInt(input);
        limit.queueRows(rows);
        Job<I, O> job;
        boolean interrupted = false;
        boolean yielded = false;
        lock.lock();
        try {
            job = new Job<>(input, rows, System.nanoTime(), lock.newCondition());
            queue.addLast(job);
            queuedRows += rows;
            while (!job.done) {
                long now = System.nanoTime();
                if (!job.taken && startsNow(now)) {
                    if (!yielded && Thread.currentThread().isVirtual() && (lastTakeHadCompany || ++sinceProbe % PROBE_EVERY == 0)) {
                        // A virtual thread in an ONNX Runtime call holds its carrier, and there are as
                        // many carriers as CPUs: no other request is read while it runs. Let the ready
                        // ones enqueue first, once, so they can join this batch.
                        yielded = true;
                        lock.unlock();
                        try {
                            Thread.yield();
                        } finally {
                            lock.lock();
                        }
                        continue;
                    }
                    runBatch(take());
                    continue;
                }
                if (job.taken) {
                    try {
                        job.turn.await();
                    } catch (InterruptedException e) {
                        // Its batch is running: the output comes soon; keep the interrupt for the caller.
                        interrupted = true;
                    }
                    continue;
                }
                long deadline = job.enqueuedNanos + timeoutNanos;
                if (now - deadline >= 0) {
                    leave(job);
                    throw limit.shed(name + " batcher: no batch took the call within "
                            + limit.settings().queueTimeoutMillis() + " ms");
                }
                long wake = deadline;
                if (job == queue.peekFirst() && running < settings.concurrency()) {
                    wake = Math.min(wake, job.enqueuedNanos + delayNanos);
                }
                try {
                    job.turn.awaitNanos(Math.max(wake - now, 1));
                } catch (InterruptedException e) {
                    if (!job.taken) {
                        leave(job);
                        Thread.currentThread().interrupt();
                        throw limit.shed(name + " batcher: interrupted while waiting");
                    }
                    interrupted = true;
                }
            }
        } finally {
            lock.unlock();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (job.failure != null) {
            throw rethrow(job.failure);
        }
        limit.calibration().burn();
        return job.output;
    }

    /** Whether a model call starts now: a slot is free and waiting is no longer worth it. Under the lock. */
    private boolean startsNow(long now) {
        if (running >= settings.concurrency() || queue.isEmpty()) {
            return false;
        }
        return running == 0 || queuedRows >= settings.maxBatch()
                || (!settings.preferredSizes().isEmpty() && queuedRows >= settings.preferredSizes().getFirst())
                || now - queue.peekFirst().enqueuedNanos >= delayNanos;
    }

    /** Whole calls from the head up to the batch's size (at least the head). Under the lock. */
    private List<Job<I, O>> take() {
        int target = settings.maxBatch();
        for (int size : settings.preferredSizes()) {
            if (size <= queuedRows) {
                target = queuedRows >= settings.maxBatch() ? settings.maxBatch() : size;
            }
        }
        List<Job<I, O>> batch = new ArrayList<>();
        int rows = 0;
        while (!queue.isEmpty() && (batch.isEmpty() || rows + queue.peekFirst().rows <= target)) {
            Job<I, O> next = queue.pollFirst();
            next.taken = true;
            rows += next.rows;
            batch.add(next);
        }
        queuedRows -= rows;
        limit.startRows(rows);
        lastTakeHadCompany = batch.size() > 1 || !queue.isEmpty();
        // The new head times its own wait from now on.
        Job<I, O> head = queue.peekFirst();
        if (head != null) {
            head.turn.signal();
        }
        return batch;
    }

    /** Runs a batch on this thread with the lock released, then hands out the outputs. Under the lock. */
    private void runBatch(List<Job<I, O>> batch) {
        running++;
        int rows = batch.stream().mapToInt(j -> j.rows).sum();
        lock.unlock();
        try {
            execute(batch);
        } finally {
            lock.lock();
            running--;
            limit.finishRows(rows);
            for (Job<I, O> job : batch) {
                job.done = true;
                job.turn.signal();
            }
            Job<I, O> head = queue.peekFirst();
            if (head != null) {
                head.turn.signal();
            }
        }
        batches.increment();
        batchedRows.add(rows);
        if (rows > largestBatch) {
            largestBatch = rows;
        }
    }

    private void execute(List<Job<I, O>> batch) {
        List<I> inputs = new ArrayList<>(batch.size());
        for (Job<I, O> job : batch) {
            inputs.add(job.input);
        }
        try {
            List<O> outputs = function.run(inputs);
            if (outputs.size() != batch.size()) {
                throw new IllegalStateException(name + " batch function gave " + outputs.size() + " outputs for "
                        + batch.size() + " inputs");
            }
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).output = outputs.get(i);
            }
        } catch (Throwable batchFailure) {
            if (batch.size() == 1) {
                batch.getFirst().failure = batchFailure;
                return;
            }
            // One input can make the whole call fail: each call alone, so it fails only its own caller.
            for (Job<I, O> job : batch) {
                retriedAlone.increment();
                try {
                    List<O> alone = function.run(List.of(job.input));
                    if (alone.size() != 1) {
                        throw new IllegalStateException(name + " batch function gave " + alone.size() + " outputs for 1 input");
                    }
                    job.output = alone.getFirst();
                } catch (Throwable failure) {
                    job.failure = failure;
                }
            }
        }
    }

    /** Removes a call that is still waiting. Under the lock. */
    private void leave(Job<I, O> job) {
        boolean wasHead = queue.peekFirst() == job;
        queue.remove(job);
        queuedRows -= job.rows;
        limit.leaveQueue(job.rows);
        Job<I, O> head = queue.peekFirst();
        if (wasHead && head != null) {
            head.turn.signal();
        }
    }

    private static RuntimeException rethrow(Throwable failure) {
        if (failure instanceof RuntimeException e) {
            return e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(failure);
    }

    public BatchSettings settings() {
        return settings;
    }

    /** The limit that sheds this batcher's calls. */
    InflightLimit limit() {
        return limit;
    }

    /** Model calls run since start. */
    public long batches() {
        return batches.sum();
    }

    /** Rows run in them: {@code rows() / batches()} is the mean batch. */
    public long rows() {
        return batchedRows.sum();
    }

    /** The most rows one model call has run. */
    public int largestBatch() {
        return largestBatch;
    }

    /** Calls run again alone because their batch failed. */
    public long retriedAlone() {
        return retriedAlone.sum();
    }

    /** "embedder batcher: 1200 model calls, 9600 rows (mean 8.0, largest 32), 0 run again alone". */
    public String describe() {
        long b = batches();
        return String.format(java.util.Locale.ROOT, "%s batcher: %d model calls, %d rows (mean %.1f, largest %d), %d run again alone",
                name, b, rows(), b == 0 ? 0.0 : (double) rows() / b, largestBatch, retriedAlone());
    }
}
