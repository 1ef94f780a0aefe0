package dev.predictbench.javalin;

import dev.predictbench.contract.Contract;
import dev.predictbench.contract.ContractMeters;
import dev.predictbench.model.ApiException;
import dev.predictbench.model.Health;
import dev.predictbench.model.Limits;
import dev.predictbench.model.MetricsAccept;
import dev.predictbench.model.PredictRequest;
import dev.predictbench.model.PredictResponse;
import dev.predictbench.model.PredictService;
import dev.predictbench.model.Protection;
import dev.predictbench.model.ServerInfo;
import dev.predictbench.model.ErrorCode;
import dev.predictbench.javalin.chat.ChatBackend;
import dev.predictbench.javalin.chat.ChatStream;
import dev.predictbench.javalin.chat.JdkChatBackend;
import dev.predictbench.model.chat.ChatMessage;
import dev.predictbench.model.chat.ChatRequest;
import dev.predictbench.model.chat.ChatSettings;
import dev.predictbench.model.chat.ChatValidator;
import dev.predictbench.model.chat.ChatWire;
import dev.predictbench.model.Settings;
import dev.predictbench.model.genai.EmbedRequest;
import dev.predictbench.model.genai.GenAiEndpoint;
import dev.predictbench.model.genai.GenAiService;
import dev.predictbench.model.genai.SearchRequest;
import dev.predictbench.model.http.HttpEdge;
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
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.net.URI;
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
 * The Javalin row: Javalin 7 on Jetty 12, a platform thread pool (or, as the {@link Variant}
 * {@code virtual}, Javalin's virtual threads), routes declared up front.
 *
 * <p>{@link #create} takes the functions that answer {@code /predict}, {@code /embed} and
 * {@code /search} ({@link Stack}), so the LangChain4j stack can be hosted on this exact glue with its
 * own pipelines in place of {@link PredictService#predict} and {@link GenAiService}: the difference
 * between the two rows is then LangChain4j's own cost. {@code /chat} is answered the same way by the
 * stack's {@link ChatBackend}: the JDK HttpClient here, LangChain4j's OpenAI models there.
 */
public final class JavalinServer {
    /** The contract's JSON rules; Javalin's JSON mapper and the request binding share it. */
    private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = StrictJson.newMapper();
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JavalinServer.class);

    /**
     * Connections Jetty holds at once (Jetty has none by default, and a flood of connections, each
     * with its buffers, can exhaust the heap): four times the harness's largest concurrency (256),
     * so no measured step reaches it; past it clients wait in the kernel's backlog, as with Tomcat's
     * {@code maxConnections}. {@code PREDICTBENCH_JETTY_MAX_CONNECTIONS} changes it; {@code /info} shows it.
     */
    static final int MAX_CONNECTIONS = Settings.intValue("PREDICTBENCH_JETTY_MAX_CONNECTIONS", 1024);

    /** Javalin's version, from its jar manifest. */
    public static final String JAVALIN = "Javalin " + Javalin.class.getPackage().getImplementationVersion();

    private JavalinServer() {
    }

    /**
     * What a stack hosted here is called and how it answers {@code /predict}, {@code /embed},
     * {@code /search} and {@code /chat}.
     */
    public record Stack(String name, String framework, String host, Function<PredictRequest, PredictResponse> predict,
                        GenAiEndpoint genAi, ChatBackend chat) {
    }

    public static void main(String[] args) {
        // First, so a wrong PREDICTBENCH_VARIANT stops the start before anything is loaded.
        Variant variant = Variant.fromEnvironment();
        PredictService service = PredictService.fromEnvironment();
        GenAiService genAi = GenAiService.fromEnvironment();
        Running running = serve(service, genAi, stack(service, genAi), Protection.fromEnvironment(), Settings.host(),
                Settings.port(), variant);
        Runtime.getRuntime().addShutdownHook(new Thread(running::close, "shutdown"));
    }

    /** The Javalin stack: the services answer the routes themselves. */
    public static Stack stack(PredictService service, GenAiService genAi) {
        return stack(service, genAi, ChatSettings.fromEnvironment());
    }

    /** The Javalin stack, its {@code /chat} going to the upstream {@code chat} names. */
    public static Stack stack(PredictService service, GenAiService genAi, ChatSettings chat) {
        return new Stack("javalin", JAVALIN, null, service::predict, genAi, new JdkChatBackend(chat));
    }

    /** A stack started on this glue, and the services it closes once stopped. */
    public record Running(Javalin app, PredictService service, GenAiService genAi) implements AutoCloseable {
        /** Where it listens, on loopback. */
        public URI baseUri() {
            return URI.create("http://127.0.0.1:" + app.port());
        }

        @Override
        public void close() {
            app.stop();
            genAi.close();
            service.close();
        }
    }

    /**
     * Starts {@code stack} guarded by {@code protection} on {@code host:port} (port 0: a free one);
     * stopping it closes {@code service} and {@code genAi}.
     */
    public static Running serve(PredictService service, GenAiService genAi, Stack stack, Protection protection,
                                String host, int port) {
        return serve(service, genAi, stack, protection, host, port, Variant.fromEnvironment());
    }

    /** {@link #serve} in {@code variant}. */
    public static Running serve(PredictService service, GenAiService genAi, Stack stack, Protection protection,
                                String host, int port, Variant variant) {
        return new Running(create(service, stack, protection, variant).start(host, port), service, genAi);
    }

    /** The application, not yet started, guarded by {@code protection}, in the variant {@code PREDICTBENCH_VARIANT} names. */
    public static Javalin create(PredictService service, Stack stack, Protection protection) {
        return create(service, stack, protection, Variant.fromEnvironment());
    }

    /** The application, not yet started, guarded by {@code protection}, in {@code variant}. */
    public static Javalin create(PredictService service, Stack stack, Protection protection, Variant variant) {
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ContractMeters.predictions(service).bindTo(metrics);
        ContractMeters.genAi(stack.genAi()).bindTo(metrics);
        // The limit the service's inference runs within (the process's, or the one a test handed in);
        // the LangChain4j stack's pipelines run within the same one.
        ContractMeters.overload(service.inflight()).bindTo(metrics);
        return Javalin.create(config -> configure(config, service, stack, protection, metrics, variant));
    }

    static void configure(JavalinConfig config, PredictService service, Stack stack, Protection protection,
                          PrometheusMeterRegistry metrics, Variant variant) {
        config.startup.showJavalinBanner = false;
        // Jetty's QueuedThreadPool (Javalin's default), or Javalin's pool of virtual threads.
        config.concurrency.useVirtualThreads = variant == Variant.VIRTUAL;
        config.events.serverStopped(stack.chat()::close);
        config.jsonMapper(new JavalinJackson(MAPPER, false));
        config.http.maxRequestSize = service.limits().maxBodyBytes();
        config.http.prefer405over404 = true;
        config.http.defaultContentType = ContentType.JSON;
        AtomicReference<ThreadPool> pool = new AtomicReference<>();
        config.jetty.modifyServer(server -> {
            server.setStopTimeout(5_000);
            server.addBean(new NetworkConnectionLimit(MAX_CONNECTIONS, server));
            // Requests Jetty refuses before any route runs (not HTTP, URI or headers over Jetty's
            // 8 KiB default) would get Jetty's HTML error page.
            server.setErrorHandler(new JsonErrorHandler(service.limits()));
            pool.set(server.getThreadPool());
        });
        routing(config, service, stack, protection, metrics, pool::get, variant);
    }

    /** Every route and error mapping, in one place. */
    static void routing(JavalinConfig config, PredictService service, Stack stack, Protection protection,
                        PrometheusMeterRegistry metrics, Supplier<ThreadPool> pool, Variant variant) {
        Limits limits = service.limits();
        ChatBackend chat = stack.chat();
        // /chat's own bound, apart from the inference limit, which /chat never takes: no queue.
        Semaphore chats = new Semaphore(chat.settings().maxInflight());
        io.micrometer.core.instrument.Counter completed = io.micrometer.core.instrument.Counter
                .builder("predictbench_chats").description("Chats answered whole or streamed to [DONE]").register(metrics);
        // Before every request, matched or not, ahead of reading the body; their ApiException goes
        // through the same exception mapping as the routes'. Jetty decodes the query only when a
        // route asks for it and reads a chunked body past a coding it does not know, so the edge
        // checks both here.
        if (protection.enabled()) {
            config.routes.before(ctx -> protection.check(ctx.path(), ctx.req().getRemoteAddr(),
                    ctx.header("Authorization"), ctx.header("X-API-Key")));
        }
        config.routes.before(ctx -> {
            HttpEdge.requireValidEscapes(ctx.req().getQueryString());
            HttpEdge.requireChunkedOnly(ctx.header("Transfer-Encoding"));
        });
        config.routes.post(Contract.PREDICT, ctx -> ctx.json(stack.predict().apply(body(ctx, PredictRequest.class, limits))));
        config.routes.post(Contract.EMBED, ctx -> ctx.json(stack.genAi().embed(body(ctx, EmbedRequest.class, limits))));
        config.routes.post(Contract.SEARCH, ctx -> ctx.json(stack.genAi().search(body(ctx, SearchRequest.class, limits))));
        config.routes.post(Contract.CHAT, ctx -> chat(ctx, chat, chats, limits, completed));
        config.routes.get(Contract.LIVE, ctx -> ctx.json(Health.UP));
        config.routes.get(Contract.READY, ctx -> ctx.json(Health.UP));
        config.routes.get(Contract.MODEL, ctx -> ctx.json(service.card()));
        config.routes.get(Contract.INFO, ctx -> ctx.json(info(service, stack, protection, pool.get(), variant)));
        config.routes.get(Contract.METRICS, ctx -> {
            // Always the Prometheus text format; an Accept header that rules it out gets the contract's 406.
            MetricsAccept.check(Collections.list(ctx.req().getHeaders("Accept")));
            ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
        });
        config.routes.get(Contract.OPENAPI, ctx -> ctx.contentType("application/yaml").result(Contract.openapiYaml()));

        config.routes.exception(ApiException.class, (e, ctx) -> error(ctx, e));
        config.routes.exception(HttpResponseException.class, (e, ctx) ->
                error(ctx, HttpEdge.forStatus(e.getStatus(), ctx.req().getMethod(), ctx.path(), limits)));
        config.routes.exception(Exception.class, (e, ctx) -> {
            // A body Jetty could not read as HTTP (a broken chunk) surfaces here as Jetty's own
            // HttpException (possibly wrapped in an IOException): the client's fault, with Jetty's status.
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof org.eclipse.jetty.http.HttpException http && http.getCode() < 500) {
                    error(ctx, http.getCode() == 400 ? HttpEdge.malformedRequest(http.getReason())
                            : HttpEdge.forStatus(http.getCode(), ctx.req().getMethod(), ctx.path(), limits));
                    return;
                }
            }
            LOG.error("{} {} failed", ctx.req().getMethod(), ctx.path(), e);
            error(ctx, HttpEdge.internalError());
        });
        config.routes.error(404, ctx -> {
            if (ctx.result() == null) {
                error(ctx, HttpEdge.notFound(ctx.req().getMethod(), ctx.path()));
            }
        });
        config.routes.error(405, ctx -> error(ctx, HttpEdge.methodNotAllowed(ctx.req().getMethod(), ctx.path())));
    }

    /** The JSON body bound to {@code type}, by the contract's edge rules (media type, limit, strict JSON). */
    private static <T> T body(Context ctx, Class<T> type, Limits limits) {
        HttpEdge.requireJson(ctx.contentType());
        InputStream in;
        try {
            in = ctx.req().getInputStream();
        } catch (IOException e) {
            throw HttpEdge.unreadableBody();
        }
        // Javalin's own maxRequestSize check reads the declared length as an int, which a length past
        // 2 GiB is not (the servlet API then says -1): the edge reads it as a long.
        return HttpEdge.readJson(in, ctx.req().getContentLengthLong(), limits, MAPPER, type);
    }

    /**
     * {@code POST /chat} on the request thread: bind and check the body, then either the whole answer
     * or the upstream's tokens relayed as Server-Sent Events, each written and flushed by this thread
     * the moment it arrives. The raw servlet stream is used, so Javalin's compression never applies.
     */
    private static void chat(Context ctx, ChatBackend backend, Semaphore chats, Limits limits,
                             io.micrometer.core.instrument.Counter completed) {
        if (!chats.tryAcquire()) {
            throw new ApiException(ErrorCode.OVERLOADED, "the server is at its limit of "
                    + backend.settings().maxInflight() + " chats in flight", 1);
        }
        try {
            ChatRequest request = body(ctx, ChatRequest.class, limits);
            List<ChatMessage> messages = ChatValidator.validate(request);
            if (!request.streaming()) {
                ctx.contentType(ContentType.JSON).result(backend.answer(messages).json());
                completed.increment();
                return;
            }
            // Returns once the upstream began: its failure so far is the contract's JSON error.
            try (ChatStream stream = backend.stream(messages)) {
                if (relay(ctx, stream)) {
                    completed.increment();
                }
            }
        } finally {
            chats.release();
        }
    }

    /**
     * The 200 event stream; a failure after it began is one error event; the caller gone cancels the
     * upstream. True when the stream reached {@code [DONE]}.
     */
    private static boolean relay(Context ctx, ChatStream stream) {
        var response = ctx.res();
        response.setStatus(200);
        response.setContentType(ChatWire.EVENT_STREAM);
        response.setHeader("Cache-Control", "no-cache");
        try {
            OutputStream out = response.getOutputStream();
            out.flush();
            try {
                for (String token = stream.next(); token != null; token = stream.next()) {
                    out.write(ChatWire.tokenEventBytes(token));
                    out.flush();
                }
                out.write(ChatWire.doneEventBytes());
                out.flush();
                return true;
            } catch (ApiException e) {
                out.write(ChatWire.errorEvent(e).getBytes(StandardCharsets.UTF_8));
                out.flush();
                return false;
            }
        } catch (IOException e) {
            // The caller went away: closing the stream (by the caller's try) cancels the upstream call.
            LOG.debug("/chat caller went away: {}", e.toString());
            return false;
        }
    }

    private static ServerInfo info(PredictService service, Stack stack, Protection protection, ThreadPool threadPool,
                                   Variant variant) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("variant", variant.id());
        details.put("maxConnections", MAX_CONNECTIONS);
        if (threadPool instanceof QueuedThreadPool pool) {
            details.put("pool", pool.getName());
            details.put("minThreads", pool.getMinThreads());
            details.put("maxThreads", pool.getMaxThreads());
            details.put("virtualThreads", pool.getVirtualThreadsExecutor() != null);
        } else if (variant == Variant.VIRTUAL) {
            details.put("pool", "Javalin's virtual-thread pool (a new virtual thread per task)");
            details.put("virtualThreads", true);
        } else {
            details.put("pool", String.valueOf(threadPool));
        }
        details.put("genAi", "embedding runs on the request thread (one shared ONNX Runtime session, no pool of its own)");
        ChatBackend chat = stack.chat();
        Map<String, Object> chatDetails = new LinkedHashMap<>();
        chatDetails.put("client", chat.client());
        chatDetails.put("pool", chat.pool());
        chatDetails.put("handler", chat.handler(variant.thread()));
        chatDetails.put("upstream", chat.settings().upstream().toString());
        details.put("chat", chatDetails);
        Thread current = Thread.currentThread();
        return ServerInfo.of(stack.name(), stack.framework(), stack.host(),
                new ServerInfo.Threading(variant.threadingModel(), current.getName() + (current.isVirtual() ? " (virtual)" : ""),
                        details), service, protection);
    }

    /** The contract's error, with the headers it calls for. */
    private static void error(Context ctx, ApiException e) {
        HttpEdge.headers(e, ctx::header);
        ctx.status(e.status()).json(e.body());
    }

    /**
     * Jetty's error page for what it refuses before Javalin sees a request, as the contract's JSON
     * ({@link HttpEdge#forStatus}).
     */
    static final class JsonErrorHandler extends org.eclipse.jetty.server.handler.ErrorHandler {
        private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
        private final Limits limits;

        JsonErrorHandler(Limits limits) {
            this.limits = limits;
        }

        /** Every method gets the JSON error (Jetty writes a body only for GET, POST and HEAD). */
        @Override
        public boolean errorPageForMethod(String method) {
            return true;
        }

        @Override
        protected void generateResponse(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
                                        int status, String message, Throwable cause,
                                        org.eclipse.jetty.util.Callback callback) throws java.io.IOException {
            ApiException e = status == 400 && message != null ? HttpEdge.malformedRequest(message)
                    : HttpEdge.forStatus(status, null, null, limits);
            response.setStatus(e.status());
            response.getHeaders().put(org.eclipse.jetty.http.HttpHeader.CONTENT_TYPE, HttpEdge.JSON);
            response.write(true, java.nio.ByteBuffer.wrap(JSON.writeValueAsBytes(e.body())), callback);
        }
    }
}
