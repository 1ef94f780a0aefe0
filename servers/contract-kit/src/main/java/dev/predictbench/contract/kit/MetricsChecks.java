package dev.predictbench.contract.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictbench.contract.Contract;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** {@code GET /metrics}: Prometheus text with every meter of the contract, counting what it serves. */
public interface MetricsChecks extends KitTarget {
    @Test
    default void metricsArePrometheusTextWithACounterOfPredictions() throws Exception {
        double before = predictionsCounted();
        assertEquals(200, http().postJson(Contract.PREDICT,
                BadRequests.instances(BadRequests.validRow(), BadRequests.validRow())).status());
        double after = predictionsCounted();
        assertTrue(after >= before + 2, "counter must count predicted rows: before " + before + ", after " + after);
    }

    @Test
    default void metricsExportEveryMeterOfTheContract() throws Exception {
        String text = metricsText();
        for (String sample : Contract.METRIC_SAMPLES) {
            OptionalDouble value = PrometheusText.sum(text, sample);
            assertTrue(value.isPresent(), "no sample of " + sample + " in /metrics");
            assertTrue(value.getAsDouble() >= 0, sample + " is " + value.getAsDouble());
        }
        for (String counter : List.of(Contract.EMBEDDINGS_COUNTER, Contract.SEARCHES_COUNTER, Contract.OVERLOAD_REJECTED_COUNTER)) {
            assertTrue(PrometheusText.typed(text, counter, "counter"), counter + " is not typed as a counter");
        }
        for (String gauge : List.of(Contract.INFLIGHT_RUNNING_GAUGE, Contract.INFLIGHT_QUEUED_GAUGE)) {
            assertTrue(PrometheusText.typed(text, gauge, "gauge"), gauge + " is not typed as a gauge");
        }
    }

    private String metricsText() throws Exception {
        HttpProbe.Response r = http().get(Contract.METRICS);
        assertEquals(200, r.status());
        String type = r.header("content-type");
        assertNotNull(type, "/metrics needs a Content-Type");
        assertTrue(type.startsWith("text/plain") || type.startsWith("application/openmetrics-text"),
                "Prometheus text expected, got " + type);
        return r.text();
    }

    private double predictionsCounted() throws Exception {
        String text = metricsText();
        assertTrue(PrometheusText.typed(text, Contract.PREDICTIONS_COUNTER, "counter"),
                "no counter " + Contract.PREDICTIONS_COUNTER + " in /metrics");
        OptionalDouble total = PrometheusText.sum(text, Contract.PREDICTIONS_COUNTER);
        assertTrue(total.isPresent(), "no sample of " + Contract.PREDICTIONS_COUNTER);
        return total.getAsDouble();
    }
}
