package dev.predictbench.model.json;

import dev.predictbench.model.ApiException;
import dev.predictbench.model.ErrorCode;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.InputCoercionException;
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
 * {@link StrictJson} (Jackson 2) restated for Jackson 3, which Spring Boot 4 binds with: the same
 * strict rules (no numbers as text, no fractions as whole numbers, ...) and the same mapping of
 * Jackson's failures to the contract's codes and messages, rule for rule, so the Spring Boot stack
 * answers every bad body of {@code /predict}, {@code /embed} and {@code /search} as the Jackson 2
 * stacks do. Two rules more, where Jackson 3 is looser than Jackson 2: it reads the strings "NaN"
 * and "Infinity" as doubles before it consults the coercion rules, so {@link NumbersOnly} takes a
 * Double only from a JSON number; and in a list of strings it reads {@code ["a"]} as "a" and then
 * stumbles on the rest ({@code {"texts": [["a"]]}} would come out as trailing data, MALFORMED_JSON), so
 * {@link StringsOnly} takes a String only from a JSON string.
 *
 * <p>Jackson 3 ({@code tools.jackson.core:jackson-databind}) is an optional dependency of
 * shared-model: only the Spring Boot server and the benchmarks, which bring it themselves, call
 * this class.
 */
public final class StrictJackson3 {
    private StrictJackson3() {
    }

    /** Applies the contract's rules to a JsonMapper's builder (Spring Boot's JsonMapperBuilderCustomizer hook). */
    public static void configure(JsonMapper.Builder builder) {
        builder.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_TRAILING_TOKENS,
                        DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                // Jackson would read 2.5 as k = 2: a whole-number field takes whole numbers only.
                .disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY, DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .addModule(new SimpleModule("predictbench-strict-scalars")
                        .addDeserializer(Double.class, new NumbersOnly())
                        .addDeserializer(String.class, new StringsOnly()));
        for (LogicalType type : new LogicalType[] {LogicalType.Float, LogicalType.Integer, LogicalType.Array,
                LogicalType.Collection, LogicalType.POJO, LogicalType.Textual}) {
            builder.withCoercionConfig(type, config -> config
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail));
        }
        // A text field (a text to embed, a query) takes strings only, not numbers Jackson would print.
        builder.withCoercionConfig(LogicalType.Textual, config -> config
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail));
    }

    /**
     * The contract's error for a Jackson failure to read a request body: syntax errors (and empty
     * bodies, duplicate keys, trailing data, documents past Jackson's limits) are
     * {@code MALFORMED_JSON}, an unknown field {@code UNKNOWN_FIELD}, a wrong type {@code MISTYPED_FIELD}.
     */
    public static ApiException toApiException(JacksonException e) {
        String path = path(e);
        if (e instanceof UnrecognizedPropertyException u) {
            String known = u.getKnownPropertyIds() == null ? "" : u.getKnownPropertyIds().stream()
                    .map(id -> "'" + id + "'").sorted().collect(Collectors.joining(", "));
            return new ApiException(ErrorCode.UNKNOWN_FIELD, "unknown field '" + u.getPropertyName()
                    + "'" + (known.isEmpty() ? "" : "; the request takes only " + known));
        }
        if (e instanceof InputCoercionException) {
            // A JSON number too large for the field's type (k = 99999999999): valid JSON, wrong type.
            // Jackson 3 keeps the path on every exception, so the field comes from there.
            return new ApiException(ErrorCode.MISTYPED_FIELD, (path.isEmpty() ? "a value" : path)
                    + " has the wrong type: expected a whole number that fits 32 bits");
        }
        if (e instanceof StreamReadException || e instanceof StreamConstraintsException) {
            return malformed(e.getOriginalMessage());
        }
        if (e instanceof MismatchedInputException m) {
            String msg = String.valueOf(m.getOriginalMessage());
            if (msg.startsWith("No content to map") || msg.startsWith("Trailing token") || msg.contains("end-of-input")) {
                return malformed(msg);
            }
            return new ApiException(ErrorCode.MISTYPED_FIELD, (path.isEmpty() ? "request body" : path)
                    + " has the wrong type: expected " + StrictJson.expected(path, m.getTargetType()));
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

    /** A String from a JSON string only (null stays null, for validation): anything else is MISTYPED_FIELD. */
    private static final class StringsOnly extends StdScalarDeserializer<String> {
        StringsOnly() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) {
            if (parser.currentToken() == JsonToken.VALUE_STRING) {
                return parser.getString();
            }
            return (String) context.handleUnexpectedToken(String.class, parser);
        }
    }

    private static ApiException malformed(String detail) {
        if (detail != null && detail.startsWith("No content to map")) {
            detail = "the body is empty";
        }
        return new ApiException(ErrorCode.MALFORMED_JSON, "request body is not valid JSON: " + StrictJson.firstLine(detail));
    }

    private static String path(JacksonException e) {
        return e.getPath().stream()
                .map(ref -> ref.getPropertyName() != null ? "." + ref.getPropertyName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining())
                .replaceFirst("^\\.", "");
    }
}
