package dev.predictbench.quarkus;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

/** /chat in the {@code reactive} variant: a Vert.x route and Vert.x's HttpClient on the event loop. */
@QuarkusIntegrationTest
@TestProfile(QuarkusChatReactiveIT.Reactive.class)
class QuarkusChatReactiveIT extends ChatChecks {
    public static class Reactive extends VariantProfile {
        @Override
        String variant() {
            return "reactive";
        }
    }

    @Override
    String variant() {
        return "reactive";
    }

    @Override
    String threadingModel() {
        return "event-loop+workers-for-inference";
    }

    @Override
    boolean handlerThreadIsRight(String thread) {
        return thread.startsWith("vert.x-eventloop-thread-");
    }
}
