package dev.predictbench.simulator;

import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One connection's HTTP handler: routes requests, starts completions and answers them in order. A
 * request that arrives while a completion is in flight on the same connection (HTTP/1.1 pipelining)
 * waits in a queue, so answers never interleave.
 */
final class SimHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    static final String COMPLETIONS_PATH = "/v1/chat/completions";

    private final SimulatorConfig config;
    private final Counters counters;
    private final AtomicLong ids;
    private final ArrayDeque<FullHttpRequest> pending = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private Completion current;

    SimHandler(SimulatorConfig config, Counters counters, AtomicLong ids) {
        super(false);
        this.config = config;
        this.counters = counters;
        this.ids = ids;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (current != null) {
            pending.add(request);
            return;
        }
        handleAndRelease(request);
    }

    private void handleAndRelease(FullHttpRequest request) {
        try {
            handle(request);
        } finally {
            request.release();
        }
    }

    private void handle(FullHttpRequest request) {
        long arrival = System.nanoTime();
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (!request.decoderResult().isSuccess()) {
            error(HttpResponseStatus.BAD_REQUEST, "Malformed HTTP request.", "invalid_request_error", false);
            return;
        }
        String path = new QueryStringDecoder(request.uri()).path();
        HttpMethod method = request.method();
        switch (path) {
            case COMPLETIONS_PATH -> {
                if (method.equals(HttpMethod.POST)) {
                    completions(request, keepAlive, arrival);
                } else {
                    notAllowed(method, path, keepAlive);
                }
            }
            case "/stats" -> {
                if (method.equals(HttpMethod.GET)) {
                    json(HttpResponseStatus.OK, counters.snapshot().toJson(), keepAlive);
                } else {
                    notAllowed(method, path, keepAlive);
                }
            }
            case "/stats/reset" -> {
                if (method.equals(HttpMethod.POST)) {
                    counters.reset();
                    json(HttpResponseStatus.OK, counters.snapshot().toJson(), keepAlive);
                } else {
                    notAllowed(method, path, keepAlive);
                }
            }
            default -> error(HttpResponseStatus.NOT_FOUND, "Invalid URL (" + method + " " + path + ")",
                    "invalid_request_error", keepAlive);
        }
    }

    private void completions(FullHttpRequest request, boolean keepAlive, long arrival) {
        counters.request();
        ChatRequest chat;
        Directives directives;
        try {
            chat = ChatRequest.parse(new ByteBufInputStream(request.content()));
            directives = Directives.parse(chat.lastContent(), config);
        } catch (ChatRequest.BadRequest e) {
            error(HttpResponseStatus.BAD_REQUEST, e.getMessage(), "invalid_request_error", keepAlive);
            return;
        }
        if (directives.status() != 0) {
            error(HttpResponseStatus.valueOf(directives.status()),
                    "The simulated upstream answered " + directives.status() + " (#sim status directive).",
                    "server_error", keepAlive);
            return;
        }
        current = new Completion(ctx, this, counters, ids.incrementAndGet(), chat, directives, keepAlive, arrival);
        current.start();
    }

    /**
     * Called by the completion in flight when it ends: the next queued request, if any, goes next when
     * the connection stays open (carryOn), else the queue is dropped.
     */
    void completionDone(Completion completion, boolean carryOn) {
        if (current != completion) {
            return;
        }
        current = null;
        if (!carryOn || !ctx.channel().isActive()) {
            releasePending();
            return;
        }
        FullHttpRequest next;
        while (current == null && (next = pending.poll()) != null) {
            handleAndRelease(next);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (current != null) {
            current.abort();
        }
        releasePending();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A peer that resets its connection mid-stream is normal under load: close quietly.
        ctx.close();
    }

    private void releasePending() {
        FullHttpRequest request;
        while ((request = pending.poll()) != null) {
            request.release();
        }
    }

    private void notAllowed(HttpMethod method, String path, boolean keepAlive) {
        error(HttpResponseStatus.METHOD_NOT_ALLOWED, "Method " + method + " is not allowed on " + path + ".",
                "invalid_request_error", keepAlive);
    }

    private void error(HttpResponseStatus status, String message, String type, boolean keepAlive) {
        json(status, Json.error(message, type), keepAlive);
    }

    private void json(HttpResponseStatus status, String body, boolean keepAlive) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        HttpUtil.setContentLength(response, response.content().readableBytes());
        HttpUtil.setKeepAlive(response, keepAlive);
        if (keepAlive) {
            ctx.writeAndFlush(response);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
