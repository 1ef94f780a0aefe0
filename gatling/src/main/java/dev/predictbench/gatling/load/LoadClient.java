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
        long reconnectAt;
        long intended;
        long sent;
        long deadline;
        boolean measured;
        long firstEvent;
        long lastEvent;

        Conn(StepRun run) {
            parser = new ResponseParser(target.marker(), target.events() ? nanos -> run.onEvent(this, nanos) : null);
        }
    }

    /** Runs one step and returns what it measured; its histogram log is written to {@code hlog} if given. */
    public StepOutcome run(StepPlan plan, long seed, OutputStream hlog) throws IOException {
        return new StepRun(plan, seed).run(hlog);
    }

    /** The state of one step. */
    private final class StepRun {
        final StepPlan plan;
        final Random random;
        final List<Conn> conns = new ArrayList<>();
        final ArrayDeque<Conn> idle = new ArrayDeque<>();
        final long windowNanos;
        long start;
        long measureStart;
        long measureEnd;
        long[] pending;
        int pendingHead;
        int pendingSize;
        long nextArrival;
        // Figures.
        final IntCountsHistogram[] windowLatency;
        final IntCountsHistogram[] windowService;
        final long[] windowCompleted;
        final long[] windowFailed;
        final ProcStats.Sample[] serverMarks;
        final ProcStats.Sample[] clientMarks;
        int nextMark;
        final IntCountsHistogram lag = histogram();
        final IntCountsHistogram firstEvent = histogram();
        final IntCountsHistogram betweenEvents = histogram();
        long streams;
        long events;
        long scheduled;
        long ok;
        long completedInInterval;
        long lateOver1ms;
        long connectionWaits;
        final Map<String, Long> byStatus = new TreeMap<>();
        long badBody;
        long timeouts;
        long connectionErrors;
        long protocolErrors;
        String firstError;
        int busy;
        double drainSeconds;
        long pollNanos;
        final long[] pollMarks;

        StepRun(StepPlan plan, long seed) {
            this.plan = plan;
            this.random = new Random(seed);
            this.windowNanos = Math.round(plan.windowSeconds() * 1e9);
            windowLatency = new IntCountsHistogram[plan.windows()];
            windowService = new IntCountsHistogram[plan.windows()];
            for (int i = 0; i < plan.windows(); i++) {
                windowLatency[i] = histogram();
                windowService[i] = histogram();
            }
            windowCompleted = new long[plan.windows()];
            windowFailed = new long[plan.windows()];
            serverMarks = new ProcStats.Sample[plan.windows() + 1];
            clientMarks = new ProcStats.Sample[plan.windows() + 1];
            pollMarks = new long[plan.windows() + 1];
            if (plan.open()) {
                long capacity = Math.round(plan.rate() * (plan.timeoutSeconds() + 1) * 1.5) + 1024;
                pending = new long[(int) Math.min(capacity, 16_000_000)];
            }
        }

        StepOutcome run(OutputStream hlog) throws IOException {
            for (int i = 0; i < plan.connectionCount(); i++) {
                Conn c = new Conn(this);
                conns.add(c);
                connect(c, System.nanoTime());
            }
            awaitConnections();
            start = System.nanoTime();
            measureStart = start + Math.round(plan.warmupSeconds() * 1e9);
            measureEnd = measureStart + windowNanos * plan.windows();
            long drainEnd = measureEnd + Math.round(plan.timeoutSeconds() * 1e9) + 1_000_000_000L;
            nextArrival = plan.open() ? start + interval() : Long.MAX_VALUE;
            long nextScan = start + TIMEOUT_SCAN_NANOS;
            while (true) {
                long now = System.nanoTime();
                if (nextMark <= plan.windows() && now >= measureStart + nextMark * windowNanos) {
                    mark();
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
                if (now >= measureEnd && nextMark > plan.windows() && (!inFlight || now >= drainEnd)) {
                    if (inFlight) {
                        abandon(now);
                    }
                    break;
                }
                long wake = Math.min(nextScan, nextMark <= plan.windows() ? measureStart + nextMark * windowNanos : Long.MAX_VALUE);
                long due = plan.open() && now < measureEnd ? nextArrival : Long.MAX_VALUE;
                if (pendingSize > 0 && !idle.isEmpty()) {
                    due = now;
                }
                wake = Math.min(wake, due);
                long until = wake - System.nanoTime();
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
                io();
            }
            drainSeconds = Math.max(0, System.nanoTime() - measureEnd) / 1e9;
            for (Conn c : conns) {
                closeQuietly(c);
            }
            selector.selectNow();
            return outcome(hlog);
        }

        private void awaitConnections() throws IOException {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (conns.stream().anyMatch(c -> !c.connected) && System.nanoTime() < deadline) {
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
                if (idle.isEmpty() && inMeasure(nextArrival)) {
                    connectionWaits++;
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
                scheduled++;
                timeouts++;
                windowFailed[window(intended)]++;
            }
        }

        private void dispatchPending(long now) throws IOException {
            while (pendingSize > 0 && !idle.isEmpty()) {
                long intended = pending[pendingHead];
                pendingHead = (pendingHead + 1) % pending.length;
                pendingSize--;
                send(idle.poll(), intended, now);
                now = System.nanoTime();
            }
        }

        private boolean inMeasure(long t) {
            return t >= measureStart && t < measureEnd;
        }

        private int window(long t) {
            return (int) Math.min(plan.windows() - 1, Math.max(0, (t - measureStart) / windowNanos));
        }

        private void send(Conn c, long intended, long now) throws IOException {
            c.busy = true;
            busy++;
            c.intended = intended;
            c.sent = now;
            c.measured = inMeasure(intended);
            c.deadline = intended + Math.round(plan.timeoutSeconds() * 1e9);
            c.firstEvent = 0;
            c.lastEvent = 0;
            c.parser.reset();
            if (c.measured) {
                scheduled++;
                if (plan.open()) {
                    long late = now - intended;
                    lag.recordValue(Math.min(HIGHEST_MICROS, Math.max(0, late / 1000)));
                    if (late > LATE_NANOS) {
                        lateOver1ms++;
                    }
                }
            }
            c.out = ByteBuffer.wrap(requests[bodyIndex++ % requests.length]);
            try {
                c.channel.write(c.out);
            } catch (IOException e) {
                fail(c, now, "connection", e);
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
                            idle.add(c);
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
                    fail(c, now, "connection", e);
                } catch (ResponseParser.ProtocolException e) {
                    fail(c, now, "protocol", e);
                }
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
                    // An idle keep-alive connection the server closed: a new one at once.
                    reopen(c, now);
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
                int w = window(c.intended);
                if (good) {
                    ok++;
                    windowLatency[w].recordValue(micros(now - c.intended));
                    windowService[w].recordValue(micros(now - c.sent));
                    if (c.firstEvent != 0) {
                        streams++;
                    }
                } else {
                    windowFailed[w]++;
                    if (c.parser.status() == 200) {
                        badBody++;
                    } else {
                        byStatus.merge(Integer.toString(c.parser.status()), 1L, Long::sum);
                    }
                }
            }
            if (good && inMeasure(now)) {
                completedInInterval++;
                windowCompleted[window(now)]++;
            }
            if (c.parser.close()) {
                // The server ends keep-alive connections after so many requests (Tomcat: 100 by
                // default): a new one at once, as any client does; the pause is for failures only.
                reopen(c, now);
            } else {
                idle.add(c);
            }
        }

        private void fail(Conn c, long now, String kind, Exception e) throws IOException {
            if (firstError == null) {
                firstError = kind + ": " + e.getMessage();
            }
            if (c.busy && c.measured) {
                if (kind.equals("protocol")) {
                    protocolErrors++;
                } else {
                    connectionErrors++;
                }
                windowFailed[window(c.intended)]++;
            }
            release(c);
            reconnect(c, now);
        }

        /** Requests past their deadline are timeouts: their connection is closed and opened anew. */
        private void scan(long now) throws IOException {
            for (Conn c : conns) {
                if (c.busy && now >= c.deadline) {
                    if (c.measured) {
                        timeouts++;
                        windowFailed[window(c.intended)]++;
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
                    timeouts++;
                    windowFailed[window(c.intended)]++;
                }
                release(c);
            }
            while (pendingSize > 0) {
                expireOldest();
            }
        }

        private void release(Conn c) {
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

        private void mark() {
            serverMarks[nextMark] = serverPid > 0 ? ProcStats.sample(serverPid) : ProcStats.Sample.NONE;
            clientMarks[nextMark] = ProcStats.sample(ProcessHandle.current().pid());
            pollMarks[nextMark] = pollNanos;
            nextMark++;
        }

        private StepOutcome outcome(OutputStream hlog) {
            IntCountsHistogram latency = histogram();
            IntCountsHistogram service = histogram();
            List<StepOutcome.WindowOutcome> windows = new ArrayList<>();
            double windowSeconds = plan.windowSeconds();
            for (int w = 0; w < plan.windows(); w++) {
                latency.add(windowLatency[w]);
                service.add(windowService[w]);
                ProcStats.Sample s0 = serverMarks[w];
                ProcStats.Sample s1 = serverMarks[w + 1];
                boolean serverKnown = s0 != null && s1 != null && s0.available() && s1.available();
                windows.add(new StepOutcome.WindowOutcome(windowSeconds, windowCompleted[w], windowFailed[w],
                        round(windowCompleted[w] / windowSeconds, 1), percentiles(windowLatency[w]),
                        serverKnown ? round(s1.cpuSeconds() - s0.cpuSeconds(), 3) : null,
                        serverKnown ? s1.rssBytes() : null,
                        round(busy(w, w + 1), 3)));
            }
            if (hlog != null) {
                writeLog(hlog);
            }
            double seconds = plan.windows() * windowSeconds;
            double clientCpu = busy(0, plan.windows());
            double polled = (pollMarks[plan.windows()] - pollMarks[0]) / 1e9;
            ProcStats.Sample s0 = serverMarks[0];
            ProcStats.Sample s1 = serverMarks[plan.windows()];
            StepOutcome.ServerUse server = s0.available() && s1.available()
                    ? new StepOutcome.ServerUse(round(s1.cpuSeconds() - s0.cpuSeconds(), 3), s1.rssBytes()) : null;
            long failedTotal = byStatus.values().stream().mapToLong(Long::longValue).sum() + badBody + timeouts
                    + connectionErrors + protocolErrors;
            return new StepOutcome(plan, plan.open() ? "intended" : "sent", seconds, scheduled, ok,
                    new StepOutcome.Failures(failedTotal, Map.copyOf(byStatus), badBody, timeouts, connectionErrors,
                            protocolErrors, firstError),
                    completedInInterval, round(completedInInterval / seconds, 1), percentiles(latency), percentiles(service),
                    plan.open() ? percentiles(lag) : null, lateOver1ms, connectionWaits, windows, round(clientCpu, 3),
                    round(polled, 3),
                    completedInInterval == 0 ? null : round(clientCpu * 1e6 / completedInInterval, 2), server,
                    target.events() ? new StepOutcome.Events(streams, events, percentiles(firstEvent), percentiles(betweenEvents))
                            : null,
                    null, round(drainSeconds, 3));
        }

        /** The client's CPU seconds between two marks, less the time it spent polling idle sockets. */
        private double busy(int from, int to) {
            double cpu = clientMarks[to].cpuSeconds() - clientMarks[from].cpuSeconds();
            return Math.max(0, cpu - (pollMarks[to] - pollMarks[from]) / 1e9);
        }

        private void writeLog(OutputStream out) {
            HistogramLogWriter writer = new HistogramLogWriter(new PrintStream(out, false, StandardCharsets.US_ASCII));
            double startSec = (System.currentTimeMillis() - (System.nanoTime() - measureStart) / 1_000_000) / 1000.0;
            writer.outputComment("predict-bench load client, step " + plan.name() + ": values in microseconds; tag latency = "
                    + (plan.open() ? "intended send time" : "send time") + " to last byte, tag service = send to last byte; "
                    + "one interval per window of " + plan.windowSeconds() + " s");
            writer.outputLogFormatVersion();
            writer.outputStartTime(Math.round(startSec * 1000));
            writer.setBaseTime(Math.round(startSec * 1000));
            writer.outputLegend();
            for (int w = 0; w < plan.windows(); w++) {
                for (String tag : List.of("latency", "service")) {
                    AbstractHistogram h = (tag.equals("latency") ? windowLatency[w] : windowService[w]).copy();
                    h.setTag(tag);
                    long from = Math.round((startSec + w * plan.windowSeconds()) * 1000);
                    h.setStartTimeStamp(from);
                    h.setEndTimeStamp(from + Math.round(plan.windowSeconds() * 1000));
                    writer.outputIntervalHistogram(h);
                }
            }
            writer.close();
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
