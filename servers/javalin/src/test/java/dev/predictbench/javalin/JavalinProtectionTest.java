package dev.predictbench.javalin;

import dev.predictbench.contract.kit.ProtectionKit;
import dev.predictbench.model.PredictService;
import dev.predictbench.model.Protection;
import dev.predictbench.model.genai.GenAiService;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The protection kit against a stack on the Javalin glue ({@link #stack}: Javalin's own here),
 * started with the kit's API key and rate limit.
 */
public class JavalinProtectionTest extends ProtectionKit {
    private JavalinServer.Running server;

    /** The stack under test, on the Javalin glue. */
    protected JavalinServer.Stack stack(PredictService service, GenAiService genAi) {
        return JavalinServer.stack(service, genAi);
    }

    @BeforeAll
    void start() {
        PredictService service = PredictService.fromEnvironment();
        GenAiService genAi = GenAiService.fromEnvironment();
        server = JavalinServer.serve(service, genAi, stack(service, genAi), new Protection(API_KEY, RATE_LIMIT),
                "127.0.0.1", 0);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Override
    protected URI baseUri() {
        return server.baseUri();
    }
}
