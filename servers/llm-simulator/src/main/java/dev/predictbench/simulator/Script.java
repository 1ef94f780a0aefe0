package dev.predictbench.simulator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The simulator's deterministic completion: the tokens are a function of the prompt (the request's
 * message contents, concatenated by {@link #prompt(List)}) and of their count, so a test anywhere can
 * compute the answer it must see.
 *
 * <p>The algorithm, for reimplementation in other languages:
 * <ol>
 *   <li>seed = FNV-1a 64 of the prompt's UTF-8 bytes (offset basis 0xcbf29ce484222325, prime
 *       0x100000001b3);</li>
 *   <li>for token i (from 0): x = SplitMix64 finaliser of (seed + (i + 1) * 0x9e3779b97f4a7c15), i.e.
 *       z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9; z = (z ^ (z >>> 27)) * 0x94d049bb133111eb;
 *       z ^ (z >>> 31), all in unsigned 64-bit arithmetic;</li>
 *   <li>the word is {@link #VOCABULARY}[x >>> 58] (the top 6 bits: 64 words);</li>
 *   <li>token 0 is the word itself, every later token is one space then the word.</li>
 * </ol>
 */
public final class Script {

    /** The 64 plain English words tokens are drawn from. */
    public static final List<String> VOCABULARY = List.of(
            "the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog",
            "a", "small", "river", "runs", "through", "green", "valley", "under",
            "bright", "morning", "light", "and", "birds", "sing", "in", "tall",
            "trees", "while", "old", "farmers", "walk", "to", "their", "fields",
            "with", "warm", "bread", "cold", "water", "soft", "wind", "moves",
            "across", "open", "hills", "near", "quiet", "town", "where", "children",
            "play", "simple", "games", "until", "evening", "stars", "appear", "above",
            "calm", "blue", "sea", "ships", "sail", "home", "at", "night");

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;
    private static final long GOLDEN = 0x9e3779b97f4a7c15L;

    private Script() {
    }

    /** The prompt of a request: its messages' text contents in order, joined with "\n". */
    public static String prompt(List<String> contents) {
        StringBuilder prompt = new StringBuilder();
        for (int i = 0; i < contents.size(); i++) {
            if (i > 0) {
                prompt.append('\n');
            }
            String content = contents.get(i);
            if (content != null) {
                prompt.append(content);
            }
        }
        return prompt.toString();
    }

    /** The first n tokens of the completion of a prompt; token 0 has no leading space, later ones one. */
    public static List<String> tokens(String prompt, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, was " + n);
        }
        long seed = fnv1a64(prompt.getBytes(StandardCharsets.UTF_8));
        List<String> tokens = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String word = VOCABULARY.get((int) (splitMix64(seed + (i + 1L) * GOLDEN) >>> 58));
            tokens.add(i == 0 ? word : " " + word);
        }
        return List.copyOf(tokens);
    }

    /** The whole completion text: {@link #tokens(String, int)} joined. */
    public static String completion(String prompt, int n) {
        return String.join("", tokens(prompt, n));
    }

    /** The prompt_tokens the simulator reports for a prompt: its whitespace-separated words. */
    public static int promptTokens(String prompt) {
        String stripped = prompt.strip();
        return stripped.isEmpty() ? 0 : stripped.split("\\s+").length;
    }

    static long fnv1a64(byte[] bytes) {
        long hash = FNV_OFFSET;
        for (byte b : bytes) {
            hash ^= b & 0xff;
            hash *= FNV_PRIME;
        }
        return hash;
    }

    static long splitMix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
