package dev.predictbench.model.chat;

import dev.predictbench.model.Settings;
import java.net.URI;
import java.time.Duration;

/**
 * Where {@code /chat} sends its conversations and how much it may hold open, read once at start-up.
 *
 * @param upstream    the OpenAI-compatible base URL ({@code PREDICTBENCH_UPSTREAM_URL}); chats go to
 *                    {@code <upstream>/chat/completions}
 * @param model       the {@code model} field sent upstream ({@code PREDICTBENCH_UPSTREAM_MODEL})
 * @param timeout     the longest wait to connect, for the upstream's response headers, and between two
 *                    chunks of its stream ({@code PREDICTBENCH_UPSTREAM_TIMEOUT_MS})
 * @param pool        the most connections the upstream client keeps to the upstream
 *                    ({@code PREDICTBENCH_UPSTREAM_POOL}): at least the largest concurrency measured,
 *                    so the client's pool is never what a run measures
 * @param maxInflight concurrent {@code /chat} requests before 503 OVERLOADED
 *                    ({@code PREDICTBENCH_CHAT_MAX_INFLIGHT}); sized for waiting on I/O, not for CPU
 */
public record ChatSettings(URI upstream, String model, Duration timeout, int pool, int maxInflight) {
    public static final String DEFAULT_UPSTREAM = "http://127.0.0.1:8090/v1";
    public static final String DEFAULT_MODEL = "predictbench-sim";
    public static final int DEFAULT_TIMEOUT_MS = 10_000;
    public static final int DEFAULT_POOL = 2048;
    public static final int DEFAULT_MAX_INFLIGHT = 2048;

    public ChatSettings {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("PREDICTBENCH_UPSTREAM_TIMEOUT_MS must be positive, got " + timeout.toMillis());
        }
        if (pool < 1) {
            throw new IllegalArgumentException("PREDICTBENCH_UPSTREAM_POOL must be at least 1, got " + pool);
        }
        if (maxInflight < 1) {
            throw new IllegalArgumentException("PREDICTBENCH_CHAT_MAX_INFLIGHT must be at least 1, got " + maxInflight);
        }
        String scheme = upstream.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme) || upstream.getHost() == null) {
            throw new IllegalArgumentException("PREDICTBENCH_UPSTREAM_URL must be an http(s) URL, got '" + upstream + "'");
        }
    }

    /** The settings from the environment (or system properties), with the defaults above. */
    public static ChatSettings fromEnvironment() {
        String url = Settings.string("PREDICTBENCH_UPSTREAM_URL", DEFAULT_UPSTREAM);
        URI uri;
        try {
            uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("PREDICTBENCH_UPSTREAM_URL is not a URL: '" + url + "'", e);
        }
        return new ChatSettings(uri, Settings.string("PREDICTBENCH_UPSTREAM_MODEL", DEFAULT_MODEL),
                Duration.ofMillis(Settings.intValue("PREDICTBENCH_UPSTREAM_TIMEOUT_MS", DEFAULT_TIMEOUT_MS)),
                Settings.intValue("PREDICTBENCH_UPSTREAM_POOL", DEFAULT_POOL),
                Settings.intValue("PREDICTBENCH_CHAT_MAX_INFLIGHT", DEFAULT_MAX_INFLIGHT));
    }

    /** The URL chats are POSTed to. */
    public URI completions() {
        return URI.create(upstream + "/chat/completions");
    }

    /** The stack's threading-model variant, {@code PREDICTBENCH_VARIANT}, or the given default. */
    public static String variant(String frameworkDefault) {
        return Settings.string("PREDICTBENCH_VARIANT", frameworkDefault);
    }
}
