package dev.predictbench.langchain4j;

import dev.predictbench.javalin.JavalinChatTest;
import dev.predictbench.javalin.JavalinServer;
import dev.predictbench.model.PredictService;
import dev.predictbench.model.chat.ChatSettings;
import dev.predictbench.model.genai.GenAiService;

/** Javalin's {@code /chat} test against the LangChain4j stack: its OpenAI chat models, on the Javalin glue. */
class LangChain4jChatTest extends JavalinChatTest {
    @Override
    protected JavalinServer.Stack stack(PredictService service, GenAiService genAi, ChatSettings chat) {
        return LangChain4jServer.stack(service, genAi, chat);
    }

    @Override
    protected String expectedClient() {
        return "LangChain4j OpenAiStreamingChatModel " + LangChain4jServer.VERSION + " over the JDK HttpClient";
    }
}
