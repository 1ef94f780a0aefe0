package dev.predictbench.langchain4j;

import dev.predictbench.contract.InProcessConformanceKit;
import dev.predictbench.model.PredictService;
import io.javalin.Javalin;

/** The whole conformance kit against the LangChain4j server (on Javalin), started in-process on a free port. */
class LangChain4jConformanceTest extends InProcessConformanceKit {

    @Override
    protected Running start() {
        PredictService service = PredictService.fromEnvironment();
        Javalin app = LangChain4jServer.create(service).start("127.0.0.1", 0);
        return Running.onLoopback(app.port(), () -> {
            app.stop();
            service.close();
        });
    }

    @Override
    protected String expectedStack() {
        return "langchain4j";
    }
}
