package dev.predictbench.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScriptTest {

    @Test
    void vocabularyHasSixtyFourDistinctPlainWords() {
        assertEquals(64, Script.VOCABULARY.size());
        assertEquals(64, new HashSet<>(Script.VOCABULARY).size());
        Script.VOCABULARY.forEach(word -> assertTrue(word.matches("[a-z]+"), word));
    }

    @Test
    void tokensAreDeterministicWithSpacesAfterTheFirst() {
        List<String> tokens = Script.tokens("Hello there", 16);
        assertEquals(tokens, Script.tokens("Hello there", 16));
        assertEquals(16, tokens.size());
        assertFalse(tokens.get(0).startsWith(" "));
        assertTrue(Script.VOCABULARY.contains(tokens.get(0)));
        for (String token : tokens.subList(1, 16)) {
            assertTrue(token.startsWith(" ") && Script.VOCABULARY.contains(token.substring(1)), token);
        }
        assertEquals(tokens.subList(0, 5), Script.tokens("Hello there", 5), "a prefix does not depend on n");
        assertNotEquals(tokens, Script.tokens("Hello there!", 16));
    }

    @Test
    void pinnedValues() {
        // The algorithm is documented for reimplementation elsewhere: pin its hash steps.
        assertEquals(0xcbf29ce484222325L, Script.fnv1a64(new byte[0]));
        assertEquals(0xaf63dc4c8601ec8cL, Script.fnv1a64("a".getBytes()));
        assertEquals(String.join("", Script.tokens("x", 3)), Script.completion("x", 3));
    }

    @Test
    void promptJoinsContentsWithNewlines() {
        assertEquals("sys\nuser", Script.prompt(List.of("sys", "user")));
        assertEquals(2, Script.promptTokens("  two words "));
        assertEquals(0, Script.promptTokens(""));
    }
}
