package dev.predictbench.gatling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads Gatling 3.13.4's {@code js/stats.json} (written with its HTML report; later Gatling versions
 * write none): per request name, the counts and the response-time figures of successful requests,
 * in whole milliseconds. Percentiles are the four set in gatling.conf: 50, 90, 99, 99.9.
 */
public final class GatlingStats {
    /** One request name's statistics (successful requests only for times). */
    public record Request(String name, long ok, long ko, double p50, double p90, double p99, double p999, double max,
                          double mean) {
    }

    private GatlingStats() {
    }

    /** Every request in a report folder's stats, by name. */
    public static Map<String, Request> read(Path reportDir) throws IOException {
        Path file = reportDir.resolve("js").resolve("stats.json");
        if (!Files.isRegularFile(file)) {
            throw new IOException("Gatling wrote no statistics at " + file);
        }
        Map<String, Request> out = new LinkedHashMap<>();
        collect(new ObjectMapper().readTree(file.toFile()), out);
        return out;
    }

    private static void collect(JsonNode node, Map<String, Request> out) {
        if ("REQUEST".equals(node.path("type").asText())) {
            JsonNode s = node.path("stats");
            out.put(node.path("name").asText(), new Request(node.path("name").asText(),
                    s.path("numberOfRequests").path("ok").asLong(), s.path("numberOfRequests").path("ko").asLong(),
                    ok(s, "percentiles1"), ok(s, "percentiles2"), ok(s, "percentiles3"), ok(s, "percentiles4"),
                    ok(s, "maxResponseTime"), ok(s, "meanResponseTime")));
        }
        node.path("contents").forEach(child -> collect(child, out));
    }

    /** Gatling writes "-" when there were no successful requests. */
    private static double ok(JsonNode stats, String field) {
        JsonNode v = stats.path(field).path("ok");
        return v.isNumber() ? v.asDouble() : Double.NaN;
    }
}
