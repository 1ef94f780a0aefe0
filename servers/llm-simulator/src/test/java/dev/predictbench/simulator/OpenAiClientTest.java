package dev.predictbench.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** LangChain4j's OpenAI client, a real one, accepts the simulator as its upstream. */
class OpenAiClientTest {

    private static LlmSimulator sim;

    @BeforeAll
    static void start() {
        sim = LlmSimulator.start(SimulatorConfig.defaults().withTtftMs(20).withItlMs(5).withTokens(12));
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @Test
    void streamingPartialsJoinToTheScript() throws Exception {
        OpenAiStreamingChatModel model = OpenAiStreamingChatModel.builder()
                .baseUrl(sim.baseUrl()).apiKey("unused").modelName("predictbench-sim")
                .timeout(Duration.ofSeconds(10)).build();
        List<String> partials = new CopyOnWriteArrayList<>();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        model.chat(List.of(SystemMessage.from("You are terse."), UserMessage.from("Tell me a story")),
                new StreamingChatResponseHandler() {
                    @Override
                    public void onPartialResponse(String partial) {
                        partials.add(partial);
                    }

                    @Override
                    public void onCompleteResponse(ChatResponse response) {
                        done.complete(response);
                    }

                    @Override
                    public void onError(Throwable error) {
                        done.completeExceptionally(error);
                    }
                });
        ChatResponse response = done.get(10, TimeUnit.SECONDS);
        List<String> expected = Script.tokens(Script.prompt(List.of("You are terse.", "Tell me a story")), 12);
        assertEquals(expected, partials);
        assertEquals(String.join("", expected), response.aiMessage().text());
        assertEquals("predictbench-sim", response.metadata().modelName());
        if (response.tokenUsage() != null) {
            assertEquals(12, response.tokenUsage().outputTokenCount());
        }
    }

    @Test
    void nonStreamingAnswerIsTheScript() {
        OpenAiChatModel model = OpenAiChatModel.builder()
                .baseUrl(sim.baseUrl()).apiKey("unused").modelName("predictbench-sim")
                .timeout(Duration.ofSeconds(10)).build();
        String prompt = "What is the weather?\n#sim tokens=7";
        ChatResponse response = model.chat(UserMessage.from(prompt));
        assertEquals(Script.completion(prompt, 7), response.aiMessage().text());
        assertNotNull(response.tokenUsage());
        assertEquals(7, response.tokenUsage().outputTokenCount());
        assertEquals(Script.promptTokens(prompt), response.tokenUsage().inputTokenCount());
        assertEquals("stop", response.finishReason().name().toLowerCase());
    }
}
