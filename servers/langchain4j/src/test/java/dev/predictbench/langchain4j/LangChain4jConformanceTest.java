package dev.predictbench.langchain4j;

import dev.predictbench.javalin.JavalinServer;
import dev.predictbench.javalin.JavalinConformanceTest;
import dev.predictbench.model.PredictService;
import dev.predictbench.model.genai.GenAiService;

/** Javalin's conformance test against the LangChain4j stack (hosted on the Javalin glue). */
class LangChain4jConformanceTest extends JavalinConformanceTest {
    @Override
    protected JavalinServer.Stack stack(PredictService service, GenAiService genAi) {
        return LangChain4jServer.stack(service, genAi);
    }

    @Override
    public String expectedStack() {
        return "langchain4j";
    }
}
