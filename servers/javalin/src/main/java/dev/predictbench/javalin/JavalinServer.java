package dev.predictbench.javalin;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.predictbench.contract.Contract;
import dev.predictbench.contract.ContractMeters;
import dev.predictbench.model.ApiException;
import dev.predictbench.model.ErrorBody;
import dev.predictbench.model.ErrorCode;
import dev.predictbench.model.Health;
import dev.predictbench.model.MetricsAccept;
import dev.predictbench.model.PredictRequest;
import dev.predictbench.model.PredictResponse;
import dev.predictbench.model.PredictService;
import dev.predictbench.model.Protection;
import dev.predictbench.model.ServerInfo;
import dev.predictbench.model.Settings;
import dev.predictbench.model.genai.EmbedRequest;
import dev.predictbench.model.genai.EmbedResponse;
import dev.predictbench.model.genai.GenAiService;
import dev.predictbench.model.genai.SearchRequest;
import dev.predictbench.model.genai.SearchResponse;
import dev.predictbench.model.json.StrictJson;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.ContentType;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ThreadPool;

/**
 * The Javalin row: Javalin 7 on Jetty 12, a platform thread pool, routes declared up front.
 *
 * <p>{@link #create} takes the functions that answer {@code /predict}, {@code /embed} and
 * {@code /search} ({@link Stack}), so the LangChain4j stack can be hosted on this exact glue with its
 * own pipelines in place of {@link PredictService#predict} and {@link GenAiService}: the difference
 * between the two rows is then LangChain4j's own cost.
 */
public final class JavalinServer {
    /** The contract's JSON rules; Javalin's JSON mapper and the request binding share it. */
    private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = StrictJson.newMapper();
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JavalinServer.class);

    /**
     * Connections Jetty holds at once (Jetty's {@code NetworkConnectionLimit}; Jetty has no limit by
     * default). Tomcat's default {@code maxConnections}, 8192, was tried first: the LangChain4j server
     * on this glue (its heap also holds an embedding store) still ran out of its 512 MiB heap in the
     * harness's overload scenario. 1024 is four times the harness's largest closed-model concurrency
     * (256), so no measured step reaches it. {@code PREDICTBENCH_JETTY_MAX_CONNECTIONS} changes it;
     * {@code /info} shows it (so every run record has it).
     */
    static final int MAX_CONNECTIONS = Settings.intValue("PREDICTBENCH_JETTY_MAX_CONNECTIONS", 1024);

    /** Javalin's version, from its jar manifest. */
    public static final String JAVALIN = "Javalin " + Javalin.class.getPackage().getImplementationVersion();

    private JavalinServer() {
    }

    /** What a stack hosted here is called and how it answers {@code /predict}, {@code /embed} and {@code /search}. */
    public record Stack(String name, String framework, String host, Function<PredictRequest, PredictResponse> predict,
                        GenAi genAi) {
    }

    /**
     * How a stack answers {@code /embed} and {@code /search}, and what it has done (for the metrics).
     * Both calls validate and throw the contract's {@link ApiException}.
     */
    public interface GenAi {
        EmbedResponse embed(EmbedRequest request);

        SearchResponse search(SearchRequest request);

        /** Texts embedded by {@code /embed} since start. */
        long textsEmbedded();

        /** Searches answered since start. */
        long searches();

        /** The Javalin row's: shared-model's {@link GenAiService}, called directly. */
        static GenAi direct(GenAiService service) {
            return new GenAi() {
                @Override
                public EmbedResponse embed(EmbedRequest request) {
                    return service.embed(request);
                }

                @Override
                public SearchResponse search(SearchRequest request) {
                    return service.search(request);
                }

                @Override
                public long textsEmbedded() {
                    return service.textsEmbedded();
                }

                @Override
                public long searches() {
                    return service.searches();
                }
            };
        }
    }

    public static void main(String[] args) {
        PredictService service = PredictService.fromEnvironment();
        GenAiService genAi = GenAiService.fromEnvironment();
        Javalin app = create(service, new Stack("javalin", JAVALIN, null, service::predict, GenAi.direct(genAi)),
                Protection.fromEnvironment())
                .start(Settings.host(), Settings.port());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.stop();
            genAi.close();
            service.close();
        }, "shutdown"));
    }

    /** The application, not yet started, with the protection the environment asks for (off by default). */
    public static Javalin create(PredictService service, Stack stack) {
        return create(service, stack, Protection.fromEnvironment());
    }

    /** The application, not yet started, guarded by {@code protection}. */
    public static Javalin create(PredictService service, Stack stack, Protection protection) {
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ContractMeters.predictions(service).bindTo(metrics);
        ContractMeters.genAi(stack.genAi(), GenAi::textsEmbedded, GenAi::searches).bindTo(metrics);
        // The limit the service's inference runs within (the process's, or the one a test handed in);
        // the LangChain4j stack's pipelines run within the same one.
        ContractMeters.overload(service.inflight()).bindTo(metrics);
        return Javalin.create(config -> configure(config, service, stack, protection, metrics));
    }

    static void configure(JavalinConfig config, PredictService service, Stack stack, Protection protection,
                          PrometheusMeterRegistry metrics) {
        config.startup.showJavalinBanner = false;
        config.jsonMapper(new JavalinJackson(MAPPER, false));
        config.http.maxRequestSize = service.limits().maxBodyBytes();
        config.http.prefer405over404 = true;
        config.http.defaultContentType = ContentType.JSON;
        AtomicReference<ThreadPool> pool = new AtomicReference<>();
        config.jetty.modifyServer(server -> {
            server.setStopTimeout(5_000);
            // Jetty accepts connections without limit by default, and every accepted one holds
            // buffers and a queued job: offered twice its saturation rate (the harness's overload
            // scenario, a new connection per arriving client) Jetty ran out of its 512 MiB heap.
            // Past the limit Jetty stops accepting and clients wait in the kernel's backlog, as
            // Tomcat does past its maxConnections.
            server.addBean(new NetworkConnectionLimit(MAX_CONNECTIONS, server));
            // Requests Jetty refuses before any route runs (not HTTP, URI or headers over Jetty's
            // 8 KiB default) would get Jetty's HTML error page.
            server.setErrorHandler(new JsonErrorHandler());
            pool.set(server.getThreadPool());
        });
        routing(config, service, stack, protection, metrics, pool::get);
    }

    /** Every route and error mapping, in one place. */
    static void routing(JavalinConfig config, PredictService service, Stack stack, Protection protection,
                        PrometheusMeterRegistry metrics, Supplier<ThreadPool> pool) {
        int maxBodyBytes = service.limits().maxBodyBytes();
        if (protection.enabled()) {
            // Before every request, matched or not, ahead of reading the body; its ApiException goes
            // through the same exception mapping as the routes'.
            config.routes.before(ctx -> protection.check(ctx.path(), ctx.req().getRemoteAddr(),
                    ctx.header("Authorization"), ctx.header("X-API-Key")));
        }
        config.routes.post(Contract.PREDICT, ctx -> ctx.json(stack.predict().apply(body(ctx, PredictRequest.class, maxBodyBytes))));
        config.routes.post(Contract.EMBED, ctx -> ctx.json(stack.genAi().embed(body(ctx, EmbedRequest.class, maxBodyBytes))));
        config.routes.post(Contract.SEARCH, ctx -> ctx.json(stack.genAi().search(body(ctx, SearchRequest.class, maxBodyBytes))));
        config.routes.get(Contract.LIVE, ctx -> ctx.json(Health.UP));
        config.routes.get(Contract.READY, ctx -> ctx.json(Health.UP));
        config.routes.get(Contract.MODEL, ctx -> ctx.json(service.card()));
        config.routes.get(Contract.INFO, ctx -> ctx.json(info(service, stack, protection, pool.get())));
        config.routes.get(Contract.METRICS, ctx -> {
            // Always the Prometheus text format; an Accept header that rules it out gets the contract's 406.
            MetricsAccept.check(Collections.list(ctx.req().getHeaders("Accept")));
            ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
        });
        config.routes.get(Contract.OPENAPI, ctx -> ctx.contentType("application/yaml").result(Contract.openapiYaml()));

        config.routes.exception(ApiException.class, (e, ctx) -> error(ctx, e));
        config.routes.exception(JsonProcessingException.class, (e, ctx) -> {
            ApiException api = StrictJson.toApiException(e);
            error(ctx, api.code(), api.getMessage());
        });
        config.routes.exception(HttpResponseException.class, (e, ctx) -> error(ctx, codeFor(e.getStatus()), e.getMessage()));
        config.routes.exception(Exception.class, (e, ctx) -> {
            // A body Jetty could not read as HTTP (a broken chunk) surfaces here as Jetty's own
            // HttpException (possibly wrapped in an IOException): the client's fault, with Jetty's status.
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof org.eclipse.jetty.http.HttpException http && http.getCode() < 500) {
                    ErrorCode code = http.getCode() == 400 ? ErrorCode.BAD_REQUEST : codeFor(http.getCode());
                    error(ctx, code, "bad request: " + http.getReason());
                    return;
                }
            }
            LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
            error(ctx, ErrorCode.INTERNAL_ERROR, "internal error");
        });
        config.routes.error(404, ctx -> {
            if (ctx.result() == null) {
                error(ctx, ErrorCode.NOT_FOUND, "no such path: " + ctx.method() + " " + ctx.path());
            }
        });
        config.routes.error(405, ctx -> error(ctx, ErrorCode.METHOD_NOT_ALLOWED,
                ctx.method() + " is not allowed on " + ctx.path()));
    }

    /** The JSON body bound to {@code type} with the strict mapper, after the media type and size checks. */
    private static <T> T body(Context ctx, Class<T> type, int maxBodyBytes) {
        if (!ctx.isJson()) {
            throw new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json, was "
                    + (ctx.contentType() == null ? "missing" : ctx.contentType()));
        }
        // Javalin checks Content-Length against maxRequestSize as an int, which a length past 2 GiB
        // is not (the servlet API then says -1, and Javalin would wait for the body): the declared
        // length is checked here as a long. A chunked body has none: at most one byte past the
        // limit is read (ctx.bodyAsBytes would buffer all of it) and the limit applied to that.
        long declared = ctx.req().getContentLengthLong();
        byte[] body;
        try {
            InputStream in = ctx.req().getInputStream();
            if (declared > maxBodyBytes) {
                if (declared <= maxBodyBytes + SWALLOW_BYTES) {
                    swallow(in);
                }
                throw bodyTooLarge(maxBodyBytes);
            }
            body = in.readNBytes(maxBodyBytes + 1);
            if (body.length > maxBodyBytes) {
                swallow(in);
                throw bodyTooLarge(maxBodyBytes);
            }
        } catch (IOException e) {
            // Jetty could not read the body as HTTP (a broken chunk) or the client went away.
            throw new ApiException(ErrorCode.BAD_REQUEST, "the request body could not be read as HTTP");
        }
        // From the bytes, not ctx.bodyAsClass (which decodes a String first and would turn invalid
        // UTF-8 into U+FFFD): Jackson's byte parser refuses a body that is not UTF-8.
        // Javalin's mapper (its ObjectMapper, called directly: Javalin's Kotlin wrapper throws a
        // NullPointerException for the JSON literal null, which binds to null). An empty body
        // fails in Jackson (MALFORMED_JSON).
        try {
            return StrictJson.requireBody(MAPPER.readValue(body, type));
        } catch (JsonProcessingException e) {
            throw StrictJson.toApiException(e);
        } catch (IOException e) {
            throw new ApiException(ErrorCode.MALFORMED_JSON, "request body is not valid JSON");
        }
    }

    /**
     * How much of a body over the limit is read and dropped before the 413, as Tomcat's
     * maxSwallowSize (2 MiB) does: Jetty closes a connection whose body is left unread, and a
     * client still sending then gets a reset instead of the answer. Past it the connection is
     * closed at once (a declared 10 GB is never waited for).
     */
    private static final int SWALLOW_BYTES = 2 << 20;

    private static void swallow(InputStream in) {
        byte[] buffer = new byte[16 * 1024];
        try {
            for (long left = SWALLOW_BYTES; left > 0; ) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    return;
                }
                left -= n;
            }
        } catch (IOException gone) {
            // The client stopped sending: the 413 is still the answer.
        }
    }

    private static ApiException bodyTooLarge(int maxBodyBytes) {
        return new ApiException(ErrorCode.BODY_TOO_LARGE, "request body is larger than the limit of "
                + maxBodyBytes + " bytes");
    }

    private static ServerInfo info(PredictService service, Stack stack, Protection protection, ThreadPool threadPool) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("maxConnections", MAX_CONNECTIONS);
        if (threadPool instanceof QueuedThreadPool pool) {
            details.put("pool", pool.getName());
            details.put("minThreads", pool.getMinThreads());
            details.put("maxThreads", pool.getMaxThreads());
            details.put("virtualThreads", pool.getVirtualThreadsExecutor() != null);
        } else {
            details.put("pool", String.valueOf(threadPool));
        }
        details.put("genAi", "embedding runs on the request thread (one shared ONNX Runtime session, no pool of its own)");
        Thread current = Thread.currentThread();
        return ServerInfo.of(stack.name(), stack.framework(), stack.host(),
                new ServerInfo.Threading("platform-thread-pool", current.getName() + (current.isVirtual() ? " (virtual)" : ""),
                        details), service, protection);
    }

    /** The contract's error, with Retry-After (429, 503) and WWW-Authenticate (401) where the exception calls for them. */
    private static void error(Context ctx, ApiException e) {
        if (e.retryAfterSeconds() != null) {
            ctx.header("Retry-After", String.valueOf(e.retryAfterSeconds()));
        }
        if (e.code() == ErrorCode.UNAUTHORIZED) {
            ctx.header("WWW-Authenticate", "Bearer");
        }
        error(ctx, e.code(), e.getMessage());
    }

    private static void error(Context ctx, ErrorCode code, String message) {
        ctx.status(code.status()).json(ErrorBody.of(code, message));
    }

    /**
     * Jetty's error page for what it refuses before Javalin sees a request, as the contract's JSON:
     * 400 (not valid HTTP) is BAD_REQUEST, 414 URI_TOO_LONG, 431 HEADERS_TOO_LARGE, 413
     * BODY_TOO_LARGE; another status of Jetty's below 500 is BAD_REQUEST too.
     */
    static final class JsonErrorHandler extends org.eclipse.jetty.server.handler.ErrorHandler {
        private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

        @Override
        protected void generateResponse(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
                                        int status, String message, Throwable cause,
                                        org.eclipse.jetty.util.Callback callback) throws java.io.IOException {
            ErrorCode code = switch (status) {
                case 404, 405, 413, 415 -> codeFor(status);
                case 414 -> ErrorCode.URI_TOO_LONG;
                case 431 -> ErrorCode.HEADERS_TOO_LARGE;
                default -> status < 500 ? ErrorCode.BAD_REQUEST : ErrorCode.INTERNAL_ERROR;
            };
            byte[] body = JSON.writeValueAsBytes(ErrorBody.of(code, "the server refused the request: "
                    + (message == null ? "HTTP " + status : message)));
            response.setStatus(code.status());
            response.getHeaders().put(org.eclipse.jetty.http.HttpHeader.CONTENT_TYPE, "application/json");
            response.write(true, java.nio.ByteBuffer.wrap(body), callback);
        }
    }

    private static ErrorCode codeFor(int status) {
        return switch (status) {
            case 404 -> ErrorCode.NOT_FOUND;
            case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
            case 413 -> ErrorCode.BODY_TOO_LARGE;
            case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            case 400 -> ErrorCode.MALFORMED_JSON;
            default -> ErrorCode.INTERNAL_ERROR;
        };
    }
}
