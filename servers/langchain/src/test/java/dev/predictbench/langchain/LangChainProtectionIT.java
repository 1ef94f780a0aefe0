package dev.predictbench.langchain;

import dev.predictbench.contract.Stacks;
import dev.predictbench.contract.kit.ProtectionKit;
import dev.predictbench.contract.launch.LaunchedServer;
import dev.predictbench.contract.launch.ServerProcess;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The protection kit against the LangChain server (on the FastAPI glue) started with the kit's API key and rate limit. */
class LangChainProtectionIT extends ProtectionKit {
    ServerProcess server;

    @BeforeAll
    void start() {
        server = LaunchedServer.start(Stacks.LANGCHAIN, "protection", LaunchedServer.asEnvironment(SYSTEM_PROPERTIES));
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
