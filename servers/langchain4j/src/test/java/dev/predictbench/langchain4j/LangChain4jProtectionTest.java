package dev.predictbench.langchain4j;

import dev.predictbench.javalin.JavalinServer;
import dev.predictbench.javalin.JavalinProtectionTest;
import dev.predictbench.model.PredictService;
import dev.predictbench.model.genai.GenAiService;

/** Javalin's protection test against the LangChain4j stack (hosted on the Javalin glue). */
class LangChain4jProtectionTest extends JavalinProtectionTest {
    @Override
    protected JavalinServer.Stack stack(PredictService service, GenAiService genAi) {
        return LangChain4jServer.stack(service, genAi);
    }
}
