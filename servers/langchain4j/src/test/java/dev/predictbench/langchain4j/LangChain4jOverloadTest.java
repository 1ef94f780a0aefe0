package dev.predictbench.langchain4j;

import dev.predictbench.javalin.JavalinServer;
import dev.predictbench.javalin.JavalinOverloadTest;
import dev.predictbench.model.PredictService;
import dev.predictbench.model.genai.GenAiService;

/**
 * Javalin's overload test against the LangChain4j stack: LangChain4j's own embedding and retrieval
 * calls ({@link GlossRetrieval}) must be shed like the others.
 */
class LangChain4jOverloadTest extends JavalinOverloadTest {
    @Override
    protected JavalinServer.Stack stack(PredictService service, GenAiService genAi) {
        return LangChain4jServer.stack(service, genAi);
    }
}
