package dev.predictbench.springboot;

import dev.predictbench.contract.kit.OverloadKit;
import dev.predictbench.model.InflightLimit;
import java.net.URI;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.bean.override.convention.TestBean;

/** The overload kit against the Spring Boot server, its InflightLimit bean replaced by one permit and no queue. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "server.address=127.0.0.1")
class SpringBootOverloadTest extends OverloadKit {
    @LocalServerPort
    private int port;

    @TestBean(methodName = "onePermit")
    private InflightLimit limit;

    static InflightLimit onePermit() {
        return singlePermit();
    }

    @Override
    protected URI baseUri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    @Override
    protected InflightLimit inflightLimit() {
        return limit;
    }
}
