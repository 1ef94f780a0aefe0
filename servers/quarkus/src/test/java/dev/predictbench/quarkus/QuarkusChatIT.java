package dev.predictbench.quarkus;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

/** /chat in the default variant, {@code blocking}: the handler on a Quarkus worker thread (executor-thread-N). */
@QuarkusIntegrationTest
@TestProfile(QuarkusChatIT.Blocking.class)
class QuarkusChatIT extends ChatChecks {
    public static class Blocking extends VariantProfile {
        @Override
        String variant() {
            return "blocking";
        }
    }

    @Override
    String variant() {
        return "blocking";
    }

    @Override
    String threadingModel() {
        return "event-loop+workers";
    }

    @Override
    boolean handlerThreadIsRight(String thread) {
        return thread.startsWith("executor-thread-") && !thread.contains("virtual");
    }
}
