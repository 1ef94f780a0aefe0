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
import io.javalin.Javalin;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The overload kit against the Javalin server, its services sharing one permit and no queue. */
class JavalinOverloadTest extends OverloadKit {
    private final InflightLimit limit = singlePermit();
    private PredictService service;
    private GenAiService genAi;
    private Javalin app;

    @BeforeAll
    void start() {
        service = new PredictService(OnnxPredictor.fromEnvironment(), Limits.fromEnvironment(), limit);
        genAi = GenAiService.load(InferenceOptions.fromEnvironment(), GenAiLimits.fromEnvironment(), limit);
        app = JavalinServer.create(service, new JavalinServer.Stack("javalin", JavalinServer.JAVALIN, null,
                        service::predict, genAi), Protection.off())
                .start("127.0.0.1", 0);
    }

    @AfterAll
    void stop() {
        app.stop();
        genAi.close();
        service.close();
    }

    @Override
    protected URI baseUri() {
        return URI.create("http://127.0.0.1:" + app.port());
    }

    @Override
    protected InflightLimit inflightLimit() {
        return limit;
    }
}
