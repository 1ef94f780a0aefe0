package dev.predictbench.equivalence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.predictbench.contract.Stacks;
import dev.predictbench.model.InferenceOptions;
import dev.predictbench.model.genai.SentenceEmbedder;
import dev.predictbench.model.genai.WordNetCorpus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The Python stacks give all-MiniLM-L6-v2 the same token ids as the JVM stacks for the same texts:
 * the load's seeded glosses and texts chosen to differ if the two tokenizers were set up apart
 * (accents, CJK, emoji, combining marks, invisible characters, a text past the 128-token truncation).
 * The Java side is shared-model's tokenizer; the Python side is {@code servers/python/tokens.py} with
 * the Python stacks' own embedder. An embedding equal within 1e-6 could hide a differing token; this
 * compares the tokens themselves.
 */
class TokenIdsIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void pythonTokenizesEveryTextAsTheJavaSideDoes() throws Exception {
        Path root = Stacks.repoRoot();
        Stacks.FASTAPI.unavailable(root).ifPresent(reason -> Assumptions.abort("no Python stacks here: " + reason));
        List<String> texts = new ArrayList<>(WordNetCorpus.load().glossSample(424242L, 240));
        texts.addAll(List.of("a large cat with a mane", "", "   ", "HELLO World", "héllo wörld, naïve café",
                "e\u0301 and \u00e9", "東京 and 北京", "emoji 🙂🚀 and ZWJ 👩‍💻", "zero\u200bwidth", "tab\tand\nnewline",
                "مرحبا بالعالم", "don't stop-believing (1999) #1 @home", "word ".repeat(300).strip()));
        List<List<Long>> python;
        Process p = new ProcessBuilder(root.resolve(Stacks.Launch.PYTHON).toString(),
                root.resolve("servers/python/tokens.py").toString()).directory(root.toFile()).redirectErrorStream(false).start();
        try (var in = p.getOutputStream()) {
            in.write(JSON.writeValueAsBytes(texts));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(true, p.waitFor(120, TimeUnit.SECONDS), "tokens.py did not finish");
        assertEquals(0, p.exitValue(), "tokens.py failed: " + err);
        python = JSON.readValue(out, new TypeReference<>() {
        });
        assertEquals(texts.size(), python.size());
        try (SentenceEmbedder java = SentenceEmbedder.load(InferenceOptions.fromEnvironment())) {
            for (int i = 0; i < texts.size(); i++) {
                List<Long> expected = Arrays.stream(java.tokenIds(texts.get(i))).boxed().toList();
                assertEquals(expected, python.get(i), "token ids of \"" + texts.get(i) + "\"");
            }
            assertEquals(SentenceEmbedder.MAX_TOKENS, python.getLast().size(), "the long text is truncated alike");
        }
    }
}
