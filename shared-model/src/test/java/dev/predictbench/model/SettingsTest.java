package dev.predictbench.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void serversBindToLoopbackUnlessHostSaysOtherwise() {
        assumeTrue(System.getenv("HOST") == null, "HOST is set in this environment");
        assertEquals("127.0.0.1", Settings.host());
        System.setProperty("host", "0.0.0.0");
        try {
            assertEquals("0.0.0.0", Settings.host());
        } finally {
            System.clearProperty("host");
        }
    }

    @Test
    void aSystemPropertyNamesTheEnvironmentVariableInLowerCaseWithDots() {
        assertEquals("predictbench.api.key", Settings.propertyName("PREDICTBENCH_API_KEY"));
        System.setProperty("predictbench.rate.limit", " 12 ");
        try {
            assertEquals(12, Settings.intValue("PREDICTBENCH_RATE_LIMIT", 0));
            System.setProperty("predictbench.rate.limit", "many");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Settings.intValue("PREDICTBENCH_RATE_LIMIT", 0));
            assertEquals("PREDICTBENCH_RATE_LIMIT must be a whole number, got 'many'", e.getMessage());
        } finally {
            System.clearProperty("predictbench.rate.limit");
        }
    }
}
