package dev.predictbench.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class MetricsAcceptTest {
    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "*/*", "text/*", "text/plain", "TEXT/PLAIN", "text/plain; version=0.0.4; charset=utf-8",
            "application/openmetrics-text", "application/openmetrics-text;version=1.0.0",
            // Prometheus's own scrape header.
            "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1",
            "application/json, */*;q=0.1", "image/png, text/plain;q=0.2", "application/*", "text/plain;q=abc"})
    void headersThatAllowPrometheusTextOrOpenMetrics(String accept) {
        assertTrue(MetricsAccept.acceptable(accept), accept);
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "application/xml", "foo/bar", "text/html", "image/png, application/json",
            "text/plain;q=0", "text/plain;q=0, application/openmetrics-text;q=0, */*", "text/*;q=0, application/*;q=0",
            "plain", "/", "text/", ";;;", ","})
    void headersThatAllowNeither(String accept) {
        assertFalse(MetricsAccept.acceptable(accept), accept);
        ApiException e = assertThrows(ApiException.class, () -> MetricsAccept.check(accept));
        assertEquals(ErrorCode.NOT_ACCEPTABLE, e.code());
        assertEquals(406, e.status());
        assertTrue(e.getMessage().contains("text/plain"), e.getMessage());
    }

    @Test
    void absentHeaderIsServed() {
        assertTrue(MetricsAccept.acceptable(null));
    }

    @Test
    void theMostSpecificRangeDecides() {
        assertEquals(0, MetricsAccept.quality("text/plain;q=0, */*", "text", "plain"));
        assertEquals(0.5, MetricsAccept.quality("*/*;q=0.1, text/*;q=0.5", "text", "plain"));
        assertEquals(0.1, MetricsAccept.quality("*/*;q=0.1, text/html", "text", "plain"));
        assertEquals(0, MetricsAccept.quality("text/html", "text", "plain"));
    }

    @Test
    void theMessageNeverEchoesControlCharactersOrLongHeaders() {
        String message = MetricsAccept.notAcceptable("foo/bar\u0001" + "x".repeat(1000)).getMessage();
        assertFalse(message.contains("\u0001"));
        assertTrue(message.length() < 400, message);
    }
}
