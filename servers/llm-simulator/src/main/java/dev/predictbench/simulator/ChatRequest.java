package dev.predictbench.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts of an OpenAI Chat Completions request the simulator uses; every other field is accepted
 * and ignored.
 *
 * @param model        the model name echoed in the answer ("predictbench-sim" when absent)
 * @param stream       whether to answer with server-sent events
 * @param includeUsage stream_options.include_usage: a usage chunk before [DONE]
 * @param prompt       the message contents, joined by {@link Script#prompt(List)}
 * @param lastContent  the last message's content, where a {@code #sim} directive is looked for
 */
record ChatRequest(String model, boolean stream, boolean includeUsage, String prompt, String lastContent) {

    static final String DEFAULT_MODEL = "predictbench-sim";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A request the simulator refuses with 400; the message goes in OpenAI's error body. */
    static final class BadRequest extends Exception {
        BadRequest(String message) {
            super(message, null, false, false);
        }
    }

    static ChatRequest parse(InputStream body) throws BadRequest {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (IOException e) {
            throw new BadRequest("We could not parse the JSON body of your request. (HINT: This likely means you aren't "
                    + "using your HTTP library correctly. The OpenAI API expects a JSON payload.)");
        }
        if (root == null || !root.isObject()) {
            throw new BadRequest("The request body must be a JSON object.");
        }
        JsonNode messages = root.get("messages");
        if (messages == null || messages.isNull()) {
            throw new BadRequest("Missing required parameter: 'messages'.");
        }
        if (!messages.isArray() || messages.isEmpty()) {
            throw new BadRequest("Invalid 'messages': expected a non-empty array of messages.");
        }
        List<String> contents = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            if (!message.isObject()) {
                throw new BadRequest("Invalid 'messages[" + i + "]': expected an object.");
            }
            contents.add(text(message.get("content"), i));
        }
        JsonNode model = root.get("model");
        JsonNode stream = root.get("stream");
        JsonNode options = root.get("stream_options");
        boolean includeUsage = options != null && options.isObject()
                && options.path("include_usage").asBoolean(false);
        return new ChatRequest(
                model != null && model.isTextual() ? model.asText() : DEFAULT_MODEL,
                stream != null && stream.asBoolean(false),
                includeUsage,
                Script.prompt(contents),
                contents.get(contents.size() - 1));
    }

    /** A message's content as text: a string as is, an array of parts as its text parts joined with "\n". */
    private static String text(JsonNode content, int index) throws BadRequest {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        if (content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                JsonNode partText = part.get("text");
                if (partText != null && partText.isTextual()) {
                    if (!text.isEmpty()) {
                        text.append('\n');
                    }
                    text.append(partText.asText());
                }
            }
            return text.toString();
        }
        throw new BadRequest("Invalid 'messages[" + index + "].content': expected a string or an array of parts.");
    }
}
