package dev.predictbench.contract.kit;

import dev.predictbench.contract.Contract;
import dev.predictbench.model.BreastCancerData;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Random mutations of valid request bodies for the kit's fuzz test: byte flips, deletions,
 * insertions of JSON punctuation, truncation, duplication of a slice, numbers replaced by extremes,
 * and values swapped for another JSON type. Mutant {@code i} of seed {@code s} depends on nothing
 * else, so a failing case is reproduced from the two numbers alone ({@link #mutant}).
 */
final class BodyFuzzer {
    /** A mutated body, where it goes, and what was done to it. */
    record Mutant(long seed, int index, String path, byte[] body, String mutations) {
        /** A line to paste into {@link HostileRequests#all()} once its expected code is decided. */
        String asCorpusLine() {
            return "list.add(HostileRequest.of(new BadRequest(\"fuzz seed " + seed + " #" + index + " (" + mutations
                    + ")\", \"POST\", \"" + path + "\", BadRequests.JSON, java.util.Base64.getDecoder().decode(\""
                    + Base64.getEncoder().encodeToString(body) + "\"), false, ErrorCode.MALFORMED_JSON)));";
        }
    }

    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][+-]?\\d+)?");
    private static final Pattern VALUE = Pattern.compile("-?\\d+(\\.\\d+)?([eE][+-]?\\d+)?|\"[^\"]*\"|true|false|null");
    private static final String[] EXTREMES = {"1e400", "-1e400", "1e-400", "0", "-0", "1e308", "4.9e-324",
            "3.4028236e38", "99999999999999999999", "-9223372036854775809", "2147483648", "1e39", "NaN",
            "Infinity", "-Infinity", "0.0000000000000000000000000000000000000000000001", "9".repeat(1500)};
    private static final String[] SWAPS = {"\"x\"", "\"\"", "\"17.99\"", "null", "true", "false", "{}", "[]", "[1]",
            "{\"a\":1}", "\"\\u0000\"", "\"\\ud800\""};
    private static final String PUNCTUATION = "{}[],:\"\\ ";
    private static final String[] PHRASES = {"a large cat", "a young lion", "the bark of a tree", "WordNet",
            "café au lait", "木", "a device for measuring time", "𝄞 music"};

    private static final List<double[]> ROWS = BreastCancerData.load().rows().stream()
            .map(BreastCancerData.Row::features).limit(64).toList();

    private final boolean genAi;

    BodyFuzzer(boolean genAi) {
        this.genAi = genAi;
    }

    /** Mutant {@code index} of {@code seed}: a valid body of a random endpoint, mutated one to three times. */
    Mutant mutant(long seed, int index) {
        SplittableRandom random = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (index + 1L)));
        // Mostly /predict; a valid /embed or /search that survives its mutation runs MiniLM (ms each).
        int pick = genAi ? random.nextInt(10) : 0;
        String path = pick < 7 ? Contract.PREDICT : pick < 9 ? Contract.EMBED : Contract.SEARCH;
        // Bytes as ISO-8859-1 chars: one char per byte, so text edits never re-encode anything.
        String body = new String(valid(path, random).getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        List<String> done = new ArrayList<>();
        int mutations = 1 + random.nextInt(3);
        for (int m = 0; m < mutations && !body.isEmpty(); m++) {
            int at = random.nextInt(body.length());
            switch (random.nextInt(7)) {
                case 0 -> {
                    char flipped = (char) ((body.charAt(at) ^ (1 << random.nextInt(8))) & 0xFF);
                    body = body.substring(0, at) + flipped + body.substring(at + 1);
                    done.add("flip@" + at);
                }
                case 1 -> {
                    int len = 1 + random.nextInt(Math.min(8, body.length() - at));
                    body = body.substring(0, at) + body.substring(at + len);
                    done.add("delete@" + at + "+" + len);
                }
                case 2 -> {
                    char c = PUNCTUATION.charAt(random.nextInt(PUNCTUATION.length()));
                    body = body.substring(0, at) + c + body.substring(at);
                    done.add("insert'" + c + "'@" + at);
                }
                case 3 -> {
                    body = body.substring(0, at);
                    done.add("truncate@" + at);
                }
                case 4 -> {
                    int len = 1 + random.nextInt(Math.min(64, body.length() - at));
                    body = body.substring(0, at + len) + body.substring(at, at + len) + body.substring(at + len);
                    done.add("duplicate@" + at + "+" + len);
                }
                case 5 -> {
                    String replaced = replace(body, NUMBER, EXTREMES[random.nextInt(EXTREMES.length)], random);
                    done.add(replaced == null ? "no-number" : "extreme-number");
                    body = replaced == null ? body : replaced;
                }
                default -> {
                    String replaced = replace(body, VALUE, SWAPS[random.nextInt(SWAPS.length)], random);
                    done.add(replaced == null ? "no-value" : "type-swap");
                    body = replaced == null ? body : replaced;
                }
            }
        }
        return new Mutant(seed, index, path, body.getBytes(StandardCharsets.ISO_8859_1), String.join(" ", done));
    }

    private static String valid(String path, SplittableRandom random) {
        if (path.equals(Contract.PREDICT)) {
            List<String> rows = new ArrayList<>();
            for (int r = 0, n = 1 + random.nextInt(3); r < n; r++) {
                double[] row = ROWS.get(random.nextInt(ROWS.size()));
                StringBuilder s = new StringBuilder("[");
                for (int i = 0; i < row.length; i++) {
                    s.append(i == 0 ? "" : ",").append(row[i]);
                }
                rows.add(s.append(']').toString());
            }
            return BadRequests.instances(rows.toArray(String[]::new));
        }
        if (path.equals(Contract.EMBED)) {
            List<String> texts = new ArrayList<>();
            for (int t = 0, n = 1 + random.nextInt(3); t < n; t++) {
                texts.add("\"" + PHRASES[random.nextInt(PHRASES.length)] + "\"");
            }
            return "{\"texts\":[" + String.join(",", texts) + "]}";
        }
        String query = "\"query\":\"" + PHRASES[random.nextInt(PHRASES.length)] + "\"";
        return random.nextBoolean() ? "{" + query + "}" : "{" + query + ",\"k\":" + (1 + random.nextInt(10)) + "}";
    }

    /** {@code body} with one random match of {@code pattern} replaced, or null when nothing matches. */
    private static String replace(String body, Pattern pattern, String replacement, SplittableRandom random) {
        List<int[]> spans = new ArrayList<>();
        Matcher m = pattern.matcher(body);
        while (m.find()) {
            spans.add(new int[] {m.start(), m.end()});
        }
        if (spans.isEmpty()) {
            return null;
        }
        int[] span = spans.get(random.nextInt(spans.size()));
        return body.substring(0, span[0]) + replacement + body.substring(span[1]);
    }
}
