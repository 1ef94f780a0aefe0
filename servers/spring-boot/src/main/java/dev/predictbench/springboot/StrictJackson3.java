package dev.predictbench.springboot;

import dev.predictbench.model.ApiException;
import dev.predictbench.model.ErrorCode;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.deser.std.StdScalarDeserializer;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.LogicalType;

/**
 * shared-model's {@code StrictJson} (Jackson 2) restated for Jackson 3, which Spring Boot 4 binds
 * with: the same strict rules and the same mapping of Jackson's failures to the contract's codes,
 * rule for rule, so this stack answers every bad body as the Jackson 2 stacks do. One rule more:
 * Jackson 3 reads the strings "NaN" and "Infinity" as doubles before it consults the coercion
 * rules, so {@link NumbersOnly} takes a Double only from a JSON number.
 */
final class StrictJackson3 {
    private StrictJackson3() {
    }

    /** Applied to the builder of the JsonMapper Boot gives Spring MVC (a JsonMapperBuilderCustomizer). */
    static void configure(JsonMapper.Builder builder) {
        builder.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_TRAILING_TOKENS,
                        DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .addModule(new SimpleModule("predictbench-strict-numbers").addDeserializer(Double.class, new NumbersOnly()));
        for (LogicalType type : new LogicalType[] {LogicalType.Float, LogicalType.Integer, LogicalType.Array,
                LogicalType.Collection, LogicalType.POJO, LogicalType.Textual}) {
            builder.withCoercionConfig(type, config -> config
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail));
        }
    }

    /**
     * The contract's error for a Jackson failure to read a request body: syntax errors (and empty
     * bodies, duplicate keys, trailing data, documents past Jackson's limits) are
     * {@code MALFORMED_JSON}, an unknown field {@code UNKNOWN_FIELD}, a wrong type {@code MISTYPED_FIELD}.
     */
    static ApiException toApiException(JacksonException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            return new ApiException(ErrorCode.UNKNOWN_FIELD, "unknown field '" + u.getPropertyName()
                    + "'; the request takes only 'instances'");
        }
        if (e instanceof StreamReadException || e instanceof StreamConstraintsException) {
            return malformed(e.getOriginalMessage());
        }
        if (e instanceof MismatchedInputException m) {
            String msg = String.valueOf(m.getOriginalMessage());
            if (msg.startsWith("No content to map") || msg.startsWith("Trailing token") || msg.contains("end-of-input")) {
                return malformed(msg);
            }
            String path = path(m);
            return new ApiException(ErrorCode.MISTYPED_FIELD, (path.isEmpty() ? "request body" : path)
                    + " has the wrong type: expected " + expected(path));
        }
        if (e.getCause() instanceof JacksonException cause && cause != e) {
            return toApiException(cause);
        }
        return malformed(e.getOriginalMessage());
    }

    /** A Double from a JSON number only: a string, boolean, array or object is MISTYPED_FIELD. */
    private static final class NumbersOnly extends StdScalarDeserializer<Double> {
        NumbersOnly() {
            super(Double.class);
        }

        @Override
        public Double deserialize(JsonParser parser, DeserializationContext context) {
            if (parser.currentToken() == JsonToken.VALUE_NUMBER_INT || parser.currentToken() == JsonToken.VALUE_NUMBER_FLOAT) {
                return parser.getDoubleValue();
            }
            return (Double) context.handleUnexpectedToken(Double.class, parser);
        }
    }

    /** Spring MVC reports an empty body before Jackson sees it. */
    static ApiException emptyBody() {
        return malformed("No content to map");
    }

    private static ApiException malformed(String detail) {
        if (detail != null && detail.startsWith("No content to map")) {
            detail = "the body is empty";
        }
        return new ApiException(ErrorCode.MALFORMED_JSON, "request body is not valid JSON: " + firstLine(detail));
    }

    private static String expected(String path) {
        if (path.isEmpty()) {
            return "a JSON object";
        }
        return path.matches(".*\\[\\d+]\\[\\d+]$") ? "a number" : "an array";
    }

    private static String path(JacksonException e) {
        return e.getPath().stream()
                .map(ref -> ref.getPropertyName() != null ? "." + ref.getPropertyName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining())
                .replaceFirst("^\\.", "");
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
