package dev.predictbench.contract.kit;

import static dev.predictbench.contract.kit.Kit.assertJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictbench.contract.Contract;
import dev.predictbench.model.ApiException;
import dev.predictbench.model.InflightLimit;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The in-flight limit under load: every server module runs this against its server started with
 * one inference call in flight and no queue ({@link #SYSTEM_PROPERTIES}, or {@link #singlePermit()}
 * handed to its services). Past the limit a server answers 503 OVERLOADED with {@code Retry-After},
 * never another status, and stays healthy.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class OverloadKit {
    /** PREDICTBENCH_MAX_INFLIGHT=1, PREDICTBENCH_MAX_QUEUED=0 as the system properties {@code Settings} reads. */
    public static final Map<String, String> SYSTEM_PROPERTIES = Map.of(
            "predictbench.max.inflight", "1",
            "predictbench.max.queued", "0");
    private static final int CONCURRENT = 6;
    private static final int MAX_ROUNDS = 10;

    private final ExecutorService clients = Executors.newFixedThreadPool(CONCURRENT);

    /** One call in flight, none queued: what an in-process server's services get. */
    public static InflightLimit singlePermit() {
        return new InflightLimit(new InflightLimit.Settings(1, 0, 0));
    }

    /** Where the server under test listens (loopback). */
    protected abstract URI baseUri();

    /**
     * The limit the server's inference shares, when the test started the server in-process with it:
     * the kit then holds its one permit itself. Null for a server in another process.
     */
    protected InflightLimit inflightLimit() {
        return null;
    }

    @AfterAll
    final void stopClients() {
        clients.shutdownNow();
    }

    private static String largeEmbedBatch(int round) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            texts.add("\"" + ("round " + round + " text " + i + " about a benign cell nucleus and its texture. ").repeat(12) + "\"");
        }
        return "{\"texts\": [" + String.join(",", texts) + "]}";
    }

    /** The contract's 503: JSON with the OVERLOADED code and a Retry-After header. */
    private static void assertOverloaded(HttpProbe.Response r, String what) {
        String text = Kit.abbreviate(r.text());
        assertEquals(503, r.status(), what + ": " + text);
        assertJson(r);
        assertEquals("OVERLOADED", r.json().path("code").asText(), what + ": " + text);
        assertFalse(r.json().path("error").asText().isBlank(), what + ": error message missing");
        assertEquals("1", r.header("Retry-After"), what + ": 503 says when to retry");
    }

    /** Takes the one permit (waiting out calls an earlier check left in flight) and holds it until {@code release}. */
    private static Void holdPermit(InflightLimit limit, CountDownLatch holding, CountDownLatch release)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return limit.call(() -> {
                    holding.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return null;
                });
            } catch (ApiException busy) {
                if (System.nanoTime() > deadline) {
                    throw busy;
                }
                Thread.sleep(10);
            }
        }
    }

    @Test
    void whileThePermitIsHeldEveryInferenceCallIs503WithRetryAfter() throws Exception {
        InflightLimit limit = inflightLimit();
        Assumptions.assumeTrue(limit != null, "the server runs in another process: the concurrent test covers it");
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<?> holder = clients.submit(() -> holdPermit(limit, holding, release));
        try (HttpProbe http = HttpProbe.from(baseUri(), 21)) {
            try {
                assertTrue(holding.await(30, TimeUnit.SECONDS), "the kit holds the one permit");
                long rejectedBefore = limit.rejected();
                String metricsBefore = metrics(http);
                assertEquals(1.0, sample(metricsBefore, Contract.INFLIGHT_RUNNING_GAUGE),
                        "/metrics shows the one call the kit holds running");
                assertOverloaded(http.postJson(Contract.PREDICT, BadRequests.instances(BadRequests.validRow())), "/predict");
                assertOverloaded(http.postJson(Contract.EMBED, "{\"texts\": [\"a benign nucleus\"]}"), "/embed");
                assertOverloaded(http.postJson(Contract.SEARCH, "{\"query\": \"a benign nucleus\", \"k\": 3}"), "/search");
                assertEquals(rejectedBefore + 3, limit.rejected(), "the server's own limit shed all three");
                assertEquals(sample(metricsBefore, Contract.OVERLOAD_REJECTED_COUNTER) + 3,
                        sample(metrics(http), Contract.OVERLOAD_REJECTED_COUNTER),
                        "/metrics counts the three calls shed");
                assertEquals(200, http.get(Contract.READY).status(), "health does not wait for inference");
            } finally {
                release.countDown();
                holder.get(30, TimeUnit.SECONDS);
            }
            HttpProbe.Response after = http.postJson(Contract.PREDICT, BadRequests.instances(BadRequests.validRow()));
            assertEquals(200, after.status(), "served again once the permit is back: " + after.text());
            assertEquals(0.0, sample(metrics(http), Contract.INFLIGHT_RUNNING_GAUGE), "nothing runs once every call has ended");
        }
    }

    @Test
    void concurrentLargeBatchesGetOnly200Or503AndTheServerRecovers() throws Exception {
        List<HttpProbe> senders = new ArrayList<>();
        for (int i = 0; i < CONCURRENT; i++) {
            senders.add(HttpProbe.from(baseUri(), 30 + i));
        }
        int served = 0;
        int shed = 0;
        try {
            // Whoever gets the one permit is served, so every round has a 200; a round where the calls
            // happened not to overlap has no 503, so go on (bounded) until one has.
            for (int round = 0; round < MAX_ROUNDS && (served == 0 || shed == 0); round++) {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<HttpProbe.Response>> calls = new ArrayList<>();
                String body = largeEmbedBatch(round);
                for (HttpProbe sender : senders) {
                    calls.add(clients.submit(() -> {
                        start.await();
                        return sender.postJson(Contract.EMBED, body);
                    }));
                }
                start.countDown();
                for (Future<HttpProbe.Response> call : calls) {
                    HttpProbe.Response r = call.get(60, TimeUnit.SECONDS);
                    if (r.status() == 200) {
                        served++;
                    } else {
                        assertOverloaded(r, "a concurrent /embed that was not served");
                        shed++;
                    }
                }
            }
        } finally {
            senders.forEach(HttpProbe::close);
        }
        assertTrue(served > 0, "no call was served");
        assertTrue(shed > 0, "no call was shed in " + MAX_ROUNDS + " rounds of " + CONCURRENT + " concurrent batches");

        try (HttpProbe http = HttpProbe.from(baseUri(), 29)) {
            assertEquals(200, http.get(Contract.READY).status(), "healthy after the overload");
            HttpProbe.Response after = http.postJson(Contract.PREDICT, BadRequests.instances(BadRequests.validRow()));
            assertEquals(200, after.status(), "served again after the overload: " + after.text());
            // The counter is the process's: it may also hold calls other tests had shed, never fewer than these.
            double rejected = sample(metrics(http), Contract.OVERLOAD_REJECTED_COUNTER);
            assertTrue(rejected >= shed, "/metrics counts " + rejected + " calls shed, the kit saw " + shed + " 503s");
        }
    }

    /** The server's {@code /metrics} text. */
    private static String metrics(HttpProbe http) throws Exception {
        HttpProbe.Response r = http.get(Contract.METRICS);
        assertEquals(200, r.status(), "/metrics: " + r.text());
        return r.text();
    }

    /** The value of one of the contract's meters in a {@code /metrics} text, which must have it. */
    private static double sample(String metrics, String name) {
        OptionalDouble value = PrometheusText.sum(metrics, name);
        assertTrue(value.isPresent(), "no sample of " + name + " in /metrics");
        return value.getAsDouble();
    }
}
