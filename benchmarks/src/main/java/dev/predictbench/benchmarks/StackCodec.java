package dev.predictbench.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.predictbench.model.PredictRequest;
import dev.predictbench.model.PredictResponse;
import dev.predictbench.model.json.StrictJson;
import io.helidon.common.GenericType;
import io.helidon.http.HeaderValues;
import io.helidon.http.WritableHeaders;
import io.helidon.http.media.EntityReader;
import io.helidon.http.media.EntityWriter;
import io.helidon.http.media.MediaSupport;
import io.helidon.http.media.jackson.JacksonSupport;
import io.javalin.json.JavalinJackson;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.core.ResolvableType;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.deser.std.StdScalarDeserializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.LogicalType;

/**
 * One stack's JSON layer, called the way that stack calls it for {@code POST /predict}: request
 * body bytes to a {@link PredictRequest}, a {@link PredictResponse} to response body bytes. Each
 * instance holds what the stack builds once at start (mappers, readers, converters, headers).
 */
interface StackCodec {
    /** The stacks whose JSON layer differs; LangChain4j is hosted on the Javalin glue and shares its codec. */
    List<String> STACKS = List.of("javalin", "spring-boot", "quarkus", "helidon-se");

    PredictRequest read(byte[] body) throws IOException;

    byte[] write(PredictResponse response) throws IOException;

    static StackCodec forStack(String stack) {
        return switch (stack) {
            case "javalin" -> new Javalin();
            case "spring-boot" -> new SpringBoot();
            case "quarkus" -> new QuarkusRest();
            case "helidon-se" -> new HelidonSe();
            default -> throw new IllegalArgumentException("no codec for stack '" + stack + "'; known: " + STACKS);
        };
    }

    /**
     * Javalin 7 (and LangChain4j on Javalin): {@code ctx.bodyAsClass} decodes the body to a String
     * and calls {@link JavalinJackson#fromJsonString}; {@code ctx.json} calls
     * {@link JavalinJackson#toJsonString} and the String is written as UTF-8.
     */
    final class Javalin implements StackCodec {
        private final JavalinJackson json = new JavalinJackson(StrictJson.newMapper(), false);

        @Override
        public PredictRequest read(byte[] body) {
            return json.fromJsonString(new String(body, StandardCharsets.UTF_8), PredictRequest.class);
        }

        @Override
        public byte[] write(PredictResponse response) {
            return json.toJsonString(response, PredictResponse.class).getBytes(StandardCharsets.UTF_8);
        }
    }

    /**
     * Helidon SE 4: the server's {@link JacksonSupport} media support over the StrictJson rules, its
     * entity reader (which decodes through an InputStreamReader) and entity writer.
     */
    final class HelidonSe implements StackCodec {
        private static final GenericType<PredictRequest> REQUEST = GenericType.create(PredictRequest.class);
        private static final GenericType<PredictResponse> RESPONSE = GenericType.create(PredictResponse.class);
        private final WritableHeaders<?> requestHeaders = WritableHeaders.create().set(HeaderValues.CONTENT_TYPE_JSON);
        private final WritableHeaders<?> responseHeaders = WritableHeaders.create();
        private final EntityReader<PredictRequest> reader;
        private final EntityWriter<PredictResponse> writer;

        HelidonSe() {
            MediaSupport support = JacksonSupport.create(StrictJson.configure(new ObjectMapper()));
            reader = support.reader(REQUEST, requestHeaders).supplier().get();
            writer = support.writer(RESPONSE, requestHeaders, responseHeaders).supplier().get();
        }

        @Override
        public PredictRequest read(byte[] body) {
            return reader.read(REQUEST, new ByteArrayInputStream(body), requestHeaders);
        }

        @Override
        public byte[] write(PredictResponse response) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(512);
            writer.write(RESPONSE, response, out, requestHeaders, responseHeaders);
            return out.toByteArray();
        }
    }

    /**
     * Quarkus REST (quarkus-rest-jackson), restated rather than called: its reader and writer need
     * CDI and the Quarkus runtime. ServerJacksonMessageBodyReader reads with
     * {@code mapper.reader().forType(type).readValue(InputStream)}; BasicServerJacksonMessageBodyWriter
     * writes with {@code mapper.writer()} (over a copy of the factory with AUTO_CLOSE_TARGET and
     * FLUSH_PASSED_TO_STREAM off) to the response stream. The mapper is Quarkus's, customised with
     * StrictJson; Quarkus's own ObjectMapper producer also registers the JDK 8, Java time and
     * parameter-names modules, which this POJO does not use.
     */
    final class QuarkusRest implements StackCodec {
        private final ObjectReader reader;
        private final ObjectWriter writer;

        QuarkusRest() {
            ObjectMapper mapper = StrictJson.newMapper();
            reader = mapper.reader().forType(mapper.getTypeFactory().constructType(PredictRequest.class));
            var factory = mapper.getFactory().copy()
                    .configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false)
                    .configure(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM, false);
            writer = mapper.writer().with(factory);
        }

        @Override
        public PredictRequest read(byte[] body) throws IOException {
            return reader.readValue(new ByteArrayInputStream(body));
        }

        @Override
        public byte[] write(PredictResponse response) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream(512);
            writer.writeValue(out, response);
            return out.toByteArray();
        }
    }

    /**
     * Spring Boot 4 Web MVC: {@link JacksonJsonHttpMessageConverter} over a Jackson 3
     * {@link JsonMapper} with the contract's strict rules (as the Spring Boot server's
     * StrictJackson3 states them), called through the SmartHttpMessageConverter methods that
     * RequestResponseBodyMethodProcessor calls.
     */
    final class SpringBoot implements StackCodec {
        private static final ResolvableType REQUEST = ResolvableType.forClass(PredictRequest.class);
        private static final ResolvableType RESPONSE = ResolvableType.forClass(PredictResponse.class);
        private final JacksonJsonHttpMessageConverter converter = new JacksonJsonHttpMessageConverter(strictJsonMapper());
        private final HttpHeaders requestHeaders = new HttpHeaders();

        SpringBoot() {
            requestHeaders.setContentType(MediaType.APPLICATION_JSON);
        }

        @Override
        public PredictRequest read(byte[] body) throws IOException {
            InputStream in = new ByteArrayInputStream(body);
            return (PredictRequest) converter.read(REQUEST, new HttpInputMessage() {
                @Override
                public InputStream getBody() {
                    return in;
                }

                @Override
                public HttpHeaders getHeaders() {
                    return requestHeaders;
                }
            }, null);
        }

        @Override
        public byte[] write(PredictResponse response) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream(512);
            HttpHeaders responseHeaders = new HttpHeaders();
            converter.write(response, RESPONSE, MediaType.APPLICATION_JSON, new HttpOutputMessage() {
                @Override
                public OutputStream getBody() {
                    return out;
                }

                @Override
                public HttpHeaders getHeaders() {
                    return responseHeaders;
                }
            }, null);
            return out.toByteArray();
        }

        /** The contract's rules in Jackson 3, rule for rule as StrictJson states them in Jackson 2. */
        static JsonMapper strictJsonMapper() {
            JsonMapper.Builder builder = JsonMapper.builder()
                    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_TRAILING_TOKENS,
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
            return builder.build();
        }

        /** A Double from a JSON number only (Jackson 3 reads "NaN" strings before coercion rules apply). */
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
    }
}
