package dev.predictbench.quarkus;

import dev.predictbench.contract.kit.ConformanceKit;
import dev.predictbench.contract.kit.GenAiChecks;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.util.Map;

/**
 * The whole conformance kit against the built artifact in the virtual variant, where /predict,
 * /embed, /search and /info run on virtual threads through {@link VirtualResource}: the same
 * answers, errors included, as the default variant's.
 */
@QuarkusIntegrationTest
@TestProfile(QuarkusConformanceVirtualIT.Virtual.class)
class QuarkusConformanceVirtualIT implements ConformanceKit, GenAiChecks {
    @TestHTTPResource("/")
    URL base;

    public static class Virtual implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("predictbench.variant", "virtual");
        }
    }

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
