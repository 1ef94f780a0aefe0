package dev.predictbench.quarkus;

import dev.predictbench.contract.kit.OverloadKit;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.util.Map;

/**
 * The overload kit against the built artifact started with one inference call in flight and no
 * queue. The server runs in its own JVM, so the kit cannot hold its permit: the concurrent check
 * covers it, the held-permit check is skipped.
 */
@QuarkusIntegrationTest
@TestProfile(QuarkusOverloadIT.SinglePermit.class)
class QuarkusOverloadIT extends OverloadKit {
    @TestHTTPResource("/")
    URL base;

    public static class SinglePermit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return SYSTEM_PROPERTIES;
        }
    }

    @Override
    protected URI baseUri() {
        try {
            return base.toURI();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
