package dev.predictbench.gatling;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in "stack" for the runner's fault tests: a JDK HttpServer started from a jar the test
 * writes, with the same {@code ServerProcess} as a real stack ({@code PORT} from the environment).
 * Its behaviour is the jar's {@code fake-stack-mode} resource:
 * <ul>
 *   <li>{@code good}: answers /health/ready, /info and /predict; at most 8 predictions in flight,
 *       503 OVERLOADED with Retry-After past that (so the overload scenario sees shedding); its /info
 *       has a {@code batching} object with {@code enabled} as {@code PREDICTBENCH_BATCHING} says (none
 *       when that is not set, as a server from before the batcher);</li>
 *       It also relays {@code POST /chat} to {@code PREDICTBENCH_UPSTREAM_URL} (the llm workload):
 *       the upstream's stream, each content token as {@code data: {"token":...}} as it arrives, then
 *       {@code data: [DONE]}, or the whole answer without {@code stream}; /info reports
 *       {@code PREDICTBENCH_VARIANT} as its variant (a variant named {@code ignored} reports another);</li>
 *   <li>{@code batching-ignored}: good, but its /info says {@code batching.enabled} false whatever it was told;</li>
 *   <li>{@code never-ready}: /health/ready answers 503 forever;</li>
 *   <li>{@code exit-mid-run N}: good until the N-th /predict, then exits with status 3;</li>
 *   <li>{@code port-taken}: starts a second process that takes its port first, fails to bind and
 *       stays alive without listening (as a server that logs the bind error and carries on);</li>
 *   <li>{@code disk-fault}: good, but puts a regular file where the runner writes the load client's
 *       files (beside its log), so that disk write fails;</li>
 *   <li>{@code squatter PORT PID} (command line, started by port-taken): answers 200 to everything
 *       on PORT until process PID is gone;</li>
 *   <li>{@code delay MS}: answers /predict MS milliseconds after the request reached its handler,
 *       from a timer (the handler returns at once and a scheduler thread answers, so requests
 *       never wait for a thread): a server of known latency for calibration; {@code delay 0}
 *       answers at once;</li>
 *   <li>{@code stall PERIOD_MS STOP_MS}: answers at once, but a shell beside it stops the process
 *       with SIGSTOP for STOP_MS of every PERIOD_MS (SIGCONT after), as a server frozen by a GC
 *       pause or a noisy neighbour: the coordinated-omission test.</li>
 * </ul>
 */
public final class FakeStack {
    private static final byte[] PREDICTION = "{\"predictions\":[{\"label\":\"a\",\"probabilities\":{\"a\":0.9,\"b\":0.1}}]}"
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] OVERLOADED = "{\"error\":\"too many requests in flight\",\"code\":\"OVERLOADED\"}"
            .getBytes(StandardCharsets.UTF_8);

    /** How much earlier than a delayed answer's time its timer fires (the rest is waited out on the clock). */
    private static final long EARLY_NANOS = 150_000;

    private FakeStack() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("squatter")) {
            squat(Integer.parseInt(args[1]), Long.parseLong(args[2]));
            return;
        }
        String[] mode = mode().trim().split("\\s+");
        int port = Integer.parseInt(System.getenv("PORT"));
        System.out.println("fake stack, mode " + String.join(" ", mode) + ", port " + port);
        switch (mode[0]) {
            case "good" -> serve(port, false, Integer.MAX_VALUE);
            case "batching-ignored" -> serve(port, false, Integer.MAX_VALUE, "off");
            case "never-ready" -> serve(port, true, Integer.MAX_VALUE);
            case "exit-mid-run" -> serve(port, false, Integer.parseInt(mode[1]));
            case "disk-fault" -> {
                Path log = Files.readSymbolicLink(Path.of("/proc/self/fd/1"));
                Path load = log.resolveSibling("load");
                Files.writeString(load, "a file where the runner wants a folder\n");
                System.out.println("put a file at " + load);
                serve(port, false, Integer.MAX_VALUE);
            }
            case "port-taken" -> portTaken(port);
            case "delay" -> serveDelayed(port, Long.parseLong(mode[1]));
            case "stall" -> {
                serveDelayed(port, 0);
                stallEvery(Long.parseLong(mode[1]), Long.parseLong(mode[2]));
            }
            default -> throw new IllegalArgumentException("unknown mode " + mode[0]);
        }
    }

    private static String mode() throws IOException {
        try (InputStream in = FakeStack.class.getResourceAsStream("/fake-stack-mode")) {
            if (in == null) {
                throw new IllegalStateException("no fake-stack-mode resource");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void serve(int port, boolean neverReady, int exitAfter) throws IOException {
        serve(port, neverReady, exitAfter, System.getenv("PREDICTBENCH_BATCHING"));
    }

    /** @param batching what /info says about batching: {@code on}, {@code off}, or null (no batching object) */
    private static void serve(int port, boolean neverReady, int exitAfter, String batching) throws IOException {
        String batchingInfo = batching == null ? "" : ",\"batching\":{\"enabled\":" + batching.equals("on")
                + ",\"maxBatch\":32,\"preferredSizes\":[8,16],\"maxQueueDelayMicros\":1000,\"concurrency\":1}";
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        Semaphore inFlight = new Semaphore(8);
        AtomicInteger predictions = new AtomicInteger();
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.createContext("/health/ready", ex -> send(ex, neverReady ? 503 : 200,
                neverReady ? "{\"status\":\"starting\"}".getBytes(StandardCharsets.UTF_8) : "{\"status\":\"ready\"}".getBytes(StandardCharsets.UTF_8)));
        String variant = System.getenv("PREDICTBENCH_VARIANT");
        String reported = "ignored".equals(variant) ? "other" : variant;
        String chatInfo = variant == null ? "" : ",\"threading\":{\"model\":\"fake-pool\",\"details\":{\"variant\":\"" + reported
                + "\",\"chat\":{\"client\":\"JDK HttpClient (fake)\",\"pool\":4096,\"handler\":\"blocking\",\"upstream\":\""
                + System.getenv("PREDICTBENCH_UPSTREAM_URL") + "\"}}}";
        server.createContext("/info", ex -> send(ex, 200, ("{\"stack\":\"fake\",\"framework\":\"JDK HttpServer (fake)\""
                + batchingInfo + chatInfo + "}").getBytes(StandardCharsets.UTF_8)));
        server.createContext("/chat", FakeStack::chat);
        server.createContext("/predict", ex -> {
            ex.getRequestBody().readAllBytes();
            if (predictions.incrementAndGet() >= exitAfter) {
                System.out.println("exiting on purpose after " + exitAfter + " predictions");
                System.out.flush();
                Runtime.getRuntime().halt(3);
            }
            if (!inFlight.tryAcquire()) {
                ex.getResponseHeaders().add("Retry-After", "1");
                send(ex, 503, OVERLOADED);
                return;
            }
            try {
                Thread.sleep(1);
                send(ex, 200, PREDICTION);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inFlight.release();
            }
        });
        server.createContext("/", ex -> send(ex, 404, "{\"error\":\"not found\",\"code\":\"NOT_FOUND\"}".getBytes(StandardCharsets.UTF_8)));
        server.start();
    }

    private static final java.net.http.HttpClient UPSTREAM = java.net.http.HttpClient.newBuilder()
            .version(java.net.http.HttpClient.Version.HTTP_1_1).build();

    /** POST /chat: the upstream's answer relayed, streamed event by event when the body asks for a stream. */
    private static void chat(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        boolean stream = body.contains("\"stream\":true");
        String messages = body.substring(body.indexOf("\"messages\""), body.indexOf(']', body.indexOf("\"messages\"")) + 1);
        String upstreamBody = "{\"model\":\"fake\"," + messages + ",\"stream\":" + stream + "}";
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(System.getenv("PREDICTBENCH_UPSTREAM_URL") + "/chat/completions"))
                .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(upstreamBody))
                .build();
        try {
            if (!stream) {
                String answer = UPSTREAM.send(request, java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                int at = answer.indexOf("\"content\":\"") + 11;
                String content = answer.substring(at, answer.indexOf('"', at));
                send(ex, 200, ("{\"content\":\"" + content + "\",\"completionTokens\":0,\"finishReason\":\"stop\"}")
                        .getBytes(StandardCharsets.UTF_8));
                return;
            }
            java.net.http.HttpResponse<java.util.stream.Stream<String>> r = UPSTREAM.send(request,
                    java.net.http.HttpResponse.BodyHandlers.ofLines());
            ex.getResponseHeaders().set("Content-Type", "text/event-stream");
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody(); java.util.stream.Stream<String> lines = r.body()) {
                for (String line : (Iterable<String>) lines::iterator) {
                    int at = line.indexOf("\"content\":\"");
                    if (line.startsWith("data: [DONE]")) {
                        out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
                    } else if (at >= 0) {
                        String token = line.substring(at + 11, line.indexOf('"', at + 11));
                        out.write(("data: {\"token\":\"" + token + "\"}\n\n").getBytes(StandardCharsets.UTF_8));
                    } else {
                        continue;
                    }
                    out.flush();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ex.close();
        }
    }

    private static void serveDelayed(int port, long delayMillis) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/health/ready", ex -> send(ex, 200, "{\"status\":\"ready\"}".getBytes(StandardCharsets.UTF_8)));
        server.createContext("/info", ex -> send(ex, 200, ("{\"stack\":\"fake\",\"framework\":\"JDK HttpServer (fake, delay "
                + delayMillis + " ms)\"}").getBytes(StandardCharsets.UTF_8)));
        server.createContext("/predict", ex -> {
            ex.getRequestBody().readAllBytes();
            // Every answer, delayed or not, leaves from the timer thread, so the zero-delay floor and the
            // delayed server differ by the delay alone, not by the path an answer takes.
            long due = System.nanoTime() + delayMillis * 1_000_000;
            // The timer wakes a little early and the last stretch is waited out on the clock: a timer
            // alone fires late by its wake-up latency, which would make the known delay unknown.
            timer.schedule(() -> {
                while (System.nanoTime() < due) {
                    Thread.onSpinWait();
                }
                try {
                    send(ex, 200, PREDICTION);
                } catch (IOException e) {
                    ex.close();
                }
            }, Math.max(0, delayMillis * 1_000_000 - EARLY_NANOS), TimeUnit.NANOSECONDS);
        });
        server.createContext("/", ex -> send(ex, 404, "{\"error\":\"not found\",\"code\":\"NOT_FOUND\"}".getBytes(StandardCharsets.UTF_8)));
        server.start();
    }

    /** A shell that stops this process for {@code stopMillis} of every {@code periodMillis} while it lives. */
    private static void stallEvery(long periodMillis, long stopMillis) throws IOException {
        long self = ProcessHandle.current().pid();
        String run = String.format(java.util.Locale.ROOT, "%.3f", (periodMillis - stopMillis) / 1000.0);
        String stop = String.format(java.util.Locale.ROOT, "%.3f", stopMillis / 1000.0);
        new ProcessBuilder("sh", "-c", "while kill -0 " + self + " 2>/dev/null; do sleep " + run + "; kill -STOP " + self
                + "; sleep " + stop + "; kill -CONT " + self + "; done").inheritIO().start();
        System.out.println("stalling for " + stopMillis + " ms of every " + periodMillis + " ms");
    }

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private static void portTaken(int port) throws Exception {
        String jar = Path.of(FakeStack.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        // Started through a shell that exits at once, so the squatter is not this process's
        // descendant: an unrelated process holding the port, as in the real race.
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        long self = ProcessHandle.current().pid();
        new ProcessBuilder(List.of("sh", "-c", "'" + java + "' -cp '" + jar + "' " + FakeStack.class.getName() + " squatter "
                + port + " " + self + " >/dev/null 2>&1 &")).inheritIO().start().waitFor();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                break;
            } catch (IOException e) {
                Thread.sleep(20);
            }
        }
        try {
            HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16).start();
            System.out.println("bound " + port + " after all");
        } catch (BindException e) {
            System.out.println("cannot bind port " + port + ": " + e.getMessage() + "; carrying on without listening");
        }
        Thread.sleep(Long.MAX_VALUE);
    }

    private static void squat(int port, long owner) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        server.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            send(ex, 200, "{\"squatter\":true,\"predictions\":[{\"label\":\"z\"}]}".getBytes(StandardCharsets.UTF_8));
        });
        server.start();
        System.out.println("squatter on port " + port);
        ProcessHandle parent = ProcessHandle.of(owner).orElse(null);
        long deadline = System.nanoTime() + 120_000_000_000L;
        while ((parent == null || parent.isAlive()) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        Runtime.getRuntime().halt(0);
    }
}
