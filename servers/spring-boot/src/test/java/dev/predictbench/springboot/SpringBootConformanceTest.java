package dev.predictbench.springboot;

import dev.predictbench.contract.kit.ConformanceKit;
import dev.predictbench.contract.kit.GenAiChecks;
import java.net.URI;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The whole conformance kit, with the GenAI checks (the server serves /embed and /search), against
 * the Spring Boot server: Boot starts the real application on Tomcat at a free loopback port and
 * the kit runs once it is up.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "server.address=127.0.0.1")
class SpringBootConformanceTest implements ConformanceKit, GenAiChecks {
    @LocalServerPort
    private int port;

    @Override
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    @Override
    public String expectedStack() {
        return PredictController.STACK;
    }
}
