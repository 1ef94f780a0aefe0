package dev.predictbench.langchain;

import dev.predictbench.contract.Stacks;
import dev.predictbench.contract.kit.OverloadKit;
import dev.predictbench.contract.launch.LaunchedServer;
import dev.predictbench.contract.launch.ServerProcess;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The overload kit against the LangChain server (on the FastAPI glue) started with one inference call in flight and no
 * queue, for the server as a whole (all its worker processes).
 */
class LangChainOverloadIT extends OverloadKit {
    ServerProcess server;

    @BeforeAll
    void start() {
        server = LaunchedServer.start(Stacks.LANGCHAIN, "overload", LaunchedServer.asEnvironment(SYSTEM_PROPERTIES));
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
