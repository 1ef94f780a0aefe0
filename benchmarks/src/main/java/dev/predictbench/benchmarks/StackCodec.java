package dev.predictbench.benchmarks;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.predictbench.contract.Stacks;
import dev.predictbench.model.Limits;
import dev.predictbench.model.PredictRequest;
import dev.predictbench.model.PredictResponse;
import dev.predictbench.model.http.HttpEdge;
import dev.predictbench.model.json.StrictJackson3;
import dev.predictbench.model.json.StrictJson;
import io.helidon.common.GenericType;
import io.helidon.http.HeaderValues;
import io.helidon.http.WritableHeaders;
import io.helidon.http.media.EntityWriter;
import io.helidon.http.media.MediaSupport;
import io.helidon.http.media.jackson.JacksonSupport;
import io.javalin.json.JavalinJackson;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.core.ResolvableType;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * One stack's JSON layer, called the way that stack calls it for {@code POST /predict}: request
 * body bytes to a {@link PredictRequest}, a {@link PredictResponse} to response body bytes. Each
 * instance holds what the stack builds once at start (mappers, readers, converters, headers), built
 * by the same shared-model calls the server makes ({@link StrictJson#newMapper},
 * {@link StrictJson#configure}, {@link StrictJackson3#configure}). A body arrives as the servers
 * are sent it: an InputStream with its Content-Length declared. The media type check every stack
 * makes before it reads is left out for all of them alike: it is a header's, not the codec's.
 */
interface StackCodec {
    /**
     * The registry's stacks with a JSON layer of their own; a hosted stack (LangChain4j on the
     * Javalin glue) shares its host's.
     */
    List<String> STACKS = Stacks.codecStacks();

    /** The body limit, as the servers take it ({@code PREDICTBENCH_MAX_BODY_BYTES}, 1 MiB by default). */
    Limits LIMITS = Limits.fromEnvironment();

    PredictRequest read(byte[] body) throws IOException;

    byte[] write(PredictResponse response) throws IOException;

    static StackCodec forStack(String stack) {
        return switch (stack) {
            case "javalin" -> new Javalin();
            case "spring-boot" -> new SpringBoot();
            case "quarkus" -> new QuarkusRest();
            case "helidon-se" -> new HelidonSe();
            default -> throw new IllegalArgumentException("no codec for stack '" + stack + "': a stack of the registry "
                    + "with a JSON layer of its own needs its read and write path here");
        };
    }

    /**
     * Javalin 7 (and LangChain4j on the Javalin glue): JavalinServer's {@code body} reads the
     * request's InputStream with its Content-Length through {@link HttpEdge#readJson} over
     * {@link StrictJson#newMapper}; {@code ctx.json} calls {@link JavalinJackson#toJsonString} over
     * the same mapper and writes the String as UTF-8.
     */
    final class Javalin implements StackCodec {
        private final ObjectMapper mapper = StrictJson.newMapper();
        private final JavalinJackson json = new JavalinJackson(mapper, false);

        @Override
        public PredictRequest read(byte[] body) {
            return HttpEdge.readJson(new ByteArrayInputStream(body), body.length, LIMITS, mapper, PredictRequest.class);
        }

        @Override
        public byte[] write(PredictResponse response) {
            return json.toJsonString(response, PredictResponse.class).getBytes(StandardCharsets.UTF_8);
        }
    }

    /**
     * Helidon SE 4: Main's {@code body} reads the request's InputStream with its Content-Length
     * through {@link HttpEdge#readJson} over {@code StrictJson.configure(new ObjectMapper())};
     * {@code res.send} writes through the server's {@link JacksonSupport} media support over the
     * same mapper.
     */
    final class HelidonSe implements StackCodec {
        private static final GenericType<PredictResponse> RESPONSE = GenericType.create(PredictResponse.class);
        private final WritableHeaders<?> requestHeaders = WritableHeaders.create().set(HeaderValues.CONTENT_TYPE_JSON);
        private final WritableHeaders<?> responseHeaders = WritableHeaders.create();
        private final ObjectMapper mapper = StrictJson.configure(new ObjectMapper());
        private final EntityWriter<PredictResponse> writer;

        HelidonSe() {
            MediaSupport support = JacksonSupport.create(mapper);
            writer = support.writer(RESPONSE, requestHeaders, responseHeaders).supplier().get();
        }

        @Override
        public PredictRequest read(byte[] body) throws IOException {
            try (InputStream in = new ByteArrayInputStream(body)) {
                return HttpEdge.readJson(in, body.length, LIMITS, mapper, PredictRequest.class);
            }
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
     * CDI and the Quarkus runtime. The mapper is built as Quarkus builds it ({@code new ObjectMapper()}
     * and its customizers) with the server's customizer, {@link StrictJson#configure}; Quarkus's own
     * customizers register the JDK 8, Java time and parameter-names modules, which these records do
     * not use, and Vert.x's recycler pool, which on a platform thread keeps Jackson's buffers per
     * thread as Jackson's default pool does. ServerJacksonMessageBodyReader holds
     * {@code mapper.reader()} and per request reads with
     * {@code reader.forType(reader.getTypeFactory().constructType(type)).readValue(InputStream)};
     * BasicServerJacksonMessageBodyWriter writes with {@code mapper.writer()} (over a copy of the
     * factory with AUTO_CLOSE_TARGET and FLUSH_PASSED_TO_STREAM off) to the response stream.
     */
    final class QuarkusRest implements StackCodec {
        private final ObjectReader reader;
        private final ObjectWriter writer;

        QuarkusRest() {
            ObjectMapper mapper = StrictJson.configure(new ObjectMapper());
            reader = mapper.reader();
            var factory = mapper.getFactory().copy()
                    .configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false)
                    .configure(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM, false);
            writer = mapper.writer().with(factory);
        }

        @Override
        public PredictRequest read(byte[] body) throws IOException {
            return reader.forType(reader.getTypeFactory().constructType(PredictRequest.class))
                    .readValue(new ByteArrayInputStream(body));
        }

        @Override
        public byte[] write(PredictResponse response) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream(512);
            writer.writeValue(out, response);
            return out.toByteArray();
        }
    }

    /**
     * Spring Boot 4 Web MVC: {@link JacksonJsonHttpMessageConverter} over the Jackson 3
     * {@link JsonMapper} Boot builds for Spring MVC, with the server's customizer
     * ({@link StrictJackson3#configure}) and its one Jackson property (properties in declared
     * order, not sorted), called through the SmartHttpMessageConverter methods that
     * RequestResponseBodyMethodProcessor calls. Boot's other defaults (dates, views, modules found on
     * the class path) do not touch these records. Before the converter reads, Spring MVC checks for
     * an empty body: over Tomcat's stream, which has no mark, by reading one byte into a
     * PushbackInputStream and unreading it; the converter then reads through that stream.
     */
    final class SpringBoot implements StackCodec {
        private static final ResolvableType REQUEST = ResolvableType.forClass(PredictRequest.class);
        private static final ResolvableType RESPONSE = ResolvableType.forClass(PredictResponse.class);
        private final JacksonJsonHttpMessageConverter converter = new JacksonJsonHttpMessageConverter(jsonMapper());
        private final HttpHeaders requestHeaders = new HttpHeaders();

        SpringBoot() {
            requestHeaders.setContentType(MediaType.APPLICATION_JSON);
        }

        @Override
        public PredictRequest read(byte[] body) throws IOException {
            PushbackInputStream in = new PushbackInputStream(new ByteArrayInputStream(body));
            int first = in.read();
            if (first != -1) {
                in.unread(first);
            }
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

        /**
         * The server's JsonMapper: {@code spring.jackson.mapper.sort-properties-alphabetically=false}
         * from its application.properties, then its JsonMapperBuilderCustomizer.
         */
        static JsonMapper jsonMapper() {
            JsonMapper.Builder builder = JsonMapper.builder().disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY);
            StrictJackson3.configure(builder);
            return builder.build();
        }
    }
}
