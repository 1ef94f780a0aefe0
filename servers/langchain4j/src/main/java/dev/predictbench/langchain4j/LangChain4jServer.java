package dev.predictbench.langchain4j;

import dev.langchain4j.service.tool.DefaultToolExecutor;
import dev.predictbench.javalin.JavalinServer;
import dev.predictbench.model.PredictService;
import dev.predictbench.model.Protection;
import dev.predictbench.model.Settings;
import dev.predictbench.model.genai.GenAiService;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The LangChain4j row (the article's LangChain served with LangServe): the Javalin glue as is for
 * HTTP, with {@code /predict} answered by a LangChain4j tool call ({@link ToolCallPipeline}) and
 * {@code /embed} and {@code /search} by LangChain4j's retrieval pieces ({@link GlossRetrieval}), so
 * the difference between this row and Javalin's is LangChain4j's own cost.
 */
public final class LangChain4jServer {
    /** LangChain4j's version, from the pom.properties in its jar (its manifest carries none). */
    public static final String LANGCHAIN4J = "LangChain4j " + langChain4jVersion();

    private LangChain4jServer() {
    }

    public static void main(String[] args) {
        PredictService service = PredictService.fromEnvironment();
        GenAiService genAi = GenAiService.fromEnvironment();
        Javalin app = create(service, genAi, Protection.fromEnvironment()).start(Settings.host(), Settings.port());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.stop();
            genAi.close();
            service.close();
        }, "shutdown"));
    }

    /** The application, not yet started (the embedding store is filled here), with the environment's protection. */
    public static Javalin create(PredictService service, GenAiService genAi) {
        return create(service, genAi, Protection.fromEnvironment());
    }

    /** The application, not yet started, guarded by {@code protection} (Javalin's before handler). */
    public static Javalin create(PredictService service, GenAiService genAi, Protection protection) {
        ToolCallPipeline pipeline = new ToolCallPipeline(new ClassifierTool(service));
        return JavalinServer.create(service, new JavalinServer.Stack("langchain4j", LANGCHAIN4J, JavalinServer.JAVALIN,
                pipeline::predict, new GlossRetrieval(genAi)), protection);
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
