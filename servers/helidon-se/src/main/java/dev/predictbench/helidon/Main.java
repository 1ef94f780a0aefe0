package dev.predictbench.helidon;

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
import dev.predictbench.model.genai.EmbedRequest;
import dev.predictbench.model.genai.GenAiService;
import dev.predictbench.model.genai.SearchRequest;
import dev.predictbench.model.http.HttpEdge;
import dev.predictbench.model.json.StrictJson;
import io.helidon.common.Version;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Method;
import io.helidon.http.media.jackson.JacksonSupport;
import io.helidon.metrics.api.FunctionalCounter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Metrics;
import io.helidon.webserver.ListenerConfig;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
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
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * predict-bench on Helidon 4 SE: the WebServer runs every request on a virtual thread of its own,
 * which calls {@link PredictService} (and {@link GenAiService} for {@code /embed} and {@code /search})
 * directly (no pool, no hand-off). Everything that is not
 * Helidon glue lives in shared-model.
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
        WebServer server = server(service, genAi, Protection.fromEnvironment())
                .host(Settings.host()).port(Settings.port()).build().start();
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

    /** The server with everything but its address, guarded by {@code protection}; {@link #main} and the tests share it. */
    static WebServerConfig.Builder server(PredictService service, GenAiService genAi, Protection protection) {
        ObjectMapper json = JSON;
        // Helidon's metrics API, backed by its Micrometer provider; the Prometheus name gets "_total".
        counter(Contract.PREDICTIONS_METER, service, PredictService::rowsPredicted);
        counter(Contract.EMBEDDINGS_METER, genAi, GenAiService::textsEmbedded);
        counter(Contract.SEARCHES_METER, genAi, GenAiService::searches);
        // The limit the services' inference runs within (the process's, or the one a test handed in).
        InflightLimit inflight = service.inflight();
        counter(Contract.OVERLOAD_REJECTED_METER, inflight, InflightLimit::rejected);
        gauge(Contract.INFLIGHT_RUNNING_METER, inflight, InflightLimit::running);
        gauge(Contract.INFLIGHT_QUEUED_METER, inflight, InflightLimit::waiting);
        return WebServer.builder()
                // Only the features and media named here: discovery would add /observe/* endpoints and a
                // second, lenient Jackson mapper.
                .featuresDiscoverServices(false)
                .addFeature(ObserveFeature.builder()
                        .endpoint("/")
                        .observersDiscoverServices(false)
                        .addObserver(MetricsObserver.builder().endpoint(Contract.METRICS).build())
                        .build())
                .mediaContext(media -> media.mediaSupportsDiscoverServices(false)
                        .addMediaSupport(JacksonSupport.create(json)))
                // The contract's body limit is enforced in body(), which drains up to HttpEdge.DRAIN_BYTES
                // past it before answering 413; past that the connection refuses the payload itself (a
                // declared Content-Length at once, a chunked body while it reads).
                .maxPayloadSize((long) service.limits().maxBodyBytes() + HttpEdge.DRAIN_BYTES)
                .directHandlers(ContractErrors.directHandlers(json, service.limits()))
                // Hands Helidon's reason to the direct handlers, which tell "headers too large"
                // (431) from other 400s by it; they never echo it.
                .errorHandling(e -> e.includeEntity(true))
                .routing(routing -> routing(routing, service, genAi, protection));
    }

    /**
     * A counter in Helidon's global registry over this server's service. The registry outlives a
     * server: a counter left by an earlier server in the same JVM (tests start several) is replaced,
     * or getOrCreate would keep counting that server's closed service.
     */
    private static <T> void counter(String name, T source, Function<T, Long> count) {
        Metrics.globalRegistry().remove(name, List.of());
        Metrics.globalRegistry().getOrCreate(FunctionalCounter.builder(name, source, count));
    }

    /** A gauge in Helidon's global registry over this server's service, replaced like {@link #counter}'s. */
    private static <T> void gauge(String name, T source, ToDoubleFunction<T> value) {
        Metrics.globalRegistry().remove(name, List.of());
        Metrics.globalRegistry().getOrCreate(Gauge.builder(name, source, value));
    }

    /** Every endpoint and error mapping of the contract, in one place (tests call it too). */
    static void routing(HttpRouting.Builder routing, PredictService service, GenAiService genAi, Protection protection) {
        byte[] openapi = Contract.openapiYaml();
        Limits limits = service.limits();
        if (protection.enabled()) {
            // A routing filter runs ahead of every route (and of the metrics observer's); its
            // ApiException goes to the error handlers below like a route's.
            routing.addFilter((chain, req, res) -> {
                protection.check(req.path().path(), remoteAddress(req), req.headers().first(HeaderNames.AUTHORIZATION).orElse(null),
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
                .get(Contract.LIVE, (req, res) -> json(req, res, Health.UP))
                .get(Contract.READY, (req, res) -> json(req, res, Health.UP))
                .get(Contract.MODEL, (req, res) -> json(req, res, service.card()))
                .get(Contract.INFO, (req, res) -> json(req, res, info(req, service, protection)))
                .get(Contract.OPENAPI, (req, res) -> {
                    res.headers().contentType(MediaTypes.APPLICATION_YAML);
                    res.send(openapi);
                });
        ContractErrors.register(routing, service.limits());
    }

    /**
     * Sends {@code entity} as JSON whatever the Accept header says, as the other stacks do: through
     * Helidon's Jackson media support when the client accepts JSON (every benchmark request), else
     * as bytes from the same mapper, because the media support refuses to write JSON to a client
     * whose Accept header leaves it out (a 415, or a 500 for an error).
     */
    static void json(ServerRequest req, ServerResponse res, Object entity) {
        if (req.headers().isAccepted(MediaTypes.APPLICATION_JSON)) {
            res.send(entity);
            return;
        }
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(entity);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + entity.getClass().getSimpleName() + " as JSON", e);
        }
        res.headers().contentType(MediaTypes.APPLICATION_JSON);
        res.send(bytes);
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
            // The listener's maxPayloadSize (the limit plus the drain) stops a longer body while it is
            // read; any other failure to read it is a body that is not valid HTTP (a broken chunk).
            // StrictJson's own failures are ApiExceptions, passed on above.
            throw ContractErrors.payloadTooLarge(e) ? limits.bodyTooLarge() : HttpEdge.unreadableBody();
        }
    }

    /** The client's IP address, the rate limit's notion of a client. */
    private static String remoteAddress(ServerRequest req) {
        return req.remotePeer().address() instanceof InetSocketAddress socket && socket.getAddress() != null
                ? socket.getAddress().getHostAddress() : req.remotePeer().host();
    }

    private static ServerInfo info(ServerRequest req, PredictService service, Protection protection) {
        ListenerConfig listener = req.listenerContext().config();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("executor", "a new virtual thread per request (Helidon WebServer)");
        // The JDK's virtual-thread scheduler: one carrier per core unless the JVM is told otherwise.
        details.put("carrierThreads", Integer.getInteger("jdk.virtualThreadScheduler.parallelism",
                Runtime.getRuntime().availableProcessors()));
        details.put("maxConcurrentRequests", unlimitedIfNegative(listener.maxConcurrentRequests()));
        details.put("concurrencyLimit", listener.concurrencyLimit().map(Limit::type).orElse("none"));
        details.put("maxTcpConnections", unlimitedIfNegative(listener.maxTcpConnections()));
        details.put("maxPayloadSize", listener.maxPayloadSize());
        details.put("genAi", "embedding runs on the request's virtual thread (one shared ONNX Runtime session, no pool of its own)");
        Thread thread = Thread.currentThread();
        String sample = thread + (thread.isVirtual() ? " (virtual)" : " (platform)");
        return ServerInfo.of(STACK, "Helidon SE " + Version.VERSION, null,
                new ServerInfo.Threading("virtual-threads", sample, details), service, protection);
    }

    private static Object unlimitedIfNegative(int value) {
        return value < 0 ? "unlimited" : value;
    }
}
