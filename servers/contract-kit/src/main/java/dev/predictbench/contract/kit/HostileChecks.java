package dev.predictbench.contract.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictbench.contract.Contract;
import dev.predictbench.model.ErrorCode;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Requests built to break a server: the hostile corpus ({@link HostileRequests}: protocol, framing,
 * header syntax, methods, URI syntax, bodies), each answered with its contract error or, where the
 * stack's registry entry records it, its HTTP layer's own status; and the requests the RFCs leave
 * to the server, answered below 500. The server stays ready after each.
 */
public interface HostileChecks extends KitTarget {
    @TestFactory
    default Stream<DynamicTest> everyHostileRequestGetsItsErrorCodeAndTheServerStaysReady() {
        return HostileRequests.all().stream().filter(h -> genAi() || !h.genAi())
                .map(h -> DynamicTest.dynamicTest(h.name(), () -> {
                    Kit.Answer a;
                    if (h.request() != null) {
                        BadRequests.BadRequest bad = h.request();
                        a = Kit.Answer.of(HttpProbe.sendAlone(baseUri(), bad.method(), bad.path(), bad.contentType(),
                                bad.body(), bad.chunked()));
                    } else {
                        try {
                            a = Kit.Answer.of(RawHttp.exchange(baseUri(), h.raw(), Kit.HOSTILE_TIMEOUT));
                        } catch (RawHttp.NoResponse e) {
                            if (h.expected() != ErrorCode.BAD_REQUEST || !httpLayer().answersWithoutBody()) {
                                throw new AssertionError(h.name() + ": " + e.getMessage(), e);
                            }
                            a = null;
                        } catch (RawHttp.Hang e) {
                            throw new AssertionError(h.name() + ": " + e.getMessage(), e);
                        }
                    }
                    boolean httpLevel = h.expected() == ErrorCode.BAD_REQUEST || h.expected() == ErrorCode.URI_TOO_LONG
                            || h.expected() == ErrorCode.HEADERS_TOO_LARGE;
                    Integer httpLayer = httpLayer().statuses().get(h.name());
                    if (httpLayer != null && a != null) {
                        assertEquals(httpLayer, a.status(), h.name() + ": the HTTP layer's recorded status");
                        assertTrue(httpLayer().ownBody(a.body().length, a.contentType()),
                                h.name() + ": the HTTP layer's answer has its own body or none: " + a.contentType());
                        System.out.println("[hostile] " + expectedStack() + ": " + h.name() + ": " + httpLayer
                                + " from the HTTP layer (accepted: httpLayer().statuses())");
                    } else if (h.expected() == null) {
                        assertEquals(200, a.status(), h.name() + ": a valid request: " + Kit.abbreviate(a.text()));
                    } else if (a == null) {
                        System.out.println("[hostile] " + expectedStack() + ": " + h.name()
                                + ": connection closed without a response (accepted: httpLayer().answersWithoutBody())");
                    } else if (httpLevel && httpLayer().answersWithoutBody() && httpLayer().ownBody(a.body().length, a.contentType())) {
                        assertEquals(h.expected().status(), a.status(), h.name() + ": status of the HTTP layer's own answer");
                    } else {
                        Kit.assertError(a, h.expected().status(), h.expected().name(), h.name());
                    }
                    assertEquals(200, http().get(Contract.READY).status(), "not ready after " + h.name());
                }));
    }

    @TestFactory
    default Stream<DynamicTest> requestsTheRfcLeavesToTheServerGetAnAnswerBelow500() {
        return HostileRequests.serversChoice().stream().map(h -> DynamicTest.dynamicTest(h.name(), () -> {
            try {
                RawHttp.Response r = RawHttp.exchange(baseUri(), h.raw(), Kit.HOSTILE_TIMEOUT);
                assertTrue(r.status() < 500, h.name() + ": " + r.status() + " " + Kit.abbreviate(r.text()));
            } catch (RawHttp.NoResponse closed) {
                // Closing without an answer is the server's choice too.
            } catch (RawHttp.Hang e) {
                throw new AssertionError(h.name() + ": " + e.getMessage(), e);
            }
            assertEquals(200, http().get(Contract.READY).status(), "not ready after " + h.name());
        }));
    }
}
