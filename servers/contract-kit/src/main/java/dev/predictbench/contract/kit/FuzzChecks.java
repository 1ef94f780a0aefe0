package dev.predictbench.contract.kit;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.predictbench.contract.Contract;
import dev.predictbench.model.ErrorCode;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Mutated bodies for every POST endpoint the server serves: a 2xx or a contract error, never a 5xx. */
public interface FuzzChecks extends KitTarget {
    /**
     * Mutated /predict (and /embed, /search) bodies, at least 10,000 unless the time budget runs
     * out first: each answer is a 2xx with the endpoint's JSON or a 4xx contract error; never a
     * 5xx, a hang or a body that is not JSON. System properties: {@code predictbench.fuzz.seed}
     * (default: a new one, printed), {@code predictbench.fuzz.count} (10000),
     * {@code predictbench.fuzz.seconds} (60). A failing case is printed as a line for
     * {@link HostileRequests}, with its seed and index.
     */
    @Test
    default void fuzzedBodiesGetA2xxOrAContractErrorAndNever5xx() throws Exception {
        long seed = Long.getLong("predictbench.fuzz.seed", new SecureRandom().nextLong());
        int count = Integer.getInteger("predictbench.fuzz.count", 10_000);
        long budgetNanos = Duration.ofSeconds(Long.getLong("predictbench.fuzz.seconds", 60)).toNanos();
        BodyFuzzer fuzzer = new BodyFuzzer(genAi());
        HttpProbe http = http();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        Map<Integer, Integer> statuses = new ConcurrentSkipListMap<>();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger sentCount = new AtomicInteger();
        AtomicBoolean outOfTime = new AtomicBoolean();
        long start = System.nanoTime();
        // A few requests in flight over the one kept-alive client, each mutant independent of the others.
        Runnable worker = () -> {
            for (int i = next.getAndIncrement(); i < count && failures.size() < 20; i = next.getAndIncrement()) {
                if (System.nanoTime() - start > budgetNanos) {
                    outOfTime.set(true);
                    return;
                }
                BodyFuzzer.Mutant m = fuzzer.mutant(seed, i);
                String problem;
                try {
                    HttpProbe.Response r = http.send("POST", m.path(), BadRequests.JSON, m.body(), false);
                    statuses.merge(r.status(), 1, Integer::sum);
                    problem = fuzzProblem(m.path(), r);
                } catch (java.io.IOException e) {
                    problem = "no answer: " + e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                sentCount.incrementAndGet();
                if (problem != null) {
                    failures.add("seed " + seed + " index " + i + " " + m.path() + " (" + m.mutations() + "): " + problem
                            + "\n    body (base64): " + Base64.getEncoder().encodeToString(m.body())
                            + "\n    for the corpus: " + m.asCorpusLine());
                }
            }
        };
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < Kit.FUZZ_IN_FLIGHT; w++) {
            workers.add(Thread.ofVirtual().name("fuzz-" + w).start(worker));
        }
        for (Thread t : workers) {
            t.join();
        }
        int sent = sentCount.get();
        if (outOfTime.get()) {
            System.out.printf("[fuzz] %s: time budget of %d s reached after %d of %d requests%n",
                    expectedStack(), budgetNanos / 1_000_000_000L, sent, count);
        }
        System.out.printf("[fuzz] %s: %d requests in %.1f s, seed %d (-Dpredictbench.fuzz.seed=%d), statuses %s, %d failures%n",
                expectedStack(), sent, (System.nanoTime() - start) / 1e9, seed, seed, statuses, failures.size());
        failures.forEach(f -> System.out.println("[fuzz] FAIL " + f));
        if (!failures.isEmpty()) {
            fail(failures.size() + " fuzzed requests broke the contract (seed " + seed + "):\n"
                    + String.join("\n", failures));
        }
    }

    /** Why a fuzzed request's answer breaks the contract, or null when it keeps it. */
    private static String fuzzProblem(String path, HttpProbe.Response r) {
        String type = r.header("content-type");
        JsonNode body = r.json();
        if (r.status() >= 500) {
            return "status " + r.status() + ": " + Kit.abbreviate(r.text());
        }
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json") || body == null) {
            return "status " + r.status() + " without a JSON body (" + type + "): " + Kit.abbreviate(r.text());
        }
        if (r.status() >= 200 && r.status() < 300) {
            String field = switch (path) {
                case Contract.EMBED -> "embeddings";
                case Contract.SEARCH -> "results";
                default -> "predictions";
            };
            return body.path(field).isArray() ? null : "a " + r.status() + " without " + field + ": " + Kit.abbreviate(r.text());
        }
        if (r.status() >= 400) {
            ErrorCode code;
            try {
                code = ErrorCode.valueOf(body.path("code").asText());
            } catch (IllegalArgumentException e) {
                return "unknown error code: " + Kit.abbreviate(r.text());
            }
            if (code.status() != r.status() || body.path("error").asText().isBlank()) {
                return "status " + r.status() + " with " + Kit.abbreviate(r.text());
            }
            String text = r.text();
            return text.contains("\tat ") || text.contains("Exception:") ? "stack trace: " + Kit.abbreviate(text) : null;
        }
        return "unexpected status " + r.status();
    }
}
