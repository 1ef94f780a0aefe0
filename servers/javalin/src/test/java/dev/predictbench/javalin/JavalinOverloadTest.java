package dev.predictbench.javalin;

import dev.predictbench.contract.kit.OverloadKit;
import dev.predictbench.model.InferenceOptions;
import dev.predictbench.model.InflightLimit;
import dev.predictbench.model.Limits;
import dev.predictbench.model.OnnxPredictor;
import dev.predictbench.model.PredictService;
import dev.predictbench.model.Protection;
import dev.predictbench.model.genai.GenAiLimits;
import dev.predictbench.model.genai.GenAiService;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The overload kit against a stack on the Javalin glue ({@link #stack}: Javalin's own here), its
 * services sharing one permit and no queue.
 */
public class JavalinOverloadTest extends OverloadKit {
    private final InflightLimit limit = singlePermit();
    private JavalinServer.Running server;

    /** The stack under test, on the Javalin glue. */
    protected JavalinServer.Stack stack(PredictService service, GenAiService genAi) {
        return JavalinServer.stack(service, genAi);
    }

    @BeforeAll
    void start() {
        PredictService service = new PredictService(OnnxPredictor.fromEnvironment(), Limits.fromEnvironment(), limit);
        GenAiService genAi = GenAiService.load(InferenceOptions.fromEnvironment(), GenAiLimits.fromEnvironment(), limit);
        server = JavalinServer.serve(service, genAi, stack(service, genAi), Protection.off(), "127.0.0.1", 0);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Override
    protected URI baseUri() {
        return server.baseUri();
    }

    @Override
    protected InflightLimit inflightLimit() {
        return limit;
    }
}
