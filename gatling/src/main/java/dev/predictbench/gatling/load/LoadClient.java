package dev.predictbench.gatling.load;

import dev.predictbench.gatling.ProcStats;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.HistogramLogWriter;
import org.HdrHistogram.IntCountsHistogram;

/**
 * An HTTP/1.1 load client after wrk2's design: one I/O thread on a {@link Selector}, a bounded,
 * fixed set of keep-alive connections, one request in flight per connection, bodies encoded once.
 * <p>
 * Open model: arrivals follow a seeded Poisson schedule; each request's latency counts from its
 * intended send time, so a server (or a generator) that falls behind shows as latency instead of
 * silently lowering the rate (no coordinated omission). An arrival that finds every connection busy
 * waits for one, and that wait is counted. While requests are in flight or the next send time is
 * near ({@link #POLL_BELOW_NANOS}) the thread polls the sockets instead of sleeping, and that
 * polling is counted apart from its busy CPU time; how late each request really left is measured.
 * <p>
 * Closed model: each connection sends its next request as soon as the last is answered; latency
 * counts from the send, so it is not corrected for coordinated omission, and says so.
 * <p>
 * Everything is recorded in microseconds into HdrHistograms: per window, pooled per step, and
 * written to an HdrHistogram log.
 */
public final class LoadClient implements AutoCloseable {
    static final long HIGHEST_MICROS = 3_600_000_000L;
    private static final long LATE_NANOS = 1_000_000;
    private static final long TIMEOUT_SCAN_NANOS = 10_000_000;
    private static final long RECONNECT_PAUSE_NANOS = 10_000_000;
    /**
     * While a request is in flight, or the next send time is less than this away, the I/O thread
     * polls the sockets instead of sleeping: epoll sleeps in whole milliseconds, so a sleep could
     * send a request up to a millisecond late, a woken thread times an answer late by its wake-up
     * latency (hundreds of microseconds on an idle virtual CPU here), and each sleep and wake-up
     * costs tens of microseconds of CPU. The load CPUs are the client's own, so polling them costs
     * the server nothing; the polling time is counted apart from the client's busy time.
     */
    static final long POLL_BELOW_NANOS = 2_000_000;
    /**
     * {@code -Dpredictbench.load.poll=false} makes the client sleep in epoll whenever it waits, as
     * wrk does: to compare with such clients, at the cost of the precision above.
     */
    public static final String POLL_PROPERTY = "predictbench.load.poll";
    static final boolean POLL = !"false".equals(System.getProperty(POLL_PROPERTY));

    /** Where and what to send. */
    public record Target(InetSocketAddress address, String path, List<byte[]> bodies, byte[] marker, boolean events) {
    }

    private final Target target;
    private final byte[][] requests;
    private final long serverPid;
    private final Selector selector;
    private int bodyIndex;

    /**
     * @param serverPid the server process whose CPU and RSS are read from /proc at window boundaries; 0 for none
     */
    public LoadClient(Target target, long serverPid) throws IOException {
        this.target = target;
        this.serverPid = serverPid;
        this.requests = new byte[target.bodies().size()][];
        String host = target.address().getHostString() + ":" + target.address().getPort();
        for (int i = 0; i < requests.length; i++) {
            byte[] body = target.bodies().get(i);
            byte[] head = ("POST " + target.path() + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\n"
                    + (target.events() ? "Accept: text/event-stream\r\n" : "") + "Content-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            byte[] all = new byte[head.length + body.length];
            System.arraycopy(head, 0, all, 0, head.length);
            System.arraycopy(body, 0, all, head.length, body.length);
            requests[i] = all;
        }
        this.selector = Selector.open();
    }

    @Override
    public void close() throws IOException {
        selector.close();
    }

    /** One connection and the request it carries. */
    private final class Conn {
        SocketChannel channel;
        SelectionKey key;
        final ResponseParser parser;
        final ByteBuffer in = ByteBuffer.allocateDirect(16 * 1024);
        ByteBuffer out;
        boolean connected;
        boolean busy;
        /** Its request is accounted for and is written once the connection opens (an open step's spare). */
        boolean writeOnConnect;
        long reconnectAt;
        long intended;
        long sent;
        long deadline;
        boolean measured;
        long firstEvent;
        long lastEvent;
        /** The window its request belongs to (by intended send time); -1 when not measured. */
        int window = -1;

        Conn(StepRun run) {
            parser = new ResponseParser(target.marker(), target.events() ? nanos -> run.onEvent(this, nanos) : null);
        }
    }

    /** Runs one step and returns what it measured; its histogram log is written to {@code hlog} if given. */
    public StepOutcome run(StepPlan plan, long seed, OutputStream hlog) throws IOException {
        StepRun step = new StepRun(plan, seed);
        try {
            return step.run(hlog);
        } finally {
            step.proc.close();
        }
    }

    /** The state of one step. */
    private final class StepRun {
        final StepPlan plan;
        final Random random;
        final List<Conn> conns = new ArrayList<>();
        final ArrayDeque<Conn> idle = new ArrayDeque<>();
        /**
         * Connections of an open step that are closed and opened when a request needs one, as a
         * client's pool opens them: all but one at the start of the step, until the first answer says
         * the server keeps connections open (then they are all opened at once), and each one the
         * server ends in good order. A server that ends every connection after one answer (gunicorn's
         * sync workers) would otherwise find idle connections in its accept queue: a worker that
         * accepts one waits for a request on it while the requests go out on others, and connections
         * the client gives up are still accepted one by one, ahead of the ones that carry requests.
         */
        final ArrayDeque<Conn> spare = new ArrayDeque<>();
        /** Whether an answer of this open step has said that the server keeps connections open. */
        boolean keptOpen;
        final long windowNanos;
        final long maxWindowNanos;
        final int maxWindows;
        long start;
        long measureStart;
        long nextScan;
        /** When what is still in flight after the measured interval is given up. */
        long drainEnd = Long.MAX_VALUE;
        /** End of the measured interval: unknown (MAX_VALUE) until the step decides to stop. */
        long measureEnd = Long.MAX_VALUE;
        long[] pending;
        int pendingHead;
        int pendingSize;
        long nextArrival;
        // Window boundaries: bounds[0] = measureStart, bounds[k + 1] = when window k closed.
        final long[] bounds;
        /** Windows closed so far; the open one is window {@code closed}. */
        int closed;
        boolean marked;
        String stopped;
        // Per window.
        final IntCountsHistogram[] windowLatency;
        final IntCountsHistogram[] windowService;
        final IntCountsHistogram[] windowLag;
        final long[] windowCompleted;
        final long[] windowFailed;
        final long[] windowScheduled;
        final long[] windowLate;
        final long[] windowWaits;
        final long[] windowTimeouts;
        final long[] windowConnectionErrors;
        final long[] windowProtocolErrors;
        final long[] windowBadBody;
        final List<Map<String, Long>> windowStatus = new ArrayList<>();
        final ProcStats.Sample[] serverMarks;
        /** Per window: answers slower than the plan's objective (so the objective is judged without a histogram walk). */
        final long[] windowOverObjective;
        final ProcStats.Reader proc;
        final HotSpotCounters.Reader jvm;
        final HotSpotCounters[] jvmMarks;
        final long[][] machineMarks;
        final long[] pollMarks;
        final IntCountsHistogram firstEvent = histogram();
        final IntCountsHistogram betweenEvents = histogram();
        long streams;
        long events;
        String firstError;
        int busy;
        double drainSeconds;
        long pollNanos;
        /** Time the I/O thread spent waiting (polling or asleep in the selector): the rest of its time it was busy. */
        long waitNanos;
        final long[] waitMarks;

        StepRun(StepPlan plan, long seed) {
            this.plan = plan;
            this.random = new Random(seed);
            this.windowNanos = Math.round(plan.windowSeconds() * 1e9);
            this.maxWindowNanos = Math.max(windowNanos, Math.round(plan.maxWindowSeconds() * 1e9));
            this.maxWindows = plan.maxWindows();
            int n = maxWindows;
            bounds = new long[n + 1];
            windowLatency = new IntCountsHistogram[n];
            windowService = new IntCountsHistogram[n];
            windowLag = new IntCountsHistogram[n];
            for (int i = 0; i < n; i++) {
                windowLatency[i] = histogram();
                windowService[i] = histogram();
                windowLag[i] = histogram();
                windowStatus.add(new TreeMap<>());
            }
            windowCompleted = new long[n];
            windowFailed = new long[n];
            windowScheduled = new long[n];
            windowLate = new long[n];
            windowWaits = new long[n];
            windowTimeouts = new long[n];
            windowConnectionErrors = new long[n];
            windowProtocolErrors = new long[n];
            windowBadBody = new long[n];
            serverMarks = new ProcStats.Sample[n + 1];
            windowOverObjective = new long[n];
            proc = new ProcStats.Reader(serverPid);
            jvm = serverPid > 0 ? HotSpotCounters.reader(serverPid) : null;
            jvmMarks = new HotSpotCounters[n + 1];
            machineMarks = new long[n + 1][];
            pollMarks = new long[n + 1];
            waitMarks = new long[n + 1];
            if (plan.open()) {
                long capacity = Math.round(plan.rate() * (plan.timeoutSeconds() + 1) * 1.5) + 1024;
                pending = new long[(int) Math.min(capacity, 16_000_000)];
            }
        }

        StepOutcome run(OutputStream hlog) throws IOException {
            for (int i = 0; i < plan.connectionCount(); i++) {
                Conn c = new Conn(this);
                conns.add(c);
                if (i == 0 || !plan.open()) {
                    connect(c, System.nanoTime());
                } else {
                    toSpare(c);
                }
            }
            awaitConnections();
            start = System.nanoTime();
            measureStart = start + Math.round(plan.warmupSeconds() * 1e9);
            bounds[0] = measureStart;
            nextArrival = plan.open() ? start + interval() : Long.MAX_VALUE;
            nextScan = start + TIMEOUT_SCAN_NANOS;
            while (turn()) {
                // Each turn is one method call, so the JIT compiles the loop's body as a method of its
                // own (kept from step to step) instead of swapping a compiled loop out mid-step.
            }
            drainSeconds = Math.max(0, System.nanoTime() - measureEnd) / 1e9;
            for (Conn c : conns) {
                closeQuietly(c);
            }
            selector.selectNow();
            return outcome(hlog);
        }

        /** One turn of the I/O loop: due sends, ready sockets, window bounds; false once the step is over. */
        private boolean turn() throws IOException {
            long now = System.nanoTime();
            if (!marked && now >= measureStart) {
                mark(0);
                marked = true;
                now = System.nanoTime();
            }
            if (measureEnd == Long.MAX_VALUE && marked && windowDone(now)) {
                // Sends that fell due are sent before the window's bookkeeping, not after it.
                if (plan.open()) {
                    arrivals(now);
                    dispatchPending(now);
                }
                closeWindow(System.nanoTime());
                if (measureEnd != Long.MAX_VALUE) {
                    drainEnd = measureEnd + Math.round(plan.timeoutSeconds() * 1e9) + 1_000_000_000L;
                }
                now = System.nanoTime();
            }
            if (plan.open()) {
                arrivals(now);
                dispatchPending(now);
            } else if (now < measureEnd) {
                for (Conn c; (c = idle.poll()) != null; ) {
                    send(c, now, now);
                }
            }
            if (now >= nextScan) {
                scan(now);
                nextScan = now + TIMEOUT_SCAN_NANOS;
            }
            boolean inFlight = busy > 0 || pendingSize > 0;
            if (now >= measureEnd && (!inFlight || now >= drainEnd)) {
                if (inFlight) {
                    abandon(now);
                }
                return false;
            }
            long wake = Math.min(nextScan, !marked ? measureStart
                    : measureEnd == Long.MAX_VALUE ? bounds[closed] + windowNanos : Long.MAX_VALUE);
            long due = plan.open() && now < measureEnd ? nextArrival : Long.MAX_VALUE;
            if (pendingSize > 0 && canSend()) {
                due = now;
            }
            wake = Math.min(wake, due);
            long waitStart = System.nanoTime();
            long until = wake - waitStart;
            if (POLL && (busy > 0 || until < POLL_BELOW_NANOS)) {
                // Poll until the next send time or the first readiness, counting the idle polls: an
                // answer is timed when it arrives, not when a sleeping thread gets back to it. The
                // yield hands the CPU to any other runnable thread (the JIT, GC, the runner) at once
                // instead of at the end of this thread's time slice.
                long polled = System.nanoTime();
                while (selector.selectNow() == 0) {
                    long t = System.nanoTime();
                    if (t >= wake) {
                        break;
                    }
                    Thread.yield();
                }
                pollNanos += System.nanoTime() - polled;
            } else if (until <= 0) {
                selector.selectNow();
            } else {
                selector.select(Math.max(1, until / 1_000_000 - (POLL ? 1 : 0)));
            }
            waitNanos += System.nanoTime() - waitStart;
            io();
            return true;
        }

        /** Whether the open window may close: long enough, and with its requests or past the longest a window may be. */
        private boolean windowDone(long now) {
            long age = now - bounds[closed];
            return age >= windowNanos && (windowCompleted[closed] >= plan.minWindowRequests() || age >= maxWindowNanos);
        }

        private void closeWindow(long now) {
            bounds[closed + 1] = now;
            mark(closed + 1);
            closed++;
            if (plan.jitSettledBelow() >= 0) {
                // Settled: the last two chunks each compiled fewer than the threshold (one quiet chunk
                // can be a lull between two batches of compilations).
                HotSpotCounters after = jvmMarks[closed];
                HotSpotCounters before = jvmMarks[closed - 1];
                HotSpotCounters earlier = closed >= 2 ? jvmMarks[closed - 2] : null;
                boolean known = before.available() && after.available();
                boolean quiet = known && earlier != null && earlier.available()
                        && after.compiles() - before.compiles() < plan.jitSettledBelow()
                        && before.compiles() - earlier.compiles() < plan.jitSettledBelow();
                if (closed >= Math.max(2, plan.windows()) && (!known || quiet)) {
                    stop(now, known ? "settled" : "no JIT counters");
                } else if (closed >= maxWindows) {
                    stop(now, "cap");
                }
            } else if (closed >= plan.windows() && (plan.tolerance() <= 0 || settled())) {
                stop(now, plan.tolerance() <= 0 ? "fixed" : "stable");
            } else if (closed >= maxWindows) {
                stop(now, "cap");
            } else if (plan.objectiveMicros() > 0 && missedObjective()) {
                stop(now, "objective");
            }
        }

        private void stop(long now, String why) {
            measureEnd = now;
            stopped = why;
        }

        /** The last {@code windows} windows agree on throughput and on median latency within the tolerance. */
        private boolean settled() {
            int from = closed - plan.windows();
            double[] tput = new double[plan.windows()];
            double[] p50 = new double[plan.windows()];
            for (int i = 0; i < plan.windows(); i++) {
                int w = from + i;
                tput[i] = windowCompleted[w] / ((bounds[w + 1] - bounds[w]) / 1e9);
                p50[i] = windowLatency[w].getTotalCount() == 0 ? 0 : windowLatency[w].getValueAtPercentile(50);
            }
            return Stability.within(tput, plan.tolerance()) && Stability.within(p50, plan.tolerance());
        }

        /**
         * The last window's median, or the p99 of every window so far, is above the objective: more
         * than half of the last window's answers, or more than 1% of all (with enough requests for a
         * p99), were slower than it.
         */
        private boolean missedObjective() {
            long last = windowLatency[closed - 1].getTotalCount();
            if (last > 0 && windowOverObjective[closed - 1] * 2 > last) {
                return true;
            }
            long all = 0;
            long over = 0;
            for (int w = 0; w < closed; w++) {
                all += windowLatency[w].getTotalCount();
                over += windowOverObjective[w];
            }
            return all >= Stability.minRequests(99) && over * 100 > all;
        }

        private void awaitConnections() throws IOException {
            long deadline = System.nanoTime() + 10_000_000_000L;
            // An open step's spares are opened later, when requests need them.
            while (conns.stream().anyMatch(c -> !c.connected && c.reconnectAt != Long.MAX_VALUE) && System.nanoTime() < deadline) {
                selector.select(100);
                io();
                long now = System.nanoTime();
                for (Conn c : conns) {
                    if (c.channel == null && now >= c.reconnectAt) {
                        connect(c, now);
                    }
                }
            }
            if (conns.stream().noneMatch(c -> c.connected)) {
                throw new IOException("could not connect to " + target.address() + (firstError == null ? "" : ": " + firstError));
            }
        }

        private long interval() {
            // Exponential gaps: Poisson arrivals at the plan's mean rate.
            double u = random.nextDouble();
            return Math.max(1, Math.round(-Math.log(1 - u) / plan.rate() * 1e9));
        }

        private void arrivals(long now) {
            while (nextArrival <= now && nextArrival < measureEnd) {
                if (pendingSize == pending.length) {
                    // More waiting than the timeout can ever let through: the oldest is a timeout already.
                    expireOldest();
                }
                pending[(pendingHead + pendingSize) % pending.length] = nextArrival;
                pendingSize++;
                if (!canSend() && inMeasure(nextArrival)) {
                    windowWaits[window(nextArrival)]++;
                }
                nextArrival += interval();
            }
            long timeoutNanos = Math.round(plan.timeoutSeconds() * 1e9);
            while (pendingSize > 0 && pending[pendingHead] + timeoutNanos <= now) {
                expireOldest();
            }
        }

        private void expireOldest() {
            long intended = pending[pendingHead];
            pendingHead = (pendingHead + 1) % pending.length;
            pendingSize--;
            if (inMeasure(intended)) {
                int w = window(intended);
                windowScheduled[w]++;
                failed(w, FailureKind.TIMEOUT, null);
            }
        }

        private void dispatchPending(long now) throws IOException {
            while (pendingSize > 0 && canSend()) {
                long intended = pending[pendingHead];
                pendingHead = (pendingHead + 1) % pending.length;
                pendingSize--;
                Conn c = idle.poll();
                if (c != null) {
                    send(c, intended, now);
                } else {
                    openFor(spare.poll(), intended, now);
                }
                now = System.nanoTime();
            }
        }

        /** Whether a due request has a connection: an idle one, or a spare to open for it. */
        private boolean canSend() {
            return !idle.isEmpty() || !spare.isEmpty();
        }

        /**
         * Opens a spare connection for one request, accounted for (and its timeout running) from now;
         * the request is written when the connection opens.
         */
        private void openFor(Conn c, long intended, long now) throws IOException {
            connect(c, now);
            if (c.connected) {
                idle.remove(c);
                send(c, intended, now);
                return;
            }
            begin(c, intended, now);
            if (c.channel == null) {
                if (c.measured) {
                    failed(c.window, FailureKind.CONNECTION, null);
                }
                release(c);
            } else {
                c.writeOnConnect = true;
            }
        }

        /**
         * A connection the server ended in good order: opened again at once in a closed step (its
         * client sends again at once); in an open step it becomes a spare.
         */
        private void ended(Conn c, long now) throws IOException {
            if (plan.open()) {
                toSpare(c);
            } else {
                reopen(c, now);
            }
        }

        /** The first answer of an open step on a connection the server keeps: every spare is opened now. */
        private void openSpares(long now) throws IOException {
            keptOpen = true;
            for (Conn c; (c = spare.poll()) != null; ) {
                connect(c, now);
            }
        }

        private void toSpare(Conn c) {
            closeQuietly(c);
            c.reconnectAt = Long.MAX_VALUE;
            spare.add(c);
        }

        private boolean inMeasure(long t) {
            return marked && t >= measureStart && t < measureEnd;
        }

        /** The window a time falls in: the open one, or a closed one by its bounds. */
        private int window(long t) {
            if (t >= bounds[closed] || closed == 0) {
                return Math.min(closed, maxWindows - 1);
            }
            int lo = 0;
            int hi = closed - 1;
            while (lo < hi) {
                int mid = (lo + hi + 1) >>> 1;
                if (bounds[mid] <= t) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            return lo;
        }

        private void send(Conn c, long intended, long now) throws IOException {
            begin(c, intended, now);
            write(c, now);
        }

        /** Accounts for a request on a connection: in flight, measured or not, its deadline and lag. */
        private void begin(Conn c, long intended, long now) {
            c.busy = true;
            busy++;
            c.intended = intended;
            c.sent = now;
            c.measured = inMeasure(intended);
            c.window = c.measured ? window(intended) : -1;
            c.deadline = intended + Math.round(plan.timeoutSeconds() * 1e9);
            c.firstEvent = 0;
            c.lastEvent = 0;
            c.parser.reset();
            if (c.measured) {
                windowScheduled[c.window]++;
                if (plan.open()) {
                    long late = now - intended;
                    windowLag[c.window].recordValue(Math.min(HIGHEST_MICROS, Math.max(0, late / 1000)));
                    if (late > LATE_NANOS) {
                        windowLate[c.window]++;
                    }
                }
            }
        }

        private void write(Conn c, long now) throws IOException {
            c.out = ByteBuffer.wrap(requests[bodyIndex++ % requests.length]);
            try {
                c.channel.write(c.out);
            } catch (IOException e) {
                fail(c, now, FailureKind.CONNECTION, e);
                return;
            }
            c.key.interestOps(c.out.hasRemaining() ? SelectionKey.OP_WRITE | SelectionKey.OP_READ : SelectionKey.OP_READ);
        }

        private void io() throws IOException {
            Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
            while (keys.hasNext()) {
                SelectionKey key = keys.next();
                keys.remove();
                Conn c = (Conn) key.attachment();
                if (!key.isValid() || c.key != key) {
                    continue;
                }
                long now = System.nanoTime();
                try {
                    if (key.isConnectable()) {
                        if (c.channel.finishConnect()) {
                            c.connected = true;
                            key.interestOps(SelectionKey.OP_READ);
                            if (c.writeOnConnect) {
                                c.writeOnConnect = false;
                                write(c, now);
                            } else {
                                idle.add(c);
                            }
                        }
                        continue;
                    }
                    if (key.isWritable() && c.out != null && c.out.hasRemaining()) {
                        c.channel.write(c.out);
                        if (!c.out.hasRemaining()) {
                            key.interestOps(SelectionKey.OP_READ);
                        }
                    }
                    if (key.isReadable()) {
                        read(c, now);
                    }
                } catch (IOException e) {
                    fail(c, now, FailureKind.CONNECTION, e);
                } catch (ResponseParser.ProtocolException e) {
                    fail(c, now, FailureKind.PROTOCOL, e);
                }
                sendDue();
            }
        }

        /**
         * Between two ready sockets, the arrivals that have come due leave at once: after a server
         * stall, a burst of answers takes the thread a while to read, and the sends must not wait
         * for the whole burst.
         */
        private void sendDue() throws IOException {
            if (!plan.open()) {
                return;
            }
            long t = System.nanoTime();
            if ((t >= nextArrival && nextArrival < measureEnd) || (pendingSize > 0 && canSend())) {
                arrivals(t);
                dispatchPending(t);
            }
        }

        private void read(Conn c, long now) throws IOException, ResponseParser.ProtocolException {
            while (true) {
                c.in.clear();
                int n = c.channel.read(c.in);
                if (n < 0) {
                    if (c.busy && c.parser.closed()) {
                        complete(c, now);
                        return;
                    }
                    if (c.busy) {
                        throw new IOException("the server closed the connection before answering");
                    }
                    // An idle keep-alive connection the server closed.
                    ended(c, now);
                    return;
                }
                if (n == 0) {
                    return;
                }
                c.in.flip();
                if (!c.busy) {
                    throw new ResponseParser.ProtocolException("bytes from the server with no request outstanding");
                }
                if (c.parser.feed(c.in, now)) {
                    if (c.in.hasRemaining()) {
                        throw new ResponseParser.ProtocolException("more bytes than the response framed");
                    }
                    complete(c, now);
                    return;
                }
            }
        }

        void onEvent(Conn c, long nanos) {
            if (!c.measured) {
                return;
            }
            if (c.firstEvent == 0) {
                c.firstEvent = nanos;
                firstEvent.recordValue(micros(nanos - c.intended));
            } else {
                betweenEvents.recordValue(micros(nanos - c.lastEvent));
            }
            c.lastEvent = nanos;
            events++;
        }

        private void complete(Conn c, long now) throws IOException {
            release(c);
            boolean good = c.parser.status() == 200 && c.parser.found();
            if (c.measured) {
                int w = c.window;
                if (good) {
                    long micros = micros(now - c.intended);
                    windowLatency[w].recordValue(micros);
                    if (plan.objectiveMicros() > 0 && micros > plan.objectiveMicros()) {
                        windowOverObjective[w]++;
                    }
                    windowService[w].recordValue(micros(now - c.sent));
                    if (c.firstEvent != 0) {
                        streams++;
                    }
                } else if (c.parser.status() == 200) {
                    failed(w, FailureKind.BAD_BODY, null);
                } else {
                    failed(w, FailureKind.STATUS, Integer.toString(c.parser.status()));
                }
            }
            if (good && inMeasure(now)) {
                windowCompleted[window(now)]++;
            }
            if (c.parser.close()) {
                // The server ends keep-alive connections after so many requests (Tomcat: 100 by
                // default) or after every answer (gunicorn's sync workers); the pause is for failures only.
                ended(c, now);
            } else {
                idle.add(c);
                if (plan.open() && !keptOpen) {
                    openSpares(now);
                }
            }
        }

        /** The one place a measured request is counted as failed, by kind. */
        private void failed(int w, FailureKind kind, String status) {
            windowFailed[w]++;
            switch (kind) {
                case TIMEOUT -> windowTimeouts[w]++;
                case CONNECTION -> windowConnectionErrors[w]++;
                case PROTOCOL -> windowProtocolErrors[w]++;
                case BAD_BODY -> windowBadBody[w]++;
                case STATUS -> windowStatus.get(w).merge(status, 1L, Long::sum);
            }
        }

        private void fail(Conn c, long now, FailureKind kind, Exception e) throws IOException {
            if (firstError == null) {
                firstError = kind.label + ": " + e.getMessage();
            }
            if (c.busy && c.measured) {
                failed(c.window, kind, null);
            }
            release(c);
            reconnect(c, now);
        }

        /** Requests past their deadline are timeouts: their connection is closed and opened anew. */
        private void scan(long now) throws IOException {
            for (Conn c : conns) {
                if (c.busy && now >= c.deadline) {
                    if (c.measured) {
                        failed(c.window, FailureKind.TIMEOUT, null);
                    }
                    release(c);
                    reconnect(c, now);
                } else if (c.channel == null && now >= c.reconnectAt) {
                    connect(c, now);
                }
            }
        }

        /** The drain bound passed: what is still out or waiting counts as timed out. */
        private void abandon(long now) throws IOException {
            for (Conn c : conns) {
                if (c.busy && c.measured) {
                    failed(c.window, FailureKind.TIMEOUT, null);
                }
                release(c);
            }
            while (pendingSize > 0) {
                expireOldest();
            }
        }

        private void release(Conn c) {
            c.writeOnConnect = false;
            if (c.busy) {
                c.busy = false;
                busy--;
            }
        }

        /** After a failure: closed now, opened again after a pause (a dead server is not hammered). */
        private void reconnect(Conn c, long now) {
            closeQuietly(c);
            c.reconnectAt = now + RECONNECT_PAUSE_NANOS;
        }

        /** After the server ended a connection in good order: closed and opened again now. */
        private void reopen(Conn c, long now) throws IOException {
            closeQuietly(c);
            connect(c, now);
        }

        private void connect(Conn c, long now) throws IOException {
            SocketChannel channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            c.channel = channel;
            c.connected = false;
            release(c);
            try {
                boolean done = channel.connect(target.address());
                c.key = channel.register(selector, done ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, c);
                if (done) {
                    c.connected = true;
                    idle.add(c);
                }
            } catch (IOException e) {
                if (firstError == null) {
                    firstError = "connect: " + e.getMessage();
                }
                closeQuietly(c);
                c.reconnectAt = now + RECONNECT_PAUSE_NANOS;
            }
        }

        private void closeQuietly(Conn c) {
            idle.remove(c);
            if (c.key != null) {
                c.key.cancel();
                c.key = null;
            }
            if (c.channel != null) {
                try {
                    c.channel.close();
                } catch (IOException ignored) {
                    // Closing a broken socket: nothing left to do.
                }
                c.channel = null;
            }
            c.connected = false;
        }

        /** Readings at a window bound: taken on the sending thread, so each is a few reads of open files. */
        private void mark(int i) {
            serverMarks[i] = serverPid > 0 ? proc.sample() : ProcStats.Sample.NONE;
            jvmMarks[i] = jvm != null ? jvm.read() : HotSpotCounters.NONE;
            machineMarks[i] = proc.machineTicks();
            pollMarks[i] = pollNanos;
            waitMarks[i] = waitNanos;
        }

        private StepOutcome outcome(OutputStream hlog) {
            // The step's figures are its last plan.windows() windows (all of them when it stopped early).
            int to = closed;
            int from = "objective".equals(stopped) || plan.jitSettledBelow() >= 0 ? 0 : Math.max(0, to - plan.windows());
            IntCountsHistogram latency = histogram();
            IntCountsHistogram service = histogram();
            IntCountsHistogram lag = histogram();
            List<StepOutcome.WindowOutcome> windows = new ArrayList<>();
            long scheduled = 0;
            long completed = 0;
            long failedTotal = 0;
            long late = 0;
            long waits = 0;
            long timeouts = 0;
            long connectionErrors = 0;
            long protocolErrors = 0;
            long badBody = 0;
            Map<String, Long> byStatus = new TreeMap<>();
            for (int w = from; w < to; w++) {
                latency.add(windowLatency[w]);
                service.add(windowService[w]);
                lag.add(windowLag[w]);
                scheduled += windowScheduled[w];
                completed += windowCompleted[w];
                failedTotal += windowFailed[w];
                late += windowLate[w];
                waits += windowWaits[w];
                timeouts += windowTimeouts[w];
                connectionErrors += windowConnectionErrors[w];
                protocolErrors += windowProtocolErrors[w];
                badBody += windowBadBody[w];
                windowStatus.get(w).forEach((k, v) -> byStatus.merge(k, v, Long::sum));
                double windowSeconds = (bounds[w + 1] - bounds[w]) / 1e9;
                ProcStats.Sample s0 = serverMarks[w];
                ProcStats.Sample s1 = serverMarks[w + 1];
                boolean serverKnown = s0 != null && s1 != null && s0.available() && s1.available();
                windows.add(new StepOutcome.WindowOutcome(round(windowSeconds, 4), windowCompleted[w], windowFailed[w],
                        round(windowCompleted[w] / windowSeconds, 1), percentiles(windowLatency[w]),
                        serverKnown ? round(s1.cpuSeconds() - s0.cpuSeconds(), 3) : null,
                        serverKnown ? s1.rssBytes() : null,
                        round(busy(w, w + 1), 3),
                        jvmMarks[w].available() && jvmMarks[w + 1].available()
                                ? jvmMarks[w + 1].compiles() - jvmMarks[w].compiles() : null));
            }
            if (hlog != null) {
                writeLog(hlog, from, to);
            }
            double seconds = to > from ? (bounds[to] - bounds[from]) / 1e9 : 0;
            double clientCpu = to > from ? busy(from, to) : 0;
            double polled = to > from ? (pollMarks[to] - pollMarks[from]) / 1e9 : 0;
            ProcStats.Sample s0 = serverMarks[from];
            ProcStats.Sample s1 = serverMarks[to];
            StepOutcome.ServerUse server = to > from && s0.available() && s1.available()
                    ? new StepOutcome.ServerUse(round(s1.cpuSeconds() - s0.cpuSeconds(), 3), s1.rssBytes()) : null;
            HotSpotCounters j0 = jvmMarks[from];
            HotSpotCounters j1 = jvmMarks[to];
            boolean jvm = to > from && j0.available() && j1.available();
            long[] m0 = machineMarks[from];
            long[] m1 = machineMarks[to];
            Double steal = to > from && m0 != null && m1 != null && m1[0] > m0[0]
                    ? round((double) (m1[1] - m0[1]) / (m1[0] - m0[0]), 4) : null;
            StepOutcome.Health health = new StepOutcome.Health(jvm ? j1.compiles() - j0.compiles() : null,
                    jvm ? round(j1.gcPauseMillis() - j0.gcPauseMillis(), 3) : null, steal, closed, stopped);
            return new StepOutcome(plan, plan.open() ? "intended" : "sent", round(seconds, 4), scheduled, latency.getTotalCount(),
                    new StepOutcome.Failures(failedTotal, Map.copyOf(byStatus), badBody, timeouts, connectionErrors,
                            protocolErrors, firstError),
                    completed, seconds == 0 ? 0 : round(completed / seconds, 1), percentiles(latency), percentiles(service),
                    plan.open() ? percentiles(lag) : null, late, waits, windows, round(clientCpu, 3),
                    round(polled, 3),
                    completed == 0 ? null : round(clientCpu * 1e6 / completed, 2), server,
                    target.events() ? new StepOutcome.Events(streams, events, percentiles(firstEvent), percentiles(betweenEvents))
                            : null,
                    null, round(drainSeconds, 3), health);
        }

        /**
         * Seconds the I/O thread was busy between two marks: the wall time it did not spend waiting
         * (polling or asleep in the selector). Time it was runnable but not running counts as busy,
         * so a generator starved of its CPU shows as a saturated one.
         */
        private double busy(int from, int to) {
            long wall = bounds[to] - bounds[from];
            return Math.max(0, (wall - (waitMarks[to] - waitMarks[from])) / 1e9);
        }

        private void writeLog(OutputStream out, int from, int to) {
            HistogramLogWriter writer = new HistogramLogWriter(new PrintStream(out, false, StandardCharsets.US_ASCII));
            long nowMillis = System.currentTimeMillis();
            long nowNanos = System.nanoTime();
            double startSec = (nowMillis - (nowNanos - bounds[from]) / 1_000_000) / 1000.0;
            writer.outputComment("predict-bench load client, step " + plan.name() + ": values in microseconds; tag latency = "
                    + (plan.open() ? "intended send time" : "send time") + " to last byte, tag service = send to last byte; "
                    + "one interval per counted window (each at least " + plan.windowSeconds() + " s)");
            writer.outputLogFormatVersion();
            writer.outputStartTime(Math.round(startSec * 1000));
            writer.setBaseTime(Math.round(startSec * 1000));
            writer.outputLegend();
            for (int w = from; w < to; w++) {
                for (String tag : List.of("latency", "service")) {
                    AbstractHistogram h = (tag.equals("latency") ? windowLatency[w] : windowService[w]).copy();
                    h.setTag(tag);
                    long fromMs = nowMillis - (nowNanos - bounds[w]) / 1_000_000;
                    h.setStartTimeStamp(fromMs);
                    h.setEndTimeStamp(fromMs + (bounds[w + 1] - bounds[w]) / 1_000_000);
                    writer.outputIntervalHistogram(h);
                }
            }
            writer.close();
        }
    }

    /** Why a measured request got no good answer. */
    private enum FailureKind {
        TIMEOUT("timeout"), CONNECTION("connection"), PROTOCOL("protocol"), BAD_BODY("bad body"), STATUS("status");

        final String label;

        FailureKind(String label) {
            this.label = label;
        }
    }

    private static IntCountsHistogram histogram() {
        return new IntCountsHistogram(1, HIGHEST_MICROS, 3);
    }

    private static long micros(long nanos) {
        return Math.min(HIGHEST_MICROS, Math.max(1, (nanos + 500) / 1000));
    }

    static StepOutcome.Percentiles percentiles(AbstractHistogram h) {
        if (h.getTotalCount() == 0) {
            return new StepOutcome.Percentiles(0, null, null, null, null, null, null);
        }
        return new StepOutcome.Percentiles(h.getTotalCount(), (double) h.getValueAtPercentile(50),
                (double) h.getValueAtPercentile(90), (double) h.getValueAtPercentile(99), (double) h.getValueAtPercentile(99.9),
                (double) h.getMaxValue(), round(h.getMean(), 1));
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
