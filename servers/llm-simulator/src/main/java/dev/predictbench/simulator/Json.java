package dev.predictbench.simulator;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/** JSON text helpers for the hand-written answers (they are small and fixed in shape). */
final class Json {

    private Json() {
    }

    /** A string as a quoted JSON string literal. */
    static String quote(String value) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(value)) + "\"";
    }

    /** OpenAI's error body. */
    static String error(String message, String type) {
        return "{\"error\":{\"message\":" + quote(message) + ",\"type\":" + quote(type) + ",\"param\":null,\"code\":null}}";
    }
}
