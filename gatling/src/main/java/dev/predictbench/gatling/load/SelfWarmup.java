package dev.predictbench.gatling.load;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Warms a fresh load client up before it measures anyone: a few seconds of closed- and open-model
 * load against a server of its own on loopback, through every path a measured step takes (an
 * unmeasured lead-in, adaptive windows, the objective check, the readings of a server process,
 * here its own), so the JIT has compiled the client's hot paths and the first stack measured is
 * not measured by a colder client than the others.
 */
final class SelfWarmup {
    private static final byte[] ANSWER = "{\"predictions\":[{\"label\":\"warm\"}]}".getBytes(StandardCharsets.UTF_8);

    private SelfWarmup() {
    }

    /** A warm-up step with adaptive windows, small enough to settle within a couple of seconds. */
    private static StepPlan adaptive(StepPlan plan) {
        return plan.adaptive(4, 100, 0.5, 1);
    }

    static void run() throws IOException {
        long started = System.nanoTime();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        server.setExecutor(pool);
        server.createContext("/warm", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, ANSWER.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(ANSWER);
            }
        });
        server.start();
        try (LoadClient client = new LoadClient(new LoadClient.Target(server.getAddress(), "/warm",
                List.of("{\"instances\":[[1,2,3]]}".getBytes(StandardCharsets.UTF_8)), "\"label\"".getBytes(StandardCharsets.UTF_8),
                false), ProcessHandle.current().pid())) {
            client.run(adaptive(StepPlan.closed("warm-c1", 1, 0.5, 0.5, 3, 5)), 1, null);
            client.run(adaptive(StepPlan.closed("warm-c16", 16, 0.5, 0.5, 3, 5)), 2, null);
            client.run(adaptive(StepPlan.open("warm-open", 2000, 256, 0.5, 0.5, 3, 5)).withObjective(100), 3, null);
            client.run(StepPlan.warmup("warm-jit", 2, 0.5, 1, 2, 20, 5), 5, null);
            client.run(adaptive(StepPlan.open("warm-open-fast", 4000, 256, 0.5, 0.5, 3, 5)), 4, null);
        } finally {
            server.stop(0);
            pool.shutdownNow();
        }
        System.out.printf("load client: warmed up against its own server in %.1f s%n", (System.nanoTime() - started) / 1e9);
    }
}
