package dev.predictbench.gatling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictbench.contract.Stacks;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LlmSettingsTest {
    private static LlmSettings with(String profile, Map<String, String> props) {
        props.forEach(System::setProperty);
        try {
            return LlmSettings.fromSystemProperties(profile);
        } finally {
            props.keySet().forEach(System::clearProperty);
        }
    }

    @Test
    void blankPropertiesAreTheProfilesDefaults() {
        LlmSettings smoke = with("bench-smoke", Map.of("bench.llm", "", "bench.llm.variants", " ", "bench.llm.concurrency", ""));
        assertTrue(smoke.enabled());
        assertEquals(List.of(16, 256), smoke.concurrency());
        assertEquals(Stacks.QUARKUS.variants(), smoke.variantsOf(Stacks.QUARKUS));
        assertEquals(List.of(1, 16, 64, 256, 1024), with("bench", Map.of()).concurrency());
        assertFalse(with("gate", Map.of()).enabled(), "the gate compares one workload's figures; no llm workload");
        assertEquals(600.0, with("bench", Map.of()).objectiveMillis(), "2 x the upstream's 300 ms");
        assertEquals(List.of("blocking"), with("bench", Map.of("bench.llm.variants", "default")).variantsOf(Stacks.QUARKUS));
    }

    @Test
    void badSettingsAreRefusedWithTheirName() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> with("bench", Map.of("bench.llm.concurrency", "64,16")))
                .getMessage().contains("must rise"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> with("bench", Map.of("bench.llm.concurrency", "16,x")))
                .getMessage().contains("bench.llm.concurrency"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> with("bench", Map.of("bench.llm.variants", "some")))
                .getMessage().contains("all or default"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> with("bench", Map.of("bench.llm.objectiveFactor", "1")))
                .getMessage().contains("objectiveFactor"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> with("bench", Map.of("bench.llm", "maybe")))
                .getMessage().contains("true or false"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> with("bench", Map.of("bench.llm.ttftMs", "0")))
                .getMessage().contains("at least 1"));
    }
}
