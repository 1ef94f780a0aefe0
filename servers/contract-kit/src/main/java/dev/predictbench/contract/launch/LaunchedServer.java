package dev.predictbench.contract.launch;

import dev.predictbench.contract.Contract;
import dev.predictbench.contract.Stacks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;

/**
 * A stack's server started as its own process for a test class, the way the runner starts it (the
 * stacks that cannot run in-process, such as the Python ones): on a free loopback port, ready before
 * the first check, its log under {@code target/it-logs/}. A stack whose build said it cannot run on
 * this machine (no python3) is skipped with that reason, never failed and never silently passed.
 */
public final class LaunchedServer {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(240);

    private LaunchedServer() {
    }

    /**
     * Starts {@code stack} with {@code environment} and waits for {@code /health/ready}.
     *
     * @param purpose names the log file ({@code target/it-logs/<stack>-<purpose>.log})
     */
    public static ServerProcess start(Stacks stack, String purpose, Map<String, String> environment) {
        ServerProcess server;
        try {
            server = ServerProcess.start(stack, Stacks.repoRoot(), JvmSettings.defaults(),
                    Path.of("target", "it-logs", stack.id() + "-" + purpose + ".log"), environment);
        } catch (ServerProcess.Unavailable e) {
            Assumptions.abort(e.getMessage());
            throw e;
        }
        try {
            server.awaitOk(Contract.READY, null, READY_TIMEOUT);
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /**
     * Settings given as the system properties a JVM server reads ({@code predictbench.max.inflight})
     * as the environment variables every server reads ({@code PREDICTBENCH_MAX_INFLIGHT}).
     */
    public static Map<String, String> asEnvironment(Map<String, String> systemProperties) {
        Map<String, String> environment = new TreeMap<>();
        systemProperties.forEach((name, value) -> environment.put(name.toUpperCase(Locale.ROOT).replace('.', '_'), value));
        return environment;
    }
}
