package dev.predictbench.contract.kit;

import dev.predictbench.contract.Stacks;
import dev.predictbench.contract.launch.LaunchedServer;
import dev.predictbench.contract.launch.ServerProcess;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The protection kit against a stack's server started as its own process ({@link LaunchedServer})
 * with the kit's API key and rate limit ({@link #SYSTEM_PROPERTIES} as environment variables).
 */
public abstract class LaunchedProtectionKit extends ProtectionKit {
    private ServerProcess server;

    /** The stack under test. */
    protected abstract Stacks stack();

    @BeforeAll
    final void startServer() {
        server = LaunchedServer.start(stack(), "protection", LaunchedServer.asEnvironment(SYSTEM_PROPERTIES));
    }

    @AfterAll
    final void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected URI baseUri() {
        return server.baseUri();
    }
}
