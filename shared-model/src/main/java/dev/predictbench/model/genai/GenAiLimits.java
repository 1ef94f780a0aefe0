package dev.predictbench.model.genai;

import dev.predictbench.model.Settings;

/**
 * Limits of the GenAI endpoints every server enforces: texts per {@code /embed} call (default 16),
 * characters per text or query (default 1,000, counted as Unicode code points) and the largest
 * {@code k} of {@code /search} (default 50). {@code PREDICTBENCH_MAX_TEXTS},
 * {@code PREDICTBENCH_MAX_TEXT_CHARS} and {@code PREDICTBENCH_MAX_K} change them. A search without
 * {@code k} gets {@link #DEFAULT_K} (or {@code maxK} when that is smaller). The body-size limit is
 * {@link dev.predictbench.model.Limits#maxBodyBytes()}, as for {@code /predict}.
 */
public record GenAiLimits(int maxTexts, int maxTextChars, int maxK) {
    public static final GenAiLimits DEFAULT = new GenAiLimits(16, 1000, 50);
    /** The number of results of a search that does not say. */
    public static final int DEFAULT_K = 5;

    public GenAiLimits {
        if (maxTexts < 1 || maxTextChars < 1 || maxK < 1) {
            throw new IllegalArgumentException("GenAI limits must be at least 1, got maxTexts=" + maxTexts
                    + " maxTextChars=" + maxTextChars + " maxK=" + maxK);
        }
        if (maxK > WordNetCorpus.SIZE) {
            throw new IllegalArgumentException("maxK " + maxK + " is larger than the corpus (" + WordNetCorpus.SIZE + ")");
        }
    }

    public static GenAiLimits fromEnvironment() {
        return new GenAiLimits(Settings.intValue("PREDICTBENCH_MAX_TEXTS", DEFAULT.maxTexts),
                Settings.intValue("PREDICTBENCH_MAX_TEXT_CHARS", DEFAULT.maxTextChars),
                Settings.intValue("PREDICTBENCH_MAX_K", DEFAULT.maxK));
    }

    /** The k of a search that does not give one. */
    public int defaultK() {
        return Math.min(DEFAULT_K, maxK);
    }
}
