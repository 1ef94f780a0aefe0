package dev.predictbench.contract.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictbench.contract.Contract;
import dev.predictbench.model.ErrorCode;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Accept headers: the contract's JSON whatever they say, and the one 406 of {@code /metrics}. */
public interface AcceptChecks extends KitTarget {
    @TestFactory
    default Stream<DynamicTest> anAcceptHeaderWithoutJsonStillGetsTheContractsJson() {
        return Kit.ACCEPT_WITHOUT_JSON.stream().map(accept -> DynamicTest.dynamicTest("Accept: " + accept, () -> {
            HttpProbe http = http();
            byte[] row = BadRequests.instances(BadRequests.validRow()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            HttpProbe.Response predicted = http.send("POST", Contract.PREDICT, BadRequests.JSON, row, false, "Accept", accept);
            assertEquals(200, predicted.status(), "POST /predict: " + Kit.abbreviate(predicted.text()));
            Kit.assertJson(predicted);
            assertEquals("malignant", predicted.json().path("predictions").path(0).path("label").asText(), predicted.text());
            for (String path : List.of(Contract.INFO, Contract.MODEL, Contract.READY)) {
                HttpProbe.Response r = http.send("GET", path, null, new byte[0], false, "Accept", accept);
                assertEquals(200, r.status(), "GET " + path + ": " + Kit.abbreviate(r.text()));
                Kit.assertJson(r);
            }
            Kit.assertError(http.send("POST", Contract.PREDICT, BadRequests.JSON,
                            "{\"instances\": []}".getBytes(java.nio.charset.StandardCharsets.UTF_8), false, "Accept", accept),
                    400, ErrorCode.EMPTY_BATCH.name(), "POST /predict with an empty batch");
            Kit.assertError(http.send("GET", "/no-such-path", null, new byte[0], false, "Accept", accept),
                    404, ErrorCode.NOT_FOUND.name(), "GET /no-such-path");
            if (genAi()) {
                HttpProbe.Response found = http.send("POST", Contract.SEARCH, BadRequests.JSON,
                        "{\"query\": \"a benign nucleus\", \"k\": 1}".getBytes(java.nio.charset.StandardCharsets.UTF_8), false,
                        "Accept", accept);
                assertEquals(200, found.status(), "POST /search: " + Kit.abbreviate(found.text()));
                Kit.assertJson(found);
            }
        }));
    }



    @TestFactory
    default Stream<DynamicTest> metricsAnswersEveryAcceptHeaderThatAllowsPrometheusText() {
        return Kit.METRICS_ACCEPT_SERVED.stream().map(accept -> DynamicTest.dynamicTest("Accept: " + accept, () -> {
            HttpProbe.Response r = http().send("GET", Contract.METRICS, null, new byte[0], false, "Accept", accept);
            assertEquals(200, r.status(), Kit.abbreviate(r.text()));
            String type = r.header("content-type");
            assertNotNull(type, "/metrics needs a Content-Type");
            assertTrue(type.startsWith("text/plain") || type.startsWith("application/openmetrics-text"),
                    "Prometheus text or OpenMetrics expected, got " + type);
            assertTrue(r.text().contains(Contract.PREDICTIONS_COUNTER.replace("_total", "")), "no predictions counter: "
                    + Kit.abbreviate(r.text()));
        }));
    }



    @TestFactory
    default Stream<DynamicTest> metricsRefusesAnAcceptHeaderThatAllowsNeitherFormatWithA406() {
        return Kit.METRICS_ACCEPT_REFUSED.stream().map(accept -> DynamicTest.dynamicTest("Accept: " + accept, () -> {
            Kit.assertError(http().send("GET", Contract.METRICS, null, new byte[0], false, "Accept", accept),
                    406, ErrorCode.NOT_ACCEPTABLE.name(), "GET /metrics, Accept: " + accept);
            assertEquals(200, http().get(Contract.READY).status(), "healthy afterwards");
        }));
    }
}
