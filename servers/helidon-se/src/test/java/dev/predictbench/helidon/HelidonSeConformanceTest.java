package dev.predictbench.helidon;

import dev.predictbench.contract.InProcessConformanceKit;
import dev.predictbench.model.PredictService;
import io.helidon.webserver.WebServer;

/** The whole conformance kit against the Helidon SE server, started in-process on a free port. */
class HelidonSeConformanceTest extends InProcessConformanceKit {

    @Override
    protected Running start() {
        PredictService service = PredictService.fromEnvironment();
        WebServer server = Main.server(service).host("127.0.0.1").port(0).build().start();
        return Running.onLoopback(server.port(), () -> {
            server.stop();
            service.close();
        });
    }

    @Override
    protected String expectedStack() {
        return Main.STACK;
    }
}
