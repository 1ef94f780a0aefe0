package dev.predictbench.flask;

import dev.predictbench.contract.Stacks;
import dev.predictbench.contract.kit.ProtectionKit;
import dev.predictbench.contract.launch.LaunchedServer;
import dev.predictbench.contract.launch.ServerProcess;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The protection kit against the Flask server started with the kit's API key and rate limit. */
class FlaskProtectionIT extends ProtectionKit {
    ServerProcess server;

    @BeforeAll
    void start() {
        server = LaunchedServer.start(Stacks.FLASK, "protection", LaunchedServer.asEnvironment(SYSTEM_PROPERTIES));
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected URI baseUri() {
        return server.baseUri();
    }
}
