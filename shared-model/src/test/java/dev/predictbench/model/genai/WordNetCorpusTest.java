package dev.predictbench.model.genai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class WordNetCorpusTest {

    @Test
    void holdsTheFirst20000NounSynsetsInOffsetOrder() {
        WordNetCorpus corpus = WordNetCorpus.load();
        assertEquals(20_000, corpus.size());
        assertEquals(new WordNetCorpus.Entry(0, "00001740", List.of("entity"),
                "that which is perceived or known or inferred to have its own distinct existence (living or nonliving)"),
                corpus.entry(0));
        assertEquals("03643491", corpus.entry(19_999).synset());
        for (int i = 1; i < corpus.size(); i++) {
            WordNetCorpus.Entry e = corpus.entry(i);
            assertEquals(i, e.index());
            assertTrue(e.synset().matches("\\d{8}"), e.synset());
            assertTrue(e.synset().compareTo(corpus.entry(i - 1).synset()) > 0, "offsets ascend at " + i);
            assertTrue(!e.words().isEmpty() && !e.gloss().isBlank(), "entry " + i);
        }
        assertEquals(List.of("lion", "king of beasts", "Panthera leo"), corpus.entry(11_097).words());
    }

    @Test
    void theWordNetLicenceTravelsWithTheData() throws Exception {
        for (String name : List.of("wordnet-LICENSE.txt", "NOTICE")) {
            try (InputStream in = WordNetCorpus.class.getResourceAsStream(WordNetCorpus.FOLDER + name)) {
                assertNotNull(in, name);
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(text.contains("WordNet 3.0"), name);
            }
        }
    }
}
