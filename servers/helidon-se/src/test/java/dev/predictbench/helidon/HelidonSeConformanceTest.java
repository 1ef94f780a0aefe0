package dev.predictbench.helidon;

import dev.predictbench.contract.kit.InProcessConformanceKit;
import dev.predictbench.model.PredictService;
import dev.predictbench.model.genai.GenAiService;
import io.helidon.webserver.WebServer;

/** The whole conformance kit against the Helidon SE server, started in-process on a free port. */
class HelidonSeConformanceTest extends InProcessConformanceKit {

    @Override
    protected Running start(PredictService service, GenAiService genAi) {
        WebServer server = Main.server(service, genAi).host("127.0.0.1").port(0).build().start();
        return Running.onLoopback(server.port(), server::stop);
    }

    @Override
    public String expectedStack() {
        return Main.STACK;
    }
}
