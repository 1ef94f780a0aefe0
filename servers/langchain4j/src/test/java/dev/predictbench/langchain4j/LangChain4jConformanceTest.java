package dev.predictbench.langchain4j;

import dev.predictbench.contract.kit.InProcessConformanceKit;
import dev.predictbench.javalin.JavalinServer;
import dev.predictbench.model.PredictService;
import dev.predictbench.model.Protection;
import dev.predictbench.model.genai.GenAiService;
import io.javalin.Javalin;

/** The whole conformance kit against the LangChain4j server (on Javalin), started in-process on a free port. */
class LangChain4jConformanceTest extends InProcessConformanceKit {

    @Override
    protected Running start(PredictService service, GenAiService genAi) {
        Javalin app = JavalinServer.create(service, LangChain4jServer.stack(service, genAi), Protection.off())
                .start("127.0.0.1", 0);
        return Running.onLoopback(app.port(), app::stop);
    }

    @Override
    public String expectedStack() {
        return "langchain4j";
    }
}
