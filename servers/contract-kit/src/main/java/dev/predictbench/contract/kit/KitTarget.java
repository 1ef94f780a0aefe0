package dev.predictbench.contract.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.predictbench.contract.Contract;
import dev.predictbench.contract.Stacks;
import java.net.URI;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * The server a conformance test checks: where it listens and which stack it must say it is. The
 * topic checks ({@link PredictChecks}, {@link HostileChecks}, ...) extend this interface; a stack's
 * test composes them (see {@link ConformanceKit}) and implements the two methods below.
 */
public interface KitTarget {
    /** Where the server under test listens, e.g. {@code http://127.0.0.1:41234}. */
    URI baseUri();

    /** The stack name the server must report in {@code /info}: its id in {@link Stacks}. */
    String expectedStack();

    /**
     * Whether the server under test serves the GenAI workload: true exactly when its test composes
     * {@link GenAiChecks}. The hostile corpus, the fuzzer and the Accept checks then send the
     * workload's requests too.
     */
    default boolean genAi() {
        return this instanceof GenAiChecks;
    }

    /** What the server's HTTP layer answers itself, as its entry in {@link Stacks} records it (nothing for an unknown stack). */
    default Stacks.HttpLayer httpLayer() {
        return Stacks.find(expectedStack()).map(Stacks::httpLayer).orElse(Stacks.HttpLayer.NONE);
    }

    /**
     * One test per bad request of {@code corpus}, sent on its own: the answer is its contract error,
     * and the server is ready afterwards.
     */
    default Stream<DynamicTest> eachGetsItsContractError(List<BadRequests.BadRequest> corpus) {
        return corpus.stream().map(bad -> DynamicTest.dynamicTest(bad.name(), () -> {
            HttpProbe.Response r = http().send(bad.method(), bad.path(), bad.contentType(), bad.body(), bad.chunked());
            Kit.assertError(r, bad.expected().status(), bad.expected().name(), bad.name());
            assertEquals(200, http().get(Contract.READY).status(), "not ready after " + bad.name());
        }));
    }

    /** A client of the server under test. */
    default HttpProbe http() {
        return new HttpProbe(baseUri());
    }
}
