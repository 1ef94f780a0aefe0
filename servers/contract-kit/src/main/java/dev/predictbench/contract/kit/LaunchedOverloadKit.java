package dev.predictbench.contract.kit;

import dev.predictbench.contract.Stacks;
import dev.predictbench.contract.launch.LaunchedServer;
import dev.predictbench.contract.launch.ServerProcess;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The overload kit against a stack's server started as its own process ({@link LaunchedServer})
 * with the kit's settings ({@link #SYSTEM_PROPERTIES} as environment variables): one inference call
 * in flight and no queue, for the server as a whole (all its worker processes).
 */
public abstract class LaunchedOverloadKit extends OverloadKit {
    private ServerProcess server;

    /** The stack under test. */
    protected abstract Stacks stack();

    @BeforeAll
    final void startServer() {
        server = LaunchedServer.start(stack(), "overload", LaunchedServer.asEnvironment(SYSTEM_PROPERTIES));
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
