package dev.predictbench.javalin;

import dev.predictbench.contract.kit.ProtectionKit;
import dev.predictbench.model.PredictService;
import dev.predictbench.model.Protection;
import dev.predictbench.model.genai.GenAiService;
import io.javalin.Javalin;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The protection kit against the Javalin server started with the kit's API key and rate limit. */
class JavalinProtectionTest extends ProtectionKit {
    private PredictService service;
    private GenAiService genAi;
    private Javalin app;

    @BeforeAll
    void start() {
        service = PredictService.fromEnvironment();
        genAi = GenAiService.fromEnvironment();
        app = JavalinServer.create(service, new JavalinServer.Stack("javalin", JavalinServer.JAVALIN, null,
                        service::predict, genAi), new Protection(API_KEY, RATE_LIMIT))
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
}
