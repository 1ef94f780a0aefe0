package dev.predictbench.quarkus;

import dev.predictbench.contract.kit.ConformanceKit;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;

/**
 * The whole conformance kit against the built artifact: Quarkus starts
 * {@code target/quarkus-app/quarkus-run.jar} in its own JVM (prod profile) on a free port
 * ({@code quarkus.http.test-port=0}) and injects its address.
 */
@QuarkusIntegrationTest
class QuarkusConformanceIT extends ConformanceKit {
    @TestHTTPResource("/")
    URL base;

    @Override
    protected URI baseUri() {
        try {
            return base.toURI();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected String expectedStack() {
        return "quarkus";
    }

    /**
     * Quarkus gives no hook for Vert.x's answer to a request that is not HTTP (it does not expose
     * {@code HttpServer.invalidRequestHandler}, quarkusio/quarkus#55082): Vert.x answers 400, 414
     * and 431 with an empty body, and closes the connection on a chunk that breaks mid-body.
     */
    @Override
    protected boolean httpLayerAnswersWithoutBody() {
        return dev.predictbench.contract.Stacks.QUARKUS.httpLayerAnswersWithoutBody();
    }

    /** Quarkus's HTTP layer answers a target outside its root path with 404, before any hook. */
    @Override
    protected java.util.Map<String, Integer> httpLayerStatuses() {
        return dev.predictbench.contract.Stacks.QUARKUS.httpLayerStatuses();
    }

    /** The server serves POST /embed and POST /search: hold it to the kit's GenAI checks too. */
    @Override
    protected boolean genAi() {
        return true;
    }
}
