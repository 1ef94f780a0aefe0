package dev.predictbench.simulator;

/**
 * One request's settings: the simulator's defaults, overridden by a {@code #sim} line in the last
 * message's content ({@code #sim ttft=<ms> itl=<ms> tokens=<n> status=<code> cut=<k>}, any subset, in
 * any order; a later {@code #sim} line overrides an earlier one).
 *
 * @param ttftMs milliseconds to the first token
 * @param itlMs  milliseconds between tokens
 * @param tokens tokens in the completion
 * @param status an HTTP status to answer at once with an error body, or 0 for a normal answer
 * @param cut    tokens to stream before closing the connection abruptly, or -1 for no cut
 */
record Directives(long ttftMs, long itlMs, int tokens, int status, int cut) {

    static Directives parse(String lastContent, SimulatorConfig defaults) throws ChatRequest.BadRequest {
        long ttft = defaults.ttftMs();
        long itl = defaults.itlMs();
        int tokens = defaults.tokens();
        int status = 0;
        int cut = -1;
        for (String line : lastContent.split("\n")) {
            String stripped = line.strip();
            if (!stripped.startsWith("#sim")) {
                continue;
            }
            String rest = stripped.substring(4);
            if (!rest.isEmpty() && !Character.isWhitespace(rest.charAt(0))) {
                continue;
            }
            for (String pair : rest.strip().split("\\s+")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new ChatRequest.BadRequest("Invalid #sim directive '" + pair + "': expected key=value.");
                }
                String key = pair.substring(0, eq);
                String value = pair.substring(eq + 1);
                switch (key) {
                    case "ttft" -> ttft = number(key, value, 0, SimulatorConfig.MAX_DELAY_MS);
                    case "itl" -> itl = number(key, value, 0, SimulatorConfig.MAX_DELAY_MS);
                    case "tokens" -> tokens = (int) number(key, value, 1, SimulatorConfig.MAX_TOKENS);
                    case "status" -> status = (int) number(key, value, 400, 599);
                    case "cut" -> cut = (int) number(key, value, 0, SimulatorConfig.MAX_TOKENS);
                    default -> throw new ChatRequest.BadRequest("Unknown #sim directive key '" + key
                            + "' (known: ttft, itl, tokens, status, cut).");
                }
            }
        }
        return new Directives(ttft, itl, tokens, status, cut);
    }

    private static long number(String key, String value, long min, long max) throws ChatRequest.BadRequest {
        try {
            long number = Long.parseLong(value);
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ChatRequest.BadRequest("Invalid #sim " + key + "=" + value + ": expected an integer in "
                + min + ".." + max + ".");
    }
}
