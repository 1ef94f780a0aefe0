package dev.predictbench.contract.kit;

import dev.predictbench.contract.Stacks;
import dev.predictbench.contract.launch.LaunchedServer;
import dev.predictbench.contract.launch.ServerProcess;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The whole conformance kit, with the GenAI checks, against a stack's server started as its own
 * process the way the runner starts it ({@link LaunchedServer}); the test names the stack.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class LaunchedConformanceKit implements ConformanceKit, GenAiChecks {
    private ServerProcess server;

    /** The stack under test. */
    protected abstract Stacks stack();

    @BeforeAll
    final void startServer() {
        server = LaunchedServer.start(stack(), "conformance", Map.of());
    }

    @AfterAll
    final void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    public URI baseUri() {
        return server.baseUri();
    }

    @Override
    public String expectedStack() {
        return stack().id();
    }
}
