package dev.predictbench.helidon;

import dev.predictbench.contract.kit.ProtectionKit;
import dev.predictbench.model.PredictService;
import dev.predictbench.model.Protection;
import dev.predictbench.model.genai.GenAiService;
import io.helidon.webserver.WebServer;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The protection kit against the Helidon SE server started with the kit's API key and rate limit. */
class HelidonSeProtectionTest extends ProtectionKit {
    private PredictService service;
    private GenAiService genAi;
    private WebServer server;

    @BeforeAll
    void start() {
        service = PredictService.fromEnvironment();
        genAi = GenAiService.fromEnvironment();
        server = Main.server(service, genAi, new Protection(API_KEY, RATE_LIMIT)).host("127.0.0.1").port(0).build().start();
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
}
