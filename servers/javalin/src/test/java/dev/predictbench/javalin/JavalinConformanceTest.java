package dev.predictbench.javalin;

import dev.predictbench.contract.kit.InProcessConformanceKit;
import dev.predictbench.model.PredictService;
import dev.predictbench.model.Protection;
import dev.predictbench.model.genai.GenAiService;
import io.javalin.Javalin;

/**
 * The whole conformance kit against a stack on the Javalin glue ({@link #stack}: Javalin's own
 * here), started in-process on a free port.
 */
public class JavalinConformanceTest extends InProcessConformanceKit {

    /** The stack under test, on the Javalin glue. */
    protected JavalinServer.Stack stack(PredictService service, GenAiService genAi) {
        return JavalinServer.stack(service, genAi);
    }

    @Override
    protected Running start(PredictService service, GenAiService genAi) {
        Javalin app = JavalinServer.create(service, stack(service, genAi), Protection.off()).start("127.0.0.1", 0);
        return Running.onLoopback(app.port(), app::stop);
    }

    @Override
    public String expectedStack() {
        return "javalin";
    }
}
