package dev.predictbench.contract.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BadRequestCorpusTest {

    @Test
    void badRequestCorpusHasAtLeastFortyKindsWithUniqueNames() {
        assertTrue(BadRequests.all().size() >= 40, "only " + BadRequests.all().size());
        assertEquals(BadRequests.all().size(), BadRequests.all().stream().map(BadRequests.BadRequest::name).distinct().count(),
                "names must be unique");
    }

    @Test
    void genAiBadRequestCorpusHasUniqueNamesAndCoversEveryNewCode() {
        var all = GenAiBadRequests.all();
        assertEquals(all.size(), all.stream().map(BadRequests.BadRequest::name).distinct().count(), "names must be unique");
        for (var code : List.of("EMPTY_TEXT", "TEXT_TOO_LONG", "TOO_MANY_TEXTS", "K_OUT_OF_RANGE", "EMPTY_BATCH",
                "MISSING_FIELD", "MISTYPED_FIELD", "UNKNOWN_FIELD", "MALFORMED_JSON")) {
            assertTrue(all.stream().anyMatch(b -> b.expected().name().equals(code)), code);
        }
        assertEquals(1001, GenAiBadRequests.text(1001).length());
    }
}
