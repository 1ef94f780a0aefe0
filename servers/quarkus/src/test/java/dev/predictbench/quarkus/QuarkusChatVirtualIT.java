package dev.predictbench.quarkus;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** /chat (and /predict's sample thread in /info) in the {@code virtual} variant: @RunOnVirtualThread. */
@QuarkusIntegrationTest
@TestProfile(QuarkusChatVirtualIT.Virtual.class)
class QuarkusChatVirtualIT extends ChatChecks {
    public static class Virtual extends VariantProfile {
        @Override
        String variant() {
            return "virtual";
        }
    }

    @Override
    String variant() {
        return "virtual";
    }

    @Override
    String threadingModel() {
        return "event-loop+virtual-threads";
    }

    @Override
    boolean handlerThreadIsRight(String thread) {
        return thread.endsWith("(virtual)");
    }

    @Test
    void infoRunsOnAVirtualThreadLikePredict() throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "info")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        String thread = new ObjectMapper().readTree(body).path("threading").path("predictThread").asText();
        assertTrue(thread.endsWith("(virtual)"), thread);
    }

    @Test
    void theInternalPathIsNotReachable() throws Exception {
        int status = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "_variant/virtual/info")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
        assertTrue(status == 404, "status " + status);
    }
}
