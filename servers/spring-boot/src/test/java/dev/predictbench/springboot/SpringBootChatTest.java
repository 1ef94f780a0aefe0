package dev.predictbench.springboot;

import dev.predictbench.model.chat.ChatSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.bean.override.convention.TestBean;

/** /chat on the default variant (Tomcat's platform pool), against a fake upstream. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "server.address=127.0.0.1")
class SpringBootChatTest extends ChatChecks {
    static final FakeUpstream UPSTREAM = start();

    @LocalServerPort
    private int port;

    @TestBean(methodName = "fakeUpstream")
    private ChatSettings settings;

    static FakeUpstream start() {
        try {
            return new FakeUpstream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ChatSettings fakeUpstream() {
        return new ChatSettings(UPSTREAM.baseUri(), MODEL, Duration.ofMillis(TIMEOUT_MS), 64, 64);
    }

    @AfterAll
    static void stopUpstream() throws IOException {
        UPSTREAM.close();
    }

    @Override
    protected URI baseUri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    @Override
    protected FakeUpstream upstream() {
        return UPSTREAM;
    }

    @Override
    protected String variant() {
        return "platform";
    }

    @Override
    protected String handlerWord() {
        return "platform";
    }
}
