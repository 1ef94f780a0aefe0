package dev.predictbench.quarkus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** PREDICTBENCH_VARIANT's names, and the start-up failure for an unknown one. */
class VariantTest {
    @Test
    void knowsTheThreeVariants() {
        assertEquals(Variant.BLOCKING, Variant.of("blocking"));
        assertEquals(Variant.VIRTUAL, Variant.of(" Virtual "));
        assertEquals(Variant.REACTIVE, Variant.of("reactive"));
    }

    @Test
    void anUnknownVariantNamesTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Variant.of("platform"));
        assertTrue(e.getMessage().contains("'platform'") && e.getMessage().contains("blocking, virtual, reactive"),
                e.getMessage());
    }
}
