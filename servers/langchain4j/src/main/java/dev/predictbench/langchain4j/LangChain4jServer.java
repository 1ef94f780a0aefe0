package dev.predictbench.langchain4j;

import dev.langchain4j.service.tool.DefaultToolExecutor;
import dev.predictbench.javalin.JavalinServer;
import dev.predictbench.javalin.Variant;
import dev.predictbench.model.PredictService;
import dev.predictbench.model.Protection;
import dev.predictbench.model.Settings;
import dev.predictbench.model.chat.ChatSettings;
import dev.predictbench.model.genai.GenAiService;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The LangChain4j row (the article's LangChain served with LangServe): the Javalin glue as is for
 * HTTP, with {@code /predict} answered by a LangChain4j tool call ({@link ToolCallPipeline}) and
 * {@code /embed} and {@code /search} by LangChain4j's retrieval pieces ({@link GlossRetrieval}), so
 * the difference between this row and Javalin's is LangChain4j's own cost. {@code /chat} goes through
 * LangChain4j's OpenAI chat models ({@link LangChain4jChatBackend}).
 */
public final class LangChain4jServer {
    /** LangChain4j's version, from the pom.properties in its jar (its manifest carries none). */
    public static final String VERSION = langChain4jVersion();
    /** LangChain4j's name and version, for {@code /info}. */
    public static final String LANGCHAIN4J = "LangChain4j " + VERSION;

    private LangChain4jServer() {
    }

    public static void main(String[] args) {
        // First, so a wrong PREDICTBENCH_VARIANT stops the start before anything is loaded.
        Variant variant = Variant.fromEnvironment();
        PredictService service = PredictService.fromEnvironment();
        GenAiService genAi = GenAiService.fromEnvironment();
        JavalinServer.Running running = JavalinServer.serve(service, genAi, stack(service, genAi),
                Protection.fromEnvironment(), Settings.host(), Settings.port(), variant);
        Runtime.getRuntime().addShutdownHook(new Thread(running::close, "shutdown"));
    }

    /** The LangChain4j stack for the Javalin glue (the embedding store is filled here). */
    public static JavalinServer.Stack stack(PredictService service, GenAiService genAi) {
        return stack(service, genAi, ChatSettings.fromEnvironment());
    }

    /** The LangChain4j stack, {@code /chat} answered by LangChain4j's OpenAI models against the upstream {@code chat} names. */
    public static JavalinServer.Stack stack(PredictService service, GenAiService genAi, ChatSettings chat) {
        ToolCallPipeline pipeline = new ToolCallPipeline(new ClassifierTool(service));
        return new JavalinServer.Stack("langchain4j", LANGCHAIN4J, JavalinServer.JAVALIN, pipeline::predict,
                new GlossRetrieval(genAi), new LangChain4jChatBackend(chat));
    }

    private static String langChain4jVersion() {
        String resource = "/META-INF/maven/dev.langchain4j/langchain4j/pom.properties";
        try (InputStream in = DefaultToolExecutor.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing " + resource + ": cannot tell LangChain4j's version");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
