package dev.predictbench.contract.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictbench.contract.Contract;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {
    private static final String TEXT = """
            # HELP predictbench_overload_rejected_total inference calls refused
            # TYPE predictbench_overload_rejected_total counter
            predictbench_overload_rejected_total{mp_scope="application",} 3.0
            predictbench_overload_rejected_total_other 99
            predictbench_inflight_running 1
            predictbench_inflight_queued{a="x"} 2.0 1764130000000
            predictbench_searches_total{stack="a"} 4
            predictbench_searches_total{stack="b"} 1.5e1
            """;

    @Test
    void readsASampleWithOrWithoutLabelsAndATimestamp() {
        assertEquals(OptionalDouble.of(3.0), PrometheusText.sum(TEXT, Contract.OVERLOAD_REJECTED_COUNTER));
        assertEquals(OptionalDouble.of(1.0), PrometheusText.sum(TEXT, Contract.INFLIGHT_RUNNING_GAUGE));
        assertEquals(OptionalDouble.of(2.0), PrometheusText.sum(TEXT, Contract.INFLIGHT_QUEUED_GAUGE));
    }

    @Test
    void addsUpEveryLabelSet() {
        assertEquals(OptionalDouble.of(19.0), PrometheusText.sum(TEXT, Contract.SEARCHES_COUNTER));
    }

    @Test
    void aMissingMetricOrOnlyItsHelpLinesOrALongerNameIsEmpty() {
        assertFalse(PrometheusText.sum(TEXT, Contract.EMBEDDINGS_COUNTER).isPresent());
        assertFalse(PrometheusText.sum("# TYPE predictbench_embeddings_total counter\n", Contract.EMBEDDINGS_COUNTER).isPresent());
        assertFalse(PrometheusText.sum("predictbench_inflight_running_max 4\n", Contract.INFLIGHT_RUNNING_GAUGE).isPresent());
    }

    @Test
    void aValueThatIsNoNumberIsAnError() {
        assertThrows(IllegalArgumentException.class,
                () -> PrometheusText.sum("predictbench_inflight_running one\n", Contract.INFLIGHT_RUNNING_GAUGE));
    }

    @Test
    void aCounterIsTypedWithOrWithoutItsTotalSuffixAGaugeOnlyByItsName() {
        String text = "# TYPE predictbench_searches counter\n# TYPE predictbench_predictions_total counter\n"
                + "# TYPE predictbench_inflight_running gauge\n";
        assertTrue(PrometheusText.typed(text, "predictbench_searches_total", "counter"));
        assertTrue(PrometheusText.typed(text, "predictbench_predictions_total", "counter"));
        assertTrue(PrometheusText.typed(text, "predictbench_inflight_running", "gauge"));
        assertFalse(PrometheusText.typed(text, "predictbench_inflight_running", "counter"));
        assertFalse(PrometheusText.typed(text, "predictbench_inflight_queued", "gauge"));
    }
}
