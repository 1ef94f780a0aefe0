package dev.predictbench.model;

import java.util.Locale;

/**
 * Reads a setting the way DESIGN.md says servers do: an environment variable ({@code PORT}) or a
 * system property of the same name in lower case with dots ({@code port}, {@code predictbench.max.batch}
 * for {@code PREDICTBENCH_MAX_BATCH}). The system property wins, so tests can override.
 */
public final class Settings {
    private Settings() {
    }

    /** The host servers bind to: {@code HOST}, default 127.0.0.1 (loopback unless told otherwise). */
    public static String host() {
        return string("HOST", "127.0.0.1");
    }

    /** The port servers listen on: {@code PORT}, default 8080. */
    public static int port() {
        return intValue("PORT", 8080);
    }

    public static String string(String envName, String defaultValue) {
        String value = System.getProperty(propertyName(envName));
        if (value == null || value.isBlank()) {
            value = System.getenv(envName);
        }
        return value == null || value.isBlank() ? defaultValue : value.trim();
    }

    public static int intValue(String envName, int defaultValue) {
        String value = string(envName, null);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(envName + " must be a whole number, got '" + value + "'", e);
        }
    }

    /** {@code PREDICTBENCH_MAX_BATCH} becomes {@code predictbench.max.batch}. */
    static String propertyName(String envName) {
        return envName.toLowerCase(Locale.ROOT).replace('_', '.');
    }
}
