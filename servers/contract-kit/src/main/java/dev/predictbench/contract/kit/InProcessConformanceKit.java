package dev.predictbench.contract.kit;

import dev.predictbench.model.PredictService;
import dev.predictbench.model.genai.GenAiService;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The conformance kit for a server its test starts in-process: the kit loads the shared services
 * (as a server's main would, with default settings) and closes them afterwards; the test only says
 * how to put its server on a free loopback port around them and how to stop it. Every in-process
 * server serves the GenAI endpoints, so their checks run too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class InProcessConformanceKit implements ConformanceKit, GenAiChecks {
    /** A started server: where it listens and how to stop it. */
    protected record Running(URI baseUri, Runnable stop) {
        public static Running onLoopback(int port, Runnable stop) {
            return new Running(URI.create("http://127.0.0.1:" + port), stop);
        }
    }

    private PredictService service;
    private GenAiService genAi;
    private Running running;

    /** Starts the server under test on 127.0.0.1 with a free port, serving these services. */
    protected abstract Running start(PredictService service, GenAiService genAi);

    @BeforeAll
    final void startServer() {
        service = PredictService.fromEnvironment();
        genAi = GenAiService.fromEnvironment();
        running = start(service, genAi);
    }

    @AfterAll
    final void stopServer() {
        if (running != null) {
            running.stop().run();
        }
        if (genAi != null) {
            genAi.close();
        }
        if (service != null) {
            service.close();
        }
    }

    @Override
    public final URI baseUri() {
        return running.baseUri();
    }
}
