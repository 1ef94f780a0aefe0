package dev.predictbench.springboot;

import dev.predictbench.contract.kit.ConformanceKit;
import java.net.URI;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The whole conformance kit against the Spring Boot server: Boot starts the real application on
 * Tomcat at a free loopback port and the kit runs once it is up.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "server.address=127.0.0.1")
class SpringBootConformanceTest extends ConformanceKit {
    @LocalServerPort
    private int port;

    @Override
    protected URI baseUri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    @Override
    protected String expectedStack() {
        return PredictController.STACK;
    }

    /** The server serves POST /embed and POST /search: hold it to the kit's GenAI checks too. */
    @Override
    protected boolean genAi() {
        return true;
    }
}
