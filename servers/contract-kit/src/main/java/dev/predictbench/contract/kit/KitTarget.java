package dev.predictbench.contract.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.predictbench.contract.Contract;
import dev.predictbench.contract.Stacks;
import java.net.URI;
import java.util.List;
import java.util.Map;
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

    /**
     * Whether the server's HTTP layer answers requests that are not valid HTTP (expected
     * {@code BAD_REQUEST}, {@code URI_TOO_LONG}, {@code HEADERS_TOO_LARGE}) with the right status
     * but an empty body, because its framework offers no hook to write one: as the stack's entry
     * in {@link Stacks} records it (false for a stack the registry does not know). What the kit
     * then accepts for those cases besides the contract's error: the contract's status with an
     * empty body, or, for {@code BAD_REQUEST} only (a body that breaks HTTP after the request was
     * dispatched, such as a chunk size that is not hex), the connection closed without any
     * response. A hang is never accepted, and the server must answer {@code /health/ready}
     * afterwards either way.
     */
    default boolean httpLayerAnswersWithoutBody() {
        return Stacks.find(expectedStack()).map(Stacks::httpLayerAnswersWithoutBody).orElse(false);
    }

    /**
     * Hostile requests (by {@link HostileRequests} name) that the server's HTTP layer answers itself,
     * before any route or hook, with a status other than the contract's (the value) and an empty
     * body: as the stack's entry in {@link Stacks} records them, each with why. The kit accepts
     * exactly that status and nothing else for them.
     */
    default Map<String, Integer> httpLayerStatuses() {
        return Stacks.find(expectedStack()).map(Stacks::httpLayerStatuses).orElse(Map.of());
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
