package dev.predictbench.contract.kit;

import static dev.predictbench.contract.kit.Kit.assertError;
import static dev.predictbench.contract.kit.Kit.assertJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.predictbench.contract.Contract;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The opt-in protection, switched on: every server module runs this against its server started with
 * the API key {@link #API_KEY} and the rate limit {@link #RATE_LIMIT} (through {@link #SYSTEM_PROPERTIES},
 * or its own constructor parameters). Each check connects from a loopback address of its own
 * ({@link HttpProbe#from}), so the per-client rate limit of one check never spills into another.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ProtectionKit {
    /** The key the server under test must be started with. */
    public static final String API_KEY = "kit-key-5f2c9a1e";
    /** Requests per second per client the server under test must be started with. */
    public static final int RATE_LIMIT = 5;
    /** The same settings as the system properties {@code Settings} reads (PREDICTBENCH_API_KEY, PREDICTBENCH_RATE_LIMIT). */
    public static final Map<String, String> SYSTEM_PROPERTIES = Map.of(
            "predictbench.api.key", API_KEY,
            "predictbench.rate.limit", String.valueOf(RATE_LIMIT));

    /** Where the server under test listens (loopback). */
    protected abstract URI baseUri();

    private static void assertUnauthorized(HttpProbe.Response r, String what) {
        assertError(r, 401, "UNAUTHORIZED", what);
        String challenge = r.header("WWW-Authenticate");
        assertNotNull(challenge, what + ": a 401 names its scheme in WWW-Authenticate");
        assertTrue(challenge.startsWith("Bearer"), what + ": WWW-Authenticate was " + challenge);
    }

    @Test
    void missingKeyIs401WithTheContractsErrorAndABearerChallenge() throws Exception {
        try (HttpProbe http = HttpProbe.from(baseUri(), 11)) {
            HttpProbe.Response predict = http.postJson(Contract.PREDICT, BadRequests.instances(BadRequests.validRow()));
            assertUnauthorized(predict, "POST /predict without a key");
            assertTrue(predict.json().path("error").asText().contains("X-API-Key"), predict.text());
            assertUnauthorized(http.get(Contract.MODEL), "GET /model without a key");
        }
    }

    @Test
    void wrongKeyIs401InEitherHeader() throws Exception {
        try (HttpProbe http = HttpProbe.from(baseUri(), 12)) {
            assertUnauthorized(http.get(Contract.MODEL, "Authorization", "Bearer not-" + API_KEY), "wrong Bearer key");
            assertUnauthorized(http.get(Contract.MODEL, "X-API-Key", "not-" + API_KEY), "wrong X-API-Key");
            assertUnauthorized(http.get(Contract.MODEL, "Authorization", "Basic " + API_KEY), "the key under another scheme");
        }
    }

    @Test
    void theKeyIsAcceptedAsBearerAndAsXApiKey() throws Exception {
        try (HttpProbe http = HttpProbe.from(baseUri(), 13)) {
            String body = BadRequests.instances(BadRequests.validRow());
            HttpProbe.Response bearer = http.postJson(Contract.PREDICT, body, "Authorization", "Bearer " + API_KEY);
            assertEquals(200, bearer.status(), bearer.text());
            assertEquals("malignant", bearer.json().path("predictions").get(0).path("label").asText());
            HttpProbe.Response header = http.postJson(Contract.PREDICT, body, "X-API-Key", API_KEY);
            assertEquals(200, header.status(), header.text());
        }
    }

    @Test
    void healthAndMetricsStayOpenWithoutAKeyAndOutsideTheRateLimit() throws Exception {
        try (HttpProbe http = HttpProbe.from(baseUri(), 14)) {
            for (int i = 0; i < 2 * RATE_LIMIT; i++) {
                for (String path : new String[] {Contract.LIVE, Contract.READY, Contract.METRICS}) {
                    HttpProbe.Response r = http.get(path);
                    assertEquals(200, r.status(), path + " without a key, request " + (i + 1) + ": " + r.text());
                }
            }
        }
    }

    @Test
    void aBurstOverTheRateIs429WithRetryAfterForThatClientOnly() throws Exception {
        try (HttpProbe burst = HttpProbe.from(baseUri(), 15)) {
            // The limit is per second: a slow request may let a new second begin mid-burst, so send until
            // refused (bounded) instead of counting on the clock.
            HttpProbe.Response limited = null;
            int sent = 0;
            while (limited == null && sent < 50 * RATE_LIMIT) {
                HttpProbe.Response r = burst.get(Contract.MODEL, "X-API-Key", API_KEY);
                sent++;
                if (r.status() == 429) {
                    limited = r;
                } else {
                    assertEquals(200, r.status(), "request " + sent + " of the burst: " + r.text());
                }
            }
            assertNotNull(limited, sent + " requests in a burst were never rate limited");
            assertTrue(sent > RATE_LIMIT, "the first " + RATE_LIMIT + " requests of a second pass, was refused at " + sent);
            assertError(limited, 429, "RATE_LIMITED", "burst over the rate");
            assertEquals("1", limited.header("Retry-After"), "429 says when to retry");

            try (HttpProbe other = HttpProbe.from(baseUri(), 16)) {
                HttpProbe.Response r = other.get(Contract.MODEL, "X-API-Key", API_KEY);
                assertEquals(200, r.status(), "another client keeps its own budget: " + r.text());
            }
        }
    }

    @Test
    void infoShowsProtectionOnAndTheRateButNeverTheKey() throws Exception {
        HttpProbe.Response r;
        try (HttpProbe http = HttpProbe.from(baseUri(), 17)) {
            r = http.get(Contract.INFO, "Authorization", "Bearer " + API_KEY);
        }
        assertEquals(200, r.status(), r.text());
        assertJson(r);
        JsonNode protection = r.json().path("guards").path("protection");
        assertTrue(protection.path("apiKey").asBoolean(), "guards.protection.apiKey: " + r.text());
        assertEquals(RATE_LIMIT, protection.path("rateLimitPerSecond").asInt(), r.text());
        assertFalse(r.text().contains(API_KEY), "/info must not show the key");
    }
}
