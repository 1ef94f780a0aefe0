package dev.predictbench.helidon;

import dev.predictbench.contract.ConformanceKit;
import dev.predictbench.model.PredictService;
import io.helidon.webserver.WebServer;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The whole conformance kit against the Helidon SE server, started in-process on a free port. */
class HelidonSeConformanceTest extends ConformanceKit {
    private PredictService service;
    private WebServer server;

    @BeforeAll
    void start() {
        service = PredictService.fromEnvironment();
        server = Main.server(service).host("127.0.0.1").port(0).build().start();
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.stop();
        }
        if (service != null) {
            service.close();
        }
    }

    @Override
    protected URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    @Override
    protected String expectedStack() {
        return Main.STACK;
    }
}
