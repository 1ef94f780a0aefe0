package dev.predictbench.model;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProtectionTest {
    private static final String KEY = "s3cret-key";

    private static ApiException refused(Protection protection, String path, String client, String authorization,
                                        String xApiKey) {
        return assertThrows(ApiException.class, () -> protection.check(path, client, authorization, xApiKey));
    }

    @Test
    void offByDefaultAndLetsEverythingThrough() {
        Protection off = Protection.fromEnvironment();
        assertFalse(off.enabled());
        assertEquals(new Protection.Settings(false, 0), off.settings());
        for (int i = 0; i < 1000; i++) {
            off.check("/predict", "127.0.0.1", null, null);
        }
        assertFalse(Protection.off().enabled());
        assertFalse(new Protection("   ", 0).enabled(), "a blank key is no key");
    }

    @Test
    void missingKeyIs401WithAMessageSayingHowToSendIt() {
        ApiException e = refused(new Protection(KEY, 0), "/predict", "c", null, null);
        assertEquals(ErrorCode.UNAUTHORIZED, e.code());
        assertEquals(401, e.status());
        assertTrue(e.getMessage().contains("Authorization: Bearer"), e.getMessage());
        assertTrue(e.getMessage().contains("X-API-Key"), e.getMessage());
        assertEquals(null, e.retryAfterSeconds());
    }

    @Test
    void wrongKeyIs401AndNeverEchoesTheKey() {
        Protection protection = new Protection(KEY, 0);
        for (String[] headers : new String[][] {{"Bearer wrong", null}, {null, "wrong"}, {"Basic " + KEY, null},
                {"Bearer", null}, {null, ""}, {"Bearer " + KEY + "x", null}, {null, KEY.toUpperCase()}}) {
            ApiException e = refused(protection, "/embed", "c", headers[0], headers[1]);
            assertEquals(ErrorCode.UNAUTHORIZED, e.code());
            assertEquals("the API key is not valid", e.getMessage());
        }
    }

    @Test
    void acceptsTheKeyAsBearerOrXApiKey() {
        Protection protection = new Protection(KEY, 0);
        assertDoesNotThrow(() -> protection.check("/predict", "c", "Bearer " + KEY, null));
        assertDoesNotThrow(() -> protection.check("/predict", "c", "bearer " + KEY, null), "the scheme ignores case");
        assertDoesNotThrow(() -> protection.check("/predict", "c", null, KEY));
        assertDoesNotThrow(() -> protection.check("/predict", "c", "Bearer wrong", KEY), "either header suffices");
        assertEquals(new Protection.Settings(true, 0), protection.settings());
    }

    @Test
    void healthAndMetricsStayOpen() {
        Protection protection = new Protection(KEY, 1);
        for (int i = 0; i < 10; i++) {
            for (String path : new String[] {"/health/live", "/health/ready", "/metrics"}) {
                assertDoesNotThrow(() -> protection.check(path, "c", null, null), path);
            }
        }
        assertEquals(ErrorCode.UNAUTHORIZED, refused(protection, "/info", "other", null, null).code());
        assertEquals(ErrorCode.UNAUTHORIZED, refused(protection, "/metrics/", "another", null, null).code(),
                "only the exact open paths are open");
    }

    @Test
    void burstOverTheRateIs429WithRetryAfterForThatClientOnly() {
        int rate = 3;
        Protection protection = new Protection(null, rate);
        for (int i = 0; i < rate; i++) {
            protection.check("/predict", "10.0.0.1", null, null);
        }
        // The limiter refreshes every second: a slow machine may start a new period in the middle,
        // so keep going (bounded) until the client is refused rather than asserting on the clock.
        ApiException limited = null;
        for (int i = 0; i < 100 * rate && limited == null; i++) {
            try {
                protection.check("/predict", "10.0.0.1", null, null);
            } catch (ApiException e) {
                limited = e;
            }
        }
        assertNotNull(limited, "a burst of " + 100 * rate + " requests was never limited");
        assertEquals(ErrorCode.RATE_LIMITED, limited.code());
        assertEquals(429, limited.status());
        assertEquals(1, limited.retryAfterSeconds());
        assertDoesNotThrow(() -> protection.check("/predict", "10.0.0.2", null, null), "another client has its own budget");
        assertDoesNotThrow(() -> protection.check("/health/ready", "10.0.0.1", null, null), "health is not rate limited");
        assertEquals(new Protection.Settings(false, rate), protection.settings());
    }

    @Test
    void rateLimitComesBeforeTheKeySoGuessingIsLimitedToo() {
        Protection protection = new Protection(KEY, 1);
        assertEquals(ErrorCode.UNAUTHORIZED, refused(protection, "/predict", "guesser", "Bearer a", null).code());
        ApiException next = null;
        for (int i = 0; i < 100 && (next == null || next.code() != ErrorCode.RATE_LIMITED); i++) {
            next = refused(protection, "/predict", "guesser", "Bearer b", null);
        }
        assertEquals(ErrorCode.RATE_LIMITED, next.code());
    }

    @Test
    void settingsComeFromSystemProperties() {
        System.setProperty("predictbench.api.key", KEY);
        System.setProperty("predictbench.rate.limit", "7");
        try {
            Protection protection = Protection.fromEnvironment();
            assertEquals(new Protection.Settings(true, 7), protection.settings());
            assertTrue(protection.enabled());
        } finally {
            System.clearProperty("predictbench.api.key");
            System.clearProperty("predictbench.rate.limit");
        }
        assertThrows(IllegalArgumentException.class, () -> new Protection(null, -1));
    }
}
