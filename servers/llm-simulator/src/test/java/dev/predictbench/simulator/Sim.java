package dev.predictbench.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;

/** Test helpers: request bodies and the reading of server-sent events. */
final class Sim {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private Sim() {
    }

    /** A one-user-message request body. */
    static String body(String content, boolean stream) {
        return "{\"model\":\"predictbench-sim\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":"
                + Json.quote(content) + "}]}";
    }

    static HttpRequest post(LlmSimulator sim, String body) {
        return HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The delta contents of the chunk events in a server-sent-events body, in order. */
    static List<String> contents(String sse) {
        List<String> contents = new ArrayList<>();
        for (String line : sse.split("\n")) {
            String content = content(line);
            if (content != null) {
                contents.add(content);
            }
        }
        return contents;
    }

    /** The delta content of one "data: {...}" line, or null when it has none. */
    static String content(String line) {
        if (!line.startsWith("data: {")) {
            return null;
        }
        JsonNode choices = json(line.substring(6)).path("choices");
        if (choices.isEmpty()) {
            return null;
        }
        JsonNode content = choices.get(0).path("delta").get("content");
        return content == null || content.isNull() ? null : content.asText();
    }
}
