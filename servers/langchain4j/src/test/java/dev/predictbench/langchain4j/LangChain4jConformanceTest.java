package dev.predictbench.langchain4j;

import dev.predictbench.contract.ConformanceKit;
import dev.predictbench.model.PredictService;
import io.javalin.Javalin;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The whole conformance kit against the LangChain4j server, started in-process on a free port. */
class LangChain4jConformanceTest extends ConformanceKit {
    private PredictService service;
    private Javalin app;

    @BeforeAll
    void start() {
        service = PredictService.fromEnvironment();
        app = LangChain4jServer.create(service).start("127.0.0.1", 0);
    }

    @AfterAll
    void stop() {
        app.stop();
        service.close();
    }

    @Override
    protected URI baseUri() {
        return URI.create("http://127.0.0.1:" + app.port());
    }

    @Override
    protected String expectedStack() {
        return "langchain4j";
    }
}
