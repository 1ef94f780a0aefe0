package dev.predictbench.contract.kit;

import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads samples out of a Prometheus text exposition ({@code /metrics}), as the kits check them. */
final class PrometheusText {
    private PrometheusText() {
    }

    /**
     * The sum of every sample of {@code name} (one line per label set: {@code name 3.0} or
     * {@code name{scope="application"} 3}), empty when there is none. A sample of another metric whose
     * name only starts with {@code name} does not count.
     */
    static OptionalDouble sum(String text, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})?[ \\t]+(\\S+)(?:[ \\t]+\\S+)?[ \\t]*$")
                .matcher(text);
        double total = 0;
        boolean found = false;
        while (m.find()) {
            total += parse(m.group(2), name);
            found = true;
        }
        return found ? OptionalDouble.of(total) : OptionalDouble.empty();
    }

    /**
     * Whether the text declares {@code name} with a {@code # TYPE} line of {@code type}; a counter may
     * be declared without its {@code _total} suffix (OpenMetrics, and Helidon's text format).
     */
    static boolean typed(String text, String name, String type) {
        return text.contains("# TYPE " + name + " " + type)
                || type.equals("counter") && text.contains("# TYPE " + name.replace("_total", "") + " counter");
    }

    private static double parse(String value, String name) {
        return switch (value) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> {
                try {
                    yield Double.parseDouble(value);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("sample of " + name + " is not a number: " + value, e);
                }
            }
        };
    }
}
