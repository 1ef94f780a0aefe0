package dev.predictbench.langchain;

import dev.predictbench.contract.Stacks;
import dev.predictbench.contract.kit.ConformanceKit;
import dev.predictbench.contract.kit.GenAiChecks;
import dev.predictbench.contract.launch.LaunchedServer;
import dev.predictbench.contract.launch.ServerProcess;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The whole conformance kit, with the GenAI checks, against the LangChain server (on the FastAPI glue) started as the runner starts it. */
class LangChainConformanceIT implements ConformanceKit, GenAiChecks {
    static ServerProcess server;

    @BeforeAll
    static void start() {
        server = LaunchedServer.start(Stacks.LANGCHAIN, "conformance", Map.of());
    }

    @AfterAll
    static void stop() {
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
        return Stacks.LANGCHAIN.id();
    }
}
