package dev.predictbench.quarkus;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.predictbench.model.ApiException;
import dev.predictbench.model.Limits;
import dev.predictbench.model.PredictService;
import dev.predictbench.model.chat.ChatMessage;
import dev.predictbench.model.chat.ChatRequest;
import dev.predictbench.model.chat.ChatSettings;
import dev.predictbench.model.chat.ChatValidator;
import dev.predictbench.model.chat.ChatWire;
import dev.predictbench.model.http.HttpEdge;
import dev.predictbench.model.json.StrictJson;
import io.netty.channel.ConnectTimeoutException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.Json;
import io.vertx.core.parsetools.RecordParser;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Objects;

/**
 * /chat in the virtual and reactive variants: a Vert.x route ahead of Quarkus REST (registered only
 * in these variants) reads the body on the event loop and binds it with Quarkus's strict ObjectMapper.
 * Virtual: {@link BlockingChat} on a virtual thread of its own ({@link VirtualThreads}), writing to
 * the Vert.x response. Reactive: non-blocking end to end on the event loop that took the request; it relays the upstream's stream through Vert.x's
 * core HttpClient, a handler per buffer split into SSE lines by a RecordParser. The client's pool
 * is raised from Vert.x's 5 per host to PREDICTBENCH_UPSTREAM_POOL. Timeouts: connect, and a timer
 * for the response headers and for every gap between buffers. The route runs after ContractEdge's
 * protection and edge rules.
 */
@Singleton
public class ChatRoute {
    private static final int ORDER = RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT + 1;
    static final String CLIENT = "Vert.x core HttpClient " + Objects.requireNonNullElse(
            Vertx.class.getPackage().getImplementationVersion(), "4.5");

    private final Chats chats;
    private final ChatSettings settings;
    private final Limits limits;
    private final ObjectMapper mapper;
    private final BlockingChat blocking;
    private HttpClient client;

    ChatRoute(Chats chats, PredictService service, ObjectMapper mapper, BlockingChat blocking) {
        this.chats = chats;
        this.blocking = blocking;
        this.settings = chats.settings();
        this.limits = service.limits();
        this.mapper = mapper;
    }

    void register(@Observes Router router, Vertx vertx) {
        if (chats.variant() == Variant.BLOCKING) {
            return; // ChatResource, on a worker
        }
        if (chats.variant() == Variant.VIRTUAL) {
            router.route(HttpMethod.POST, "/chat").order(ORDER).handler(this::handle);
            return;
        }
        client = vertx.createHttpClient(new HttpClientOptions()
                        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, settings.timeout().toMillis()))
                        .setKeepAlive(true).setTryUseCompression(false),
                new PoolOptions().setHttp1MaxSize(settings.pool()));
        router.route(HttpMethod.POST, "/chat").order(ORDER).handler(this::handle);
    }

    void close(@Observes ShutdownEvent event) {
        if (client != null) {
            client.close();
        }
    }

    private void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (!HttpEdge.isJson(type)) {
            error(ctx, HttpEdge.unsupportedMediaType(type));
            return;
        }
        if (ctx.body().available()) {
            bound(ctx, ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
            return;
        }
        // The body, at most the limit (ContractEdge already refused a declared length over it).
        int max = limits.maxBodyBytes();
        Buffer body = Buffer.buffer();
        boolean[] tooLarge = {false};
        request.handler(chunk -> {
            if (tooLarge[0]) {
                return;
            }
            if (body.length() + chunk.length() > max) {
                tooLarge[0] = true;
                ctx.response().endHandler(v -> request.connection().close());
                ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
                error(ctx, limits.bodyTooLarge());
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(broken -> {
            if (!ctx.response().ended()) {
                error(ctx, HttpEdge.unreadableBody());
            }
        });
        request.endHandler(v -> {
            if (!tooLarge[0] && !ctx.response().ended()) {
                bound(ctx, body.getBytes());
            }
        });
        request.resume();
    }

    private void bound(RoutingContext ctx, byte[] body) {
        ChatRequest request;
        List<ChatMessage> messages;
        try {
            if (body.length == 0 || new String(body, java.nio.charset.StandardCharsets.ISO_8859_1).isBlank()) {
                throw HttpEdge.emptyBody();
            }
            request = StrictJson.read(mapper, body, ChatRequest.class);
            if (chats.variant() == Variant.VIRTUAL) {
                VirtualThreads.execute(() -> onVirtualThread(ctx, request));
                return;
            }
            messages = ChatValidator.validate(request);
            chats.acquire();
        } catch (ApiException refused) {
            error(ctx, refused);
            return;
        }
        new Exchange(ctx, messages, request.streaming()).start();
    }

    /** The virtual variant: BlockingChat's answer written to the Vert.x response. */
    private void onVirtualThread(RoutingContext ctx, ChatRequest request) {
        HttpServerResponse response = ctx.response();
        try {
            jakarta.ws.rs.core.Response answer = blocking.chat(request);
            if (answer.getEntity() instanceof jakarta.ws.rs.core.StreamingOutput stream) {
                response.setStatusCode(200).setChunked(true)
                        .putHeader(HttpHeaders.CONTENT_TYPE, ChatWire.EVENT_STREAM)
                        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
                stream.write(new ResponseStream(response));
                if (!response.ended() && !response.closed()) {
                    response.end();
                }
            } else {
                response.setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .end((String) answer.getEntity());
            }
        } catch (ApiException refused) {
            error(ctx, refused);
        } catch (java.io.IOException | RuntimeException e) {
            if (!response.headWritten()) {
                error(ctx, HttpEdge.internalError());
            } else if (!response.ended()) {
                response.end();
            }
        }
    }

    /** The Vert.x response as the OutputStream BlockingChat writes: each write goes out at once. */
    private static final class ResponseStream extends java.io.OutputStream {
        private final HttpServerResponse response;

        ResponseStream(HttpServerResponse response) {
            this.response = response;
        }

        @Override
        public void write(int b) throws java.io.IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws java.io.IOException {
            if (response.closed()) {
                throw new java.io.IOException("the caller went away");
            }
            response.write(Buffer.buffer().appendBytes(bytes, offset, length));
        }

        /** The first flush sends the status and headers. */
        @Override
        public void flush() throws java.io.IOException {
            if (response.closed()) {
                throw new java.io.IOException("the caller went away");
            }
            if (!response.headWritten()) {
                response.writeHead();
            }
        }
    }

    /** One chat's upstream call and its answer; every callback runs on the request's event loop. */
    private final class Exchange {
        private final RoutingContext ctx;
        private final HttpServerResponse response;
        private final List<ChatMessage> messages;
        private final boolean stream;
        private final Vertx vertx;
        private HttpClientRequest upstream;
        private long timer = -1;
        private boolean finished;
        private boolean streaming;

        Exchange(RoutingContext ctx, List<ChatMessage> messages, boolean stream) {
            this.ctx = ctx;
            this.response = ctx.response();
            this.messages = messages;
            this.stream = stream;
            this.vertx = ctx.vertx();
        }

        void start() {
            // The caller going away resets the upstream call.
            response.closeHandler(v -> finish(null, true));
            arm(); // connect and response headers, within the timeout
            RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
                    .setAbsoluteURI(settings.completions().toString())
                    .setConnectTimeout(settings.timeout().toMillis())
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .putHeader(HttpHeaders.ACCEPT, stream ? ChatWire.EVENT_STREAM : "application/json");
            client.request(options).onComplete(created -> {
                if (created.failed()) {
                    fail(created.cause());
                    return;
                }
                upstream = created.result();
                if (finished) {
                    upstream.reset();
                    return;
                }
                upstream.send(ChatWire.upstreamBody(settings.model(), messages, stream)).onComplete(answered -> {
                    if (answered.failed()) {
                        fail(answered.cause());
                    } else {
                        answered(answered.result());
                    }
                });
            });
        }

        private void answered(HttpClientResponse answer) {
            if (finished) {
                return;
            }
            String type = Objects.requireNonNullElse(answer.getHeader(HttpHeaders.CONTENT_TYPE), "");
            if (answer.statusCode() / 100 != 2 || stream && !type.toLowerCase().startsWith(ChatWire.EVENT_STREAM)) {
                finish(ChatWire.upstreamFailed(answer.statusCode() / 100 != 2 ? "status " + answer.statusCode()
                        : "not an event stream: '" + type + "'"), true);
                return;
            }
            arm();
            answer.exceptionHandler(this::fail);
            if (!stream) {
                Buffer whole = Buffer.buffer();
                answer.handler(chunk -> {
                    arm();
                    whole.appendBuffer(chunk);
                });
                answer.endHandler(v -> {
                    if (finished) {
                        return;
                    }
                    try {
                        String json = ChatWire.answerOf(whole.toString(java.nio.charset.StandardCharsets.UTF_8)).json();
                        finished = true;
                        disarm();
                        chats.release();
                        chats.completed();
                        response.setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(json);
                    } catch (ApiException notAnAnswer) {
                        finish(notAnAnswer, false);
                    }
                });
                return;
            }
            streaming = true;
            response.setStatusCode(200).setChunked(true)
                    .putHeader(HttpHeaders.CONTENT_TYPE, ChatWire.EVENT_STREAM)
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
            response.writeHead();
            RecordParser lines = RecordParser.newDelimited("\n", line -> line(line.toString(java.nio.charset.StandardCharsets.UTF_8)));
            answer.handler(chunk -> {
                arm();
                lines.handle(chunk);
                // Backpressure: a slow caller pauses the upstream until its writes drain.
                if (!finished && response.writeQueueFull()) {
                    answer.pause();
                    response.drainHandler(v -> answer.resume());
                }
            });
            answer.endHandler(v -> {
                if (!finished) {
                    finish(ChatWire.upstreamFailed("the stream ended before [DONE]"), false);
                }
            });
        }

        private void line(String raw) {
            if (finished) {
                return;
            }
            String data = ChatWire.dataOf(raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw);
            if (data == null) {
                return;
            }
            if (ChatWire.DONE.equals(data.strip())) {
                finished = true;
                disarm();
                chats.release();
                chats.completed();
                response.end(Buffer.buffer(ChatWire.doneEventBytes()));
                return;
            }
            String token;
            try {
                token = ChatWire.tokenOf(data);
            } catch (ApiException notAChunk) {
                finish(notAChunk, true);
                return;
            }
            if (token != null) {
                response.write(Buffer.buffer(ChatWire.tokenEventBytes(token)));
            }
        }

        /** The timeout from now: for the connection and headers, or for the next buffer. */
        private void arm() {
            disarm();
            if (finished) {
                return;
            }
            timer = vertx.setTimer(settings.timeout().toMillis(),
                    id -> finish(ChatWire.upstreamTimeout(settings.timeout().toMillis()), true));
        }

        private void disarm() {
            if (timer >= 0) {
                vertx.cancelTimer(timer);
                timer = -1;
            }
        }

        private void fail(Throwable cause) {
            if (cause instanceof ConnectTimeoutException
                    || cause instanceof java.util.concurrent.TimeoutException) {
                finish(ChatWire.upstreamTimeout(settings.timeout().toMillis()), true);
            } else {
                finish(ChatWire.upstreamFailed(cause.getClass().getSimpleName()
                        + (cause.getMessage() == null ? "" : ": " + cause.getMessage())), true);
            }
        }

        /**
         * Ends the exchange once: the error as JSON before the stream began, as an error event after
         * (none when {@code error} is null: the caller left); {@code reset}: abandon the upstream call.
         */
        private void finish(ApiException error, boolean reset) {
            if (finished) {
                return;
            }
            finished = true;
            disarm();
            chats.release();
            if (reset && upstream != null) {
                upstream.reset();
            }
            if (error == null || response.ended() || response.closed()) {
                return;
            }
            if (streaming) {
                response.end(ChatWire.errorEvent(error));
            } else {
                error(ctx, error);
            }
        }
    }

    /** The contract's error JSON, with its headers (Retry-After for OVERLOADED). */
    private static void error(RoutingContext ctx, ApiException error) {
        HttpServerResponse response = ctx.response().setStatusCode(error.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        HttpEdge.headers(error, response::putHeader);
        response.end(Json.encode(error.body()));
    }
}
