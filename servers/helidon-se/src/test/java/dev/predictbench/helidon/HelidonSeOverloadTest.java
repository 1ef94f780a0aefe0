package dev.predictbench.helidon;

import dev.predictbench.contract.kit.OverloadKit;
import dev.predictbench.model.InferenceOptions;
import dev.predictbench.model.InflightLimit;
import dev.predictbench.model.Limits;
import dev.predictbench.model.OnnxPredictor;
import dev.predictbench.model.PredictService;
import dev.predictbench.model.Protection;
import dev.predictbench.model.genai.GenAiLimits;
import dev.predictbench.model.genai.GenAiService;
import io.helidon.webserver.WebServer;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The overload kit against the Helidon SE server, its services sharing one permit and no queue. */
class HelidonSeOverloadTest extends OverloadKit {
    private final InflightLimit limit = singlePermit();
    private PredictService service;
    private GenAiService genAi;
    private WebServer server;

    @BeforeAll
    void start() {
        service = new PredictService(OnnxPredictor.fromEnvironment(), Limits.fromEnvironment(), limit);
        genAi = GenAiService.load(InferenceOptions.fromEnvironment(), GenAiLimits.fromEnvironment(), limit);
        server = Main.server(service, genAi, Protection.off()).host("127.0.0.1").port(0).build().start();
    }

    @AfterAll
    void stop() {
        server.stop();
        genAi.close();
        service.close();
    }

    @Override
    protected URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    @Override
    protected InflightLimit inflightLimit() {
        return limit;
    }
}
