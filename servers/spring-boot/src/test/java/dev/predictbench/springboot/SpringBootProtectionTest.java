package dev.predictbench.springboot;

import dev.predictbench.contract.kit.ProtectionKit;
import dev.predictbench.model.Protection;
import java.net.URI;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.bean.override.convention.TestBean;

/** The protection kit against the Spring Boot server, its Protection bean switched on with the kit's key and rate. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "server.address=127.0.0.1")
class SpringBootProtectionTest extends ProtectionKit {
    @LocalServerPort
    private int port;

    @TestBean
    private Protection protection;

    static Protection protection() {
        return new Protection(API_KEY, RATE_LIMIT);
    }

    @Override
    protected URI baseUri() {
        return URI.create("http://127.0.0.1:" + port);
    }
}
