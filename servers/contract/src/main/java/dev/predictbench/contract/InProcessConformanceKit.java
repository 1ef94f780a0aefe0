package dev.predictbench.contract;

import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The conformance kit for a server its test starts in-process: the test only says how to start it
 * on a free loopback port and how to stop it; the kit owns the lifecycle.
 */
public abstract class InProcessConformanceKit extends ConformanceKit {
    /** A started server: where it listens and how to stop it (and free what it holds). */
    protected record Running(URI baseUri, Runnable stop) {
        public static Running onLoopback(int port, Runnable stop) {
            return new Running(URI.create("http://127.0.0.1:" + port), stop);
        }
    }

    private Running running;

    /** Starts the server under test on 127.0.0.1 with a free port and default settings. */
    protected abstract Running start();

    @BeforeAll
    final void startServer() {
        running = start();
    }

    @AfterAll
    final void stopServer() {
        if (running != null) {
            running.stop().run();
        }
    }

    @Override
    protected final URI baseUri() {
        return running.baseUri();
    }
}
