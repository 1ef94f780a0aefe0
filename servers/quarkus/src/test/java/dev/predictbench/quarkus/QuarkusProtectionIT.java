package dev.predictbench.quarkus;

import dev.predictbench.contract.kit.ProtectionKit;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.util.Map;

/**
 * The protection kit against the built artifact started with the kit's API key and rate limit: the
 * test profile's overrides reach the launched JVM as system properties, which {@code Settings} reads.
 */
@QuarkusIntegrationTest
@TestProfile(QuarkusProtectionIT.ProtectionOn.class)
class QuarkusProtectionIT extends ProtectionKit {
    @TestHTTPResource("/")
    URL base;

    public static class ProtectionOn implements QuarkusTestProfile {
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
