package dev.predictbench.model.json;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.predictbench.model.ApiException;
import dev.predictbench.model.ErrorCode;
import java.util.stream.Collectors;

/**
 * The contract's JSON rules for the stacks that bind with Jackson 2 (Javalin, Quarkus, Helidon,
 * LangChain4j): strict input (no unknown fields, no duplicate keys, no trailing data, no strings
 * or booleans coerced to numbers, no numbers coerced to strings, no fractions to whole numbers) and
 * one mapping from Jackson's exceptions to the contract's {@link ErrorCode}s, so every stack answers
 * the same bad body with the same code. Spring Boot 4
 * binds with Jackson 3: {@link StrictJackson3} states the same rules for it.
 */
public final class StrictJson {
    private StrictJson() {
    }

    /** A new mapper with the contract's rules. */
    public static ObjectMapper newMapper() {
        return configure(JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());
    }

    /** Applies the contract's rules to a mapper a framework created (its own customisation hook). */
    public static ObjectMapper configure(ObjectMapper mapper) {
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        mapper.disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY);
        // Jackson would read 2.5 as k = 2: a whole-number field takes whole numbers only.
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.getFactory().enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, false);
        // Jackson reads the strings "NaN" and "Infinity" as doubles even with coercion off: a
        // feature value must be a JSON number, so only number tokens (or null, for validation) pass.
        mapper.registerModule(new SimpleModule("predictbench-strict-numbers").addDeserializer(Double.class, new NumbersOnly()));
        for (LogicalType type : new LogicalType[] {LogicalType.Float, LogicalType.Integer, LogicalType.Array,
                LogicalType.Collection, LogicalType.POJO, LogicalType.Textual}) {
            mapper.coercionConfigFor(type)
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        }
        // A text field (a text to embed, a query) takes strings only, not numbers Jackson would print.
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        return mapper;
    }

    private static final class NumbersOnly extends StdScalarDeserializer<Double> {
        NumbersOnly() {
            super(Double.class);
        }

        @Override
        public Double deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NUMBER_INT || p.currentToken() == JsonToken.VALUE_NUMBER_FLOAT) {
                return p.getDoubleValue();
            }
            return (Double) ctxt.handleUnexpectedToken(Double.class, p);
        }
    }

    /**
     * The contract's error for a body that is the JSON literal {@code null}: valid JSON, but not the
     * object every endpoint takes, so {@code MISTYPED_FIELD} like any other non-object body (Jackson
     * binds it to a null request without complaint).
     */
    public static ApiException nullBody() {
        return new ApiException(ErrorCode.MISTYPED_FIELD, "request body has the wrong type: expected a JSON object, got null");
    }

    /** The bound request, or {@link #nullBody()} when the body was the JSON literal {@code null}. */
    public static <T> T requireBody(T bound) {
        if (bound == null) {
            throw nullBody();
        }
        return bound;
    }

    /**
     * A request body bound to {@code type} by {@code mapper} (one with the contract's rules), from
     * the bytes: Jackson's byte parser refuses a body that is not UTF-8, where decoding to a String
     * first would turn it into U+FFFD. Every failure is the contract's error: an empty body and
     * broken JSON {@code MALFORMED_JSON}, the literal {@code null} {@link #nullBody()}.
     */
    public static <T> T read(ObjectMapper mapper, byte[] body, Class<T> type) {
        try {
            return requireBody(mapper.readValue(body, type));
        } catch (JsonProcessingException e) {
            throw toApiException(e);
        } catch (IOException e) {
            throw new ApiException(ErrorCode.MALFORMED_JSON, "request body is not valid JSON");
        }
    }

    /**
     * The contract's error for a Jackson failure to read a request body. Syntax errors (and empty
     * bodies, duplicate keys, trailing data, documents past Jackson's nesting or size limits)
     * become {@code MALFORMED_JSON}; a field Jackson does not know becomes {@code UNKNOWN_FIELD};
     * a value of the wrong type becomes {@code MISTYPED_FIELD}.
     */
    public static ApiException toApiException(JsonProcessingException e) {
        String path = e instanceof JsonMappingException m ? path(m) : "";
        if (e instanceof UnrecognizedPropertyException u) {
            String known = u.getKnownPropertyIds() == null ? "" : u.getKnownPropertyIds().stream()
                    .map(id -> "'" + id + "'").sorted().collect(Collectors.joining(", "));
            return new ApiException(ErrorCode.UNKNOWN_FIELD, "unknown field '" + u.getPropertyName()
                    + "'" + (known.isEmpty() ? "" : "; the request takes only " + known));
        }
        if (e instanceof InputCoercionException c) {
            // A JSON number too large for the field's type (k = 99999999999): valid JSON, wrong type.
            String field = fieldOf(c);
            return new ApiException(ErrorCode.MISTYPED_FIELD, (field == null ? "a value" : field)
                    + " has the wrong type: expected a whole number that fits 32 bits");
        }
        if (e instanceof JsonParseException || e instanceof StreamConstraintsException) {
            return malformed(e);
        }
        if (e instanceof MismatchedInputException m) {
            String msg = String.valueOf(m.getOriginalMessage());
            if (msg.startsWith("No content to map") || msg.startsWith("Trailing token")
                    || msg.contains("end-of-input")) {
                return malformed(e);
            }
            return new ApiException(ErrorCode.MISTYPED_FIELD, (path.isEmpty() ? "request body" : path)
                    + " has the wrong type: expected " + expected(path, m.getTargetType()));
        }
        if (e.getCause() instanceof JsonProcessingException cause && cause != e) {
            return toApiException(cause);
        }
        return malformed(e);
    }

    private static String fieldOf(InputCoercionException e) {
        try {
            return e.getProcessor() instanceof JsonParser p ? p.currentName() : null;
        } catch (IOException ignored) {
            return null;
        }
    }

    private static ApiException malformed(JsonProcessingException e) {
        String detail = e.getOriginalMessage();
        if (detail != null && detail.startsWith("No content to map")) {
            detail = "the body is empty";
        }
        return new ApiException(ErrorCode.MALFORMED_JSON, "request body is not valid JSON: " + firstLine(detail));
    }

    /**
     * What a field of the contract takes, for the message of a value of the wrong type at
     * {@code path} bound to {@code target}. Shared with {@link StrictJackson3}.
     */
    static String expected(String path, Class<?> target) {
        if (path.isEmpty()) {
            return "a JSON object";
        }
        if (target == String.class) {
            return "a string";
        }
        if (target == Integer.class || target == int.class) {
            return "a whole number";
        }
        return path.matches(".*\\[\\d+]\\[\\d+]$") ? "a number" : "an array";
    }

    private static String path(JsonMappingException m) {
        return m.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining())
                .replaceFirst("^\\.", "");
    }

    /** The first line of a parser's message, at most 200 characters, for an error message. Shared with {@link StrictJackson3}. */
    static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
