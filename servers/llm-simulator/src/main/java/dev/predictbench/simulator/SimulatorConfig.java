package dev.predictbench.simulator;

/**
 * How an {@link LlmSimulator} listens and answers by default: the address, the time to first token,
 * the inter-token latency, the completion length and the number of event-loop threads. A request's
 * {@code #sim} directive overrides the timing and length for that one request.
 *
 * @param host        the address to bind ("127.0.0.1" by default; "0.0.0.0" for every interface)
 * @param port        the port to bind; 0 picks a free one ({@link LlmSimulator#port()} tells which)
 * @param ttftMs      milliseconds from a request to its first token
 * @param itlMs       milliseconds between two tokens
 * @param tokens      tokens in a completion
 * @param threads     Netty event-loop threads, which accept connections and serve every stream
 */
public record SimulatorConfig(String host, int port, long ttftMs, long itlMs, int tokens, int threads) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final long DEFAULT_TTFT_MS = 300;
    public static final long DEFAULT_ITL_MS = 100;
    public static final int DEFAULT_TOKENS = 16;
    public static final int DEFAULT_THREADS = 1;
    /** The largest delay a config or a directive may set: ten minutes. */
    public static final long MAX_DELAY_MS = 600_000;
    /** The most tokens a config or a directive may ask for. */
    public static final int MAX_TOKENS = 100_000;
    public static final int MAX_THREADS = 256;

    public SimulatorConfig {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        if (ttftMs < 0 || ttftMs > MAX_DELAY_MS) {
            throw new IllegalArgumentException("ttft-ms must be 0.." + MAX_DELAY_MS + ", was " + ttftMs);
        }
        if (itlMs < 0 || itlMs > MAX_DELAY_MS) {
            throw new IllegalArgumentException("itl-ms must be 0.." + MAX_DELAY_MS + ", was " + itlMs);
        }
        if (tokens < 1 || tokens > MAX_TOKENS) {
            throw new IllegalArgumentException("tokens must be 1.." + MAX_TOKENS + ", was " + tokens);
        }
        if (threads < 1 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("threads must be 1.." + MAX_THREADS + ", was " + threads);
        }
    }

    /** 127.0.0.1, any free port, ttft 300 ms, itl 100 ms, 16 tokens, one event-loop thread. */
    public static SimulatorConfig defaults() {
        return new SimulatorConfig(DEFAULT_HOST, 0, DEFAULT_TTFT_MS, DEFAULT_ITL_MS, DEFAULT_TOKENS, DEFAULT_THREADS);
    }

    public SimulatorConfig withHost(String newHost) {
        return new SimulatorConfig(newHost, port, ttftMs, itlMs, tokens, threads);
    }

    public SimulatorConfig withPort(int newPort) {
        return new SimulatorConfig(host, newPort, ttftMs, itlMs, tokens, threads);
    }

    public SimulatorConfig withTtftMs(long newTtftMs) {
        return new SimulatorConfig(host, port, newTtftMs, itlMs, tokens, threads);
    }

    public SimulatorConfig withItlMs(long newItlMs) {
        return new SimulatorConfig(host, port, ttftMs, newItlMs, tokens, threads);
    }

    public SimulatorConfig withTokens(int newTokens) {
        return new SimulatorConfig(host, port, ttftMs, itlMs, newTokens, threads);
    }

    public SimulatorConfig withThreads(int newThreads) {
        return new SimulatorConfig(host, port, ttftMs, itlMs, tokens, newThreads);
    }
}
