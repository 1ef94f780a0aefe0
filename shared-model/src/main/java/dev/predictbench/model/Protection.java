package dev.predictbench.model;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The opt-in protection every server applies in its own framework's filter: an API key and a
 * per-client rate limit, both off unless the environment switches them on (benchmarks run with
 * both off). One rule for all stacks, so a 401 or a 429 means the same thing on each.
 *
 * <ul>
 *   <li>{@code PREDICTBENCH_API_KEY}: when set, every request except {@link #OPEN_PATHS} must carry
 *       it as {@code Authorization: Bearer <key>} or {@code X-API-Key: <key>}; otherwise 401
 *       {@link ErrorCode#UNAUTHORIZED} (servers add {@code WWW-Authenticate: Bearer}).</li>
 *   <li>{@code PREDICTBENCH_RATE_LIMIT}: when above 0, each client (its remote address) may send that
 *       many requests per second (resilience4j's RateLimiter, one per client, refreshed every second);
 *       past it, 429 {@link ErrorCode#RATE_LIMITED} with {@code Retry-After: 1}.</li>
 * </ul>
 * The rate limit is checked first, so guessing keys is rate limited too.
 */
public final class Protection {
    /** Paths that stay open when protection is on: health and metrics, for orchestrators and scrapers. */
    public static final Set<String> OPEN_PATHS = Set.of("/health/live", "/health/ready", "/metrics");
    /** Clients remembered at most; past it the table starts over (a bound on memory, not a policy). */
    static final int MAX_CLIENTS = 10_000;

    /** What {@code /info} shows: whether the key is on (never the key) and the rate limit (0 = off). */
    public record Settings(boolean apiKey, int rateLimitPerSecond) {
    }

    private final byte[] apiKey;
    private final int rateLimitPerSecond;
    private final RateLimiterConfig rateConfig;
    private final ConcurrentMap<String, RateLimiter> limiters = new ConcurrentHashMap<>();

    public Protection(String apiKey, int rateLimitPerSecond) {
        if (rateLimitPerSecond < 0) {
            throw new IllegalArgumentException("PREDICTBENCH_RATE_LIMIT must be 0 (off) or more, got " + rateLimitPerSecond);
        }
        this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey.getBytes(StandardCharsets.UTF_8);
        this.rateLimitPerSecond = rateLimitPerSecond;
        this.rateConfig = rateLimitPerSecond == 0 ? null : RateLimiterConfig.custom()
                .limitForPeriod(rateLimitPerSecond)
                .limitRefreshPeriod(Duration.ofSeconds(1))
                .timeoutDuration(Duration.ZERO)
                .build();
    }

    public static Protection fromEnvironment() {
        return new Protection(dev.predictbench.model.Settings.string("PREDICTBENCH_API_KEY", null),
                dev.predictbench.model.Settings.intValue("PREDICTBENCH_RATE_LIMIT", 0));
    }

    public static Protection off() {
        return new Protection(null, 0);
    }

    public Settings settings() {
        return new Settings(apiKey != null, rateLimitPerSecond);
    }

    /** Whether any check is on: a filter may skip itself entirely when not. */
    public boolean enabled() {
        return apiKey != null || rateConfig != null;
    }

    public static boolean isOpen(String path) {
        return OPEN_PATHS.contains(path);
    }

    /**
     * Checks one request.
     *
     * @param path          the request path (without the query)
     * @param client        the client's identity for the rate limit: its remote address
     * @param authorization the {@code Authorization} header, or null
     * @param xApiKey       the {@code X-API-Key} header, or null
     * @throws ApiException {@link ErrorCode#RATE_LIMITED} or {@link ErrorCode#UNAUTHORIZED}
     */
    public void check(String path, String client, String authorization, String xApiKey) {
        if (!enabled() || isOpen(path)) {
            return;
        }
        if (rateConfig != null) {
            if (limiters.size() > MAX_CLIENTS) {
                limiters.clear();
            }
            RateLimiter limiter = limiters.computeIfAbsent(client == null ? "" : client,
                    c -> RateLimiter.of("client", rateConfig));
            if (!limiter.acquirePermission()) {
                throw new ApiException(ErrorCode.RATE_LIMITED, "more than " + rateLimitPerSecond
                        + " requests per second from this client; retry after 1 s", 1);
            }
        }
        if (apiKey != null && !(matches(bearer(authorization)) || matches(xApiKey))) {
            throw new ApiException(ErrorCode.UNAUTHORIZED, authorization == null && xApiKey == null
                    ? "this server needs an API key: send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'"
                    : "the API key is not valid");
        }
    }

    private static String bearer(String authorization) {
        if (authorization == null || authorization.length() < 7
                || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return authorization.substring(7).trim();
    }

    private boolean matches(String candidate) {
        return candidate != null && MessageDigest.isEqual(apiKey, candidate.getBytes(StandardCharsets.UTF_8));
    }
}
