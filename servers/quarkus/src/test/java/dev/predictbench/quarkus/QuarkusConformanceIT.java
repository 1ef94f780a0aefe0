package dev.predictbench.quarkus;

import dev.predictbench.contract.kit.ConformanceKit;
import dev.predictbench.contract.kit.GenAiChecks;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;

/**
 * The whole conformance kit, with the GenAI checks, against the built artifact: Quarkus starts
 * {@code target/quarkus-app/quarkus-run.jar} in its own JVM (prod profile) on a free port
 * ({@code quarkus.http.test-port=0}) and injects its address. What Quarkus's HTTP layer answers
 * itself is recorded in the registry ({@code Stacks.QUARKUS}), and the kit reads it there.
 */
@QuarkusIntegrationTest
class QuarkusConformanceIT implements ConformanceKit, GenAiChecks {
    @TestHTTPResource("/")
    URL base;

    @Override
    public URI baseUri() {
        try {
            return base.toURI();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String expectedStack() {
        return "quarkus";
    }
}
