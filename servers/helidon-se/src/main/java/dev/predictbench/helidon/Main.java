package dev.predictbench.helidon;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.predictbench.contract.Contract;
import dev.predictbench.model.ApiException;
import dev.predictbench.model.Health;
import dev.predictbench.model.InflightLimit;
import dev.predictbench.model.Limits;
import dev.predictbench.model.MetricsAccept;
import dev.predictbench.model.PredictRequest;
import dev.predictbench.model.PredictService;
import dev.predictbench.model.Protection;
import dev.predictbench.model.ServerInfo;
import dev.predictbench.model.Settings;
import dev.predictbench.model.chat.ChatRequest;
import dev.predictbench.model.chat.ChatSettings;
import dev.predictbench.model.chat.ChatValidator;
import dev.predictbench.model.genai.EmbedRequest;
import dev.predictbench.model.genai.GenAiService;
import dev.predictbench.model.genai.SearchRequest;
import dev.predictbench.model.http.HttpEdge;
import dev.predictbench.model.json.StrictJson;
import io.helidon.common.Version;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.HttpException;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Method;
import io.helidon.http.NotFoundException;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.http.media.jackson.JacksonSupport;
import io.helidon.metrics.api.FunctionalCounter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.Metrics;
import io.helidon.webserver.ListenerConfig;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.metrics.MetricsObserver;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * predict-bench on Helidon 4 SE: the WebServer runs every request on a virtual thread of its own,
 * which calls {@link PredictService} and {@link GenAiService} directly (no pool, no hand-off).
 */
public final class Main {
    static final String STACK = "helidon-se";
    private static final HeaderName X_API_KEY = HeaderNames.create("X-API-Key");
    /** The contract's strict mapper: Helidon's Jackson media writes with it, {@link #body} reads with it. */
    private static final ObjectMapper JSON = StrictJson.configure(new ObjectMapper());

    private Main() {
    }

    /** Starts the server on {@code HOST}:{@code PORT} (default 127.0.0.1:8080). */
    public static void main(String[] args) {
        PredictService service = PredictService.fromEnvironment();
        GenAiService genAi = GenAiService.fromEnvironment();
        WebServer server = server(service, genAi).host(Settings.host()).port(Settings.port()).build().start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            genAi.close();
            service.close();
        }, "shutdown"));
        System.getLogger(Main.class.getName()).log(System.Logger.Level.INFO,
                "predict-bench " + STACK + " listening on http://" + Settings.host() + ":" + server.port());
    }

    /** The server with everything but its address, with the environment's protection (off by default). */
    static WebServerConfig.Builder server(PredictService service, GenAiService genAi) {
        return server(service, genAi, Protection.fromEnvironment());
    }

    /** The server with everything but its address, guarded by {@code protection}, chatting with the environment's upstream. */
    static WebServerConfig.Builder server(PredictService service, GenAiService genAi, Protection protection) {
        return server(service, genAi, protection, ChatSettings.fromEnvironment());
    }

    /**
     * The server with everything but its address, guarded by {@code protection}, {@code /chat} going
     * to the upstream of {@code chat}.
     *
     * @throws IllegalStateException when PREDICTBENCH_VARIANT names a variant this stack does not have
     */
    static WebServerConfig.Builder server(PredictService service, GenAiService genAi, Protection protection,
                                          ChatSettings chat) {
        ChatRoute chatRoute = new ChatRoute(chat);
        replace(FunctionalCounter.builder(ChatRoute.CHATS_METER, chatRoute, ChatRoute::completed));
        // Helidon's metrics API, backed by its Micrometer provider; the Prometheus name gets "_total".
        InflightLimit inflight = service.inflight();
        replace(FunctionalCounter.builder(Contract.PREDICTIONS_METER, service, PredictService::rowsPredicted));
        replace(FunctionalCounter.builder(Contract.EMBEDDINGS_METER, genAi, GenAiService::textsEmbedded));
        replace(FunctionalCounter.builder(Contract.SEARCHES_METER, genAi, GenAiService::searches));
        replace(FunctionalCounter.builder(Contract.OVERLOAD_REJECTED_METER, inflight, InflightLimit::rejected));
        replace(Gauge.builder(Contract.INFLIGHT_RUNNING_METER, inflight, InflightLimit::running));
        replace(Gauge.builder(Contract.INFLIGHT_QUEUED_METER, inflight, InflightLimit::waiting));
        return WebServer.builder()
                // Only the features and media named here: discovery would add /observe/* endpoints and a
                // second, lenient Jackson mapper.
                .featuresDiscoverServices(false)
                .addFeature(ObserveFeature.builder().endpoint("/").observersDiscoverServices(false)
                        .addObserver(MetricsObserver.builder().endpoint(Contract.METRICS).build()).build())
                .mediaContext(media -> media.mediaSupportsDiscoverServices(false)
                        .addMediaSupport(JacksonSupport.create(JSON)))
                // body() drains up to HttpEdge.DRAIN_BYTES past the contract's limit before its 413; past that
                // the connection refuses the body (a declared Content-Length at once, a chunked one as read).
                .maxPayloadSize((long) service.limits().maxBodyBytes() + HttpEdge.DRAIN_BYTES)
                .directHandlers(directHandlers(service.limits()))
                // Hands Helidon's reason to the direct handler, which tells 431 from other 400s by it.
                .errorHandling(e -> e.includeEntity(true))
                .routing(routing -> routing(routing, service, genAi, protection, chatRoute));
    }

    /** Every endpoint and error mapping of the contract, in one place. */
    private static void routing(HttpRouting.Builder routing, PredictService service, GenAiService genAi,
                                Protection protection, ChatRoute chat) {
        byte[] openapi = Contract.openapiYaml();
        Limits limits = service.limits();
        if (protection.enabled()) {
            // A routing filter runs ahead of every route (and of the metrics observer's); its
            // ApiException goes to the error handlers below like a route's. A client is its IP address.
            routing.addFilter((chain, req, res) -> {
                String client = req.remotePeer().address() instanceof InetSocketAddress socket
                        && socket.getAddress() != null ? socket.getAddress().getHostAddress() : req.remotePeer().host();
                protection.check(req.path().path(), client, req.headers().first(HeaderNames.AUTHORIZATION).orElse(null),
                        req.headers().first(X_API_KEY).orElse(null));
                chain.proceed();
            });
        }
        // Helidon serves a target without its leading '/' as that path: the edge refuses it. GET
        // /metrics with an Accept header that allows neither Prometheus text nor OpenMetrics: the
        // contract's 406 instead of the metrics observer's empty one.
        routing.addFilter((chain, req, res) -> {
            HttpEdge.requireOriginForm(req.path().path());
            if (req.prologue().method() == Method.GET && Contract.METRICS.equals(req.path().path())) {
                MetricsAccept.check(req.headers().contains(HeaderNames.ACCEPT)
                        ? req.headers().get(HeaderNames.ACCEPT).allValues() : List.of());
            }
            chain.proceed();
        });
        routing.post(Contract.PREDICT, (req, res) -> json(req, res, service.predict(body(req, PredictRequest.class, limits))))
                .post(Contract.EMBED, (req, res) -> json(req, res, genAi.embed(body(req, EmbedRequest.class, limits))))
                .post(Contract.SEARCH, (req, res) -> json(req, res, genAi.search(body(req, SearchRequest.class, limits))))
                .post(Contract.CHAT, (req, res) -> {
                    ChatRequest request = body(req, ChatRequest.class, limits);
                    chat.handle(ChatValidator.validate(request), request.streaming(), res);
                })
                .get(Contract.LIVE, (req, res) -> json(req, res, Health.UP))
                .get(Contract.READY, (req, res) -> json(req, res, Health.UP))
                .get(Contract.MODEL, (req, res) -> json(req, res, service.card()))
                .get(Contract.INFO, (req, res) -> json(req, res, info(req, service, protection, chat)))
                .get(Contract.OPENAPI, (req, res) -> res.header(HeaderNames.CONTENT_TYPE, MediaTypes.APPLICATION_YAML.text()).send(openapi))
                .error(ApiException.class, Main::send)
                .error(HttpException.class, (req, res, e) -> {
                    String path = req.path().path();
                    // Helidon's router only knows 404: a miss on one of the contract's paths is a wrong method.
                    String allowed = e instanceof NotFoundException ? Contract.ROUTES.get(path) : null;
                    if (allowed != null) {
                        res.header(HeaderNames.ALLOW, allowed);
                    }
                    send(req, res, HttpEdge.forStatus(allowed != null ? 405 : e.status().code(),
                            req.prologue().method().text(), path, limits));
                });
    }

    /**
     * The contract's error JSON, not Helidon's plain text, for what the connection refuses outside
     * routing (a body declared over maxPayloadSize, a malformed request). Helidon answers headers
     * past maxHeadersSize with 400 "Header size exceeded" (matched, never sent): the contract's 431.
     */
    private static DirectHandlers directHandlers(Limits limits) {
        DirectHandler handler = (request, eventType, status, headers, message) -> {
            int code = status.code() == 400 && "Header size exceeded".equals(message) ? 431 : status.code();
            ApiException e = HttpEdge.forStatus(code, null, request.path(), limits);
            return DirectHandler.TransportResponse.builder().status(Status.create(e.status())).headers(headers)
                    .header(HeaderValues.CONTENT_TYPE_JSON).entity(bytes(e.body())).keepAlive(eventType.keepAlive()).build();
        };
        DirectHandlers.Builder handlers = DirectHandlers.builder();
        for (DirectHandler.EventType type : DirectHandler.EventType.values()) {
            handlers.addHandler(type, handler);
        }
        return handlers.build();
    }

    /** The contract's error, with the headers it calls for. */
    private static void send(ServerRequest req, ServerResponse res, ApiException e) {
        HttpEdge.headers(e, (name, value) -> res.header(HeaderNames.create(name), value));
        res.status(Status.create(e.status()));
        json(req, res, e.body());
    }

    /**
     * Sends {@code entity} as JSON whatever the Accept header says, as the other stacks do: Helidon's
     * Jackson media support refuses a client whose Accept header leaves JSON out (a 415, or a 500 for
     * an error), so such a client gets bytes from the same mapper.
     */
    private static void json(ServerRequest req, ServerResponse res, Object entity) {
        if (req.headers().isAccepted(MediaTypes.APPLICATION_JSON)) {
            res.send(entity);
        } else {
            res.header(HeaderValues.CONTENT_TYPE_JSON).send(bytes(entity));
        }
    }

    private static byte[] bytes(Object entity) {
        try {
            return JSON.writeValueAsBytes(entity);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + entity.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** The JSON body bound to {@code type}, by the contract's edge rules (media type, limit, strict JSON). */
    private static <T> T body(ServerRequest req, Class<T> type, Limits limits) {
        // Helidon would read a body without Content-Type as JSON: the contract wants 415 there.
        HttpEdge.requireJson(req.headers().contentType().map(HttpMediaType::text).orElse(null));
        if (!req.content().hasEntity()) {
            throw HttpEdge.emptyBody();
        }
        try (InputStream in = req.content().inputStream()) {
            return HttpEdge.readJson(in, req.headers().contentLength().orElse(-1), limits, JSON, type);
        } catch (ApiException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Helidon's 413 is a body past maxPayloadSize; any other failure to read it is a body that
            // is not valid HTTP (a broken chunk).
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof HttpException h && h.status().code() == 413 || t instanceof RequestException r && r.status().code() == 413) {
                    throw limits.bodyTooLarge();
                }
            }
            throw HttpEdge.unreadableBody();
        }
    }

    /**
     * Registers {@code meter} in Helidon's global registry, replacing the one an earlier server in
     * this JVM left (tests start several), which would go on reading that server's closed service.
     */
    private static <B extends Meter.Builder<B, M>, M extends Meter> void replace(B meter) {
        Metrics.globalRegistry().remove(meter.name(), List.of());
        Metrics.globalRegistry().getOrCreate(meter);
    }

    private static ServerInfo info(ServerRequest req, PredictService service, Protection protection, ChatRoute chat) {
        ListenerConfig listener = req.listenerContext().config();
        IntFunction<Object> unlimitedIfNegative = n -> n < 0 ? "unlimited" : n;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("variant", ChatRoute.VARIANT);
        details.put("executor", "a new virtual thread per request (Helidon WebServer)");
        // The JDK's virtual-thread scheduler: one carrier per core unless the JVM is told otherwise.
        details.put("carrierThreads", Integer.getInteger("jdk.virtualThreadScheduler.parallelism",
                Runtime.getRuntime().availableProcessors()));
        details.put("maxConcurrentRequests", unlimitedIfNegative.apply(listener.maxConcurrentRequests()));
        details.put("concurrencyLimit", listener.concurrencyLimit().map(Limit::type).orElse("none"));
        details.put("maxTcpConnections", unlimitedIfNegative.apply(listener.maxTcpConnections()));
        details.put("maxPayloadSize", listener.maxPayloadSize());
        details.put("genAi", "embedding runs on the request's virtual thread (one shared ONNX Runtime session, no pool of its own)");
        details.put("chat", chat.info());
        Thread thread = Thread.currentThread();
        String sample = thread + (thread.isVirtual() ? " (virtual)" : " (platform)");
        return ServerInfo.of(STACK, "Helidon SE " + Version.VERSION, null,
                new ServerInfo.Threading("virtual-threads", sample, details), service, protection);
    }
}
