package dev.predictbench.gatling.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The load client against small in-process servers: every request accounted for (good, wrong
 * status, a 200 without the workload's key, timeouts), connections reopened when the server closes
 * them, Server-Sent Events timed, and the HdrHistogram log readable.
 */
class LoadClientTest {
    private static final byte[] GOOD = "{\"predictions\":[{\"label\":\"a\"}]}".getBytes(StandardCharsets.UTF_8);
    private HttpServer server;
    private ExecutorService pool;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    private InetSocketAddress start(com.sun.net.httpserver.HttpHandler handler) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        pool = Executors.newFixedThreadPool(8);
        server.setExecutor(pool);
        server.createContext("/predict", handler);
        server.start();
        return server.getAddress();
    }

    private static LoadClient client(InetSocketAddress address, boolean events) throws IOException {
        return new LoadClient(new LoadClient.Target(address, "/predict", List.of("{\"instances\":[[1]]}".getBytes(StandardCharsets.UTF_8)),
                events ? new byte[0] : "\"label\"".getBytes(StandardCharsets.UTF_8), events), 0);
    }

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.getRequestBody().readAllBytes();
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @Test
    void everyRequestIsGoodOrCountedAsOneKindOfFailure() throws Exception {
        AtomicInteger n = new AtomicInteger();
        InetSocketAddress address = start(ex -> {
            int i = n.incrementAndGet();
            if (i % 10 == 0) {
                send(ex, 503, "{\"code\":\"OVERLOADED\"}".getBytes(StandardCharsets.UTF_8));
            } else if (i % 10 == 1) {
                send(ex, 200, "{\"something\":\"else\"}".getBytes(StandardCharsets.UTF_8));
            } else {
                // Half of the good answers close the connection, which the client must reopen.
                if (i % 2 == 0) {
                    ex.getResponseHeaders().set("Connection", "close");
                }
                send(ex, 200, GOOD);
            }
        });
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        StepOutcome o;
        try (LoadClient c = client(address, false)) {
            o = c.run(StepPlan.open("r200", 200, 16, 0.2, 0.5, 2, 5), 7, log);
        }
        assertEquals(o.scheduled(), o.ok() + o.failed().total(), "every request accounted for: " + o);
        assertTrue(o.scheduled() > 100, o.toString());
        assertTrue(o.failed().byStatus().getOrDefault("503", 0L) > 0, o.failed().toString());
        assertTrue(o.failed().badBody() > 0, "a 200 without the key is not a good answer: " + o.failed());
        assertEquals(0, o.failed().connectionErrors(), "closed connections are reopened, not failed: " + o.failed());
        assertEquals(o.ok(), o.latency().count());
        assertEquals("intended", o.timedFrom());
        assertNotNull(o.scheduleLag());
        assertEquals(2, o.windows().size());
        // The log holds one latency and one service interval per window, with every good answer.
        HistogramLogReader reader = new HistogramLogReader(new java.io.ByteArrayInputStream(log.toByteArray()));
        long latencyCount = 0;
        int intervals = 0;
        for (org.HdrHistogram.EncodableHistogram h; (h = reader.nextIntervalHistogram()) != null; ) {
            intervals++;
            if ("latency".equals(h.getTag())) {
                latencyCount += ((org.HdrHistogram.AbstractHistogram) h).getTotalCount();
            }
        }
        assertEquals(4, intervals);
        assertEquals(o.ok(), latencyCount);
    }

    /**
     * Three workers that each accept one connection, read one request with no read timeout, answer
     * with {@code Connection: close} and close it, as gunicorn's sync workers do: a worker that accepts
     * a connection carrying no request waits on it, so the client must not leave idle connections in
     * the accept queue: every connection the server accepts carries a request, and every request of
     * an open step is answered.
     */
    @Test
    void aServerThatClosesEveryConnectionGetsEachRequestOnAConnectionOpenedForIt() throws Exception {
        java.net.ServerSocket listener = new java.net.ServerSocket(0, 256, java.net.InetAddress.getLoopbackAddress());
        pool = Executors.newFixedThreadPool(3);
        AtomicInteger withoutRequest = new AtomicInteger();
        byte[] answer = ("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: "
                + GOOD.length + "\r\n\r\n" + new String(GOOD, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        for (int w = 0; w < 3; w++) {
            pool.submit(() -> {
                while (!listener.isClosed()) {
                    try (java.net.Socket s = listener.accept()) {
                        java.io.InputStream in = s.getInputStream();
                        ByteArrayOutputStream head = new ByteArrayOutputStream();
                        int b;
                        while ((b = in.read()) >= 0) {
                            head.write(b);
                            if (head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
                                break;
                            }
                        }
                        if (b < 0) {
                            withoutRequest.incrementAndGet();
                            continue;
                        }
                        String h = head.toString(StandardCharsets.US_ASCII);
                        int at = h.indexOf("Content-Length: ") + "Content-Length: ".length();
                        in.readNBytes(Integer.parseInt(h.substring(at, h.indexOf("\r\n", at))));
                        s.getOutputStream().write(answer);
                    } catch (IOException e) {
                        // listener closed, or the client gave up on the connection
                    }
                }
                return null;
            });
        }
        StepOutcome o;
        try (listener; LoadClient c = client((InetSocketAddress) listener.getLocalSocketAddress(), false)) {
            o = c.run(StepPlan.open("r300", 300, 64, 0.2, 0.5, 2, 5), 3, null);
        }
        assertTrue(o.scheduled() > 200, o.toString());
        assertEquals(o.scheduled(), o.ok(), "every request answered: " + o.failed());
        assertEquals(0, withoutRequest.get(), "no connection reached the server without a request");
    }

    @Test
    void anUnansweredRequestIsATimeoutFromItsIntendedSendTime() throws Exception {
        InetSocketAddress address = start(ex -> {
            ex.getRequestBody().readAllBytes();
            // Never answers: the exchange is left open.
        });
        StepOutcome o;
        try (LoadClient c = client(address, false)) {
            o = c.run(StepPlan.open("r20", 20, 4, 0, 0.5, 1, 0.3), 1, null);
        }
        assertEquals(0, o.ok());
        assertTrue(o.scheduled() > 0);
        assertEquals(o.scheduled(), o.failed().timeouts(), "each request either timed out in flight or waiting: " + o.failed());
        assertTrue(o.connectionWaits() > 0, "4 connections held by unanswered requests: later arrivals wait");
        assertNull(o.latency().p50(), "no good answer, no latency");
    }

    @Test
    void serverSentEventsAreTimedToTheFirstEventAndBetweenEvents() throws Exception {
        InetSocketAddress address = start(ex -> {
            ex.getRequestBody().readAllBytes();
            ex.getResponseHeaders().set("Content-Type", "text/event-stream");
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                for (int i = 0; i < 4; i++) {
                    if (i > 0) {
                        Thread.sleep(40);
                    }
                    out.write(("data: {\"token\":" + i + "}\n\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
                out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        StepOutcome o;
        try (LoadClient c = client(address, true)) {
            o = c.run(StepPlan.closed("c2", 2, 0.2, 1.5, 1, 5), 1, OutputStream.nullOutputStream());
        }
        StepOutcome.Events e = o.events();
        assertNotNull(e);
        assertEquals(o.ok(), e.streams());
        assertEquals(5 * e.streams(), e.events(), "four tokens and [DONE] per stream");
        assertTrue(e.firstEvent().p50() < 20_000, "the first token is sent at once: " + e.firstEvent());
        // Between events: 40 ms three times, then [DONE] right after the last token.
        double p90 = e.betweenEvents().p90();
        assertTrue(p90 >= 40_000 && p90 <= 50_000, "40 ms between tokens: " + e.betweenEvents());
    }

    @Test
    void anAdaptiveStepWaitsForItsRequestsAndEndsWhenItsLastWindowsAgree() throws Exception {
        InetSocketAddress address = start(ex -> send(ex, 200, GOOD));
        StepOutcome o;
        try (LoadClient c = client(address, false)) {
            // 400/s with windows of at least 0.3 s and 200 answers: each window needs about half a second.
            StepPlan plan = StepPlan.open("r400", 400, 16, 0, 0.3, 3, 5).adaptive(10, 200, 0.5, 5);
            o = c.run(plan, 3, null);
        }
        assertEquals("stable", o.health().stopped(), "Poisson counts of ~200 agree within 50%");
        assertEquals(3, o.windows().size(), "the figures are the last three windows");
        assertTrue(o.health().windowsNeeded() >= 3);
        for (StepOutcome.WindowOutcome w : o.windows()) {
            assertTrue(w.completed() >= 200, "a window closes only with its requests: " + w.completed());
            assertTrue(w.seconds() >= 0.3 && w.seconds() < 1.5, "and once it is long enough: " + w.seconds());
        }
        assertEquals(o.windows().stream().mapToLong(StepOutcome.WindowOutcome::completed).sum(), o.completedInInterval());
        assertTrue(Math.abs(o.completedInInterval() - o.latency().count()) <= 16, "answers counted by completion time and "
                + "latencies by intended time differ only at the windows' edges (16 connections): " + o.completedInInterval()
                + " and " + o.latency().count());
    }

    @Test
    void aStepClearlyOverItsObjectiveEndsEarly() throws Exception {
        InetSocketAddress address = start(ex -> {
            try {
                Thread.sleep(30);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            send(ex, 200, GOOD);
        });
        StepOutcome o;
        try (LoadClient c = client(address, false)) {
            StepPlan plan = StepPlan.open("r50", 50, 8, 0, 0.5, 3, 5).adaptive(8, 0, 0.1, 5).withObjective(5);
            o = c.run(plan, 3, null);
        }
        assertEquals("objective", o.health().stopped(), "a 30 ms server cannot meet a 5 ms p99");
        assertEquals(1, o.health().windowsNeeded(), "its first window's median is over the objective already");
    }

    @Test
    void aWarmupRunsItsMinimumWhenTheServerHasNoJitCountersAndReadsThemWhenItHas() throws Exception {
        InetSocketAddress address = start(ex -> send(ex, 200, GOOD));
        StepOutcome none;
        try (LoadClient c = client(address, false)) {
            none = c.run(StepPlan.warmup("warmup", 4, 0.2, 0.4, 2, 10, 5), 1, null);
        }
        assertEquals("no JIT counters", none.health().stopped(), "an unknown pid has no hsperfdata");
        assertEquals(2, none.windows().size(), "0.4 s in 0.2 s chunks");
        StepOutcome own;
        try (LoadClient c = new LoadClient(new LoadClient.Target(address, "/predict",
                List.of("{\"instances\":[[1]]}".getBytes(StandardCharsets.UTF_8)), "\"label\"".getBytes(StandardCharsets.UTF_8),
                false), ProcessHandle.current().pid())) {
            own = c.run(StepPlan.warmup("warmup", 4, 0.2, 0.4, 1, 1_000_000, 5), 1, null);
        }
        assertEquals("settled", own.health().stopped(), "this JVM has counters; fewer than a million compiles in a chunk");
        assertTrue(own.windows().stream().allMatch(w -> w.compiles() != null && w.compiles() >= 0), own.windows().toString());
    }
}
