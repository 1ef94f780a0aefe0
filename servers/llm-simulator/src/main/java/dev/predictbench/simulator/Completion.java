package dev.predictbench.simulator;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One completion in flight on a connection: its token writes are tasks scheduled on the connection's
 * event loop, each recording how late it ran. Token 0 is intended at the request's arrival plus ttft;
 * each later token one itl after the previous one was actually written, so the gap between two tokens
 * is never shorter than itl, even on a starved machine (a late event delays the rest of the stream
 * instead of bunching tokens together; the lateness counters show it). Every method runs on that
 * event loop.
 */
final class Completion implements Runnable {

    private final ChannelHandlerContext ctx;
    private final SimHandler handler;
    private final Counters counters;
    private final boolean stream;
    private final boolean keepAlive;
    private final boolean includeUsage;
    private final List<String> tokens;
    private final int cut;
    private final int promptTokens;
    private final String head;
    private final String id;
    private final long created;
    private final String model;
    private final long startNanos;
    private final long ttftNanos;
    private final long itlNanos;

    private int next;
    private long intendedNanos;
    private ScheduledFuture<?> timer;
    private boolean done;

    Completion(ChannelHandlerContext ctx, SimHandler handler, Counters counters, long id, ChatRequest request,
               Directives directives, boolean keepAlive, long startNanos) {
        this.ctx = ctx;
        this.handler = handler;
        this.counters = counters;
        this.stream = request.stream();
        this.keepAlive = keepAlive;
        this.includeUsage = request.includeUsage();
        this.tokens = Script.tokens(request.prompt(), directives.tokens());
        this.cut = directives.cut();
        this.promptTokens = Script.promptTokens(request.prompt());
        this.id = "chatcmpl-" + id;
        this.created = System.currentTimeMillis() / 1000;
        this.model = Json.quote(request.model());
        this.head = "{\"id\":\"" + this.id + "\",\"object\":\"chat.completion.chunk\",\"created\":" + created
                + ",\"model\":" + model;
        this.startNanos = startNanos;
        this.ttftNanos = TimeUnit.MILLISECONDS.toNanos(directives.ttftMs());
        this.itlNanos = TimeUnit.MILLISECONDS.toNanos(directives.itlMs());
    }

    void start() {
        counters.streamStarted();
        if (stream) {
            HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            response.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream")
                    .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
            HttpUtil.setTransferEncodingChunked(response, true);
            HttpUtil.setKeepAlive(response, keepAlive);
            ctx.writeAndFlush(response);
            scheduleAt(startNanos + ttftNanos);
        } else {
            // One event: the answer (or the cut) when the last token would have been produced.
            int last = cut >= 0 ? Math.min(cut, tokens.size()) : tokens.size();
            scheduleAt(startNanos + ttftNanos + Math.max(0, last - 1) * itlNanos);
        }
    }

    private void scheduleAt(long nanos) {
        intendedNanos = nanos;
        timer = ctx.executor().schedule(this, nanos - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void run() {
        if (done) {
            return;
        }
        long now = System.nanoTime();
        if (stream) {
            streamEvent(now);
        } else {
            answer(now - intendedNanos);
        }
    }

    private void streamEvent(long now) {
        if (next == cut) {
            cutNow();
            return;
        }
        counters.event(now - intendedNanos);
        String delta = next == 0
                ? "{\"role\":\"assistant\",\"content\":" + Json.quote(tokens.get(0)) + "}"
                : "{\"content\":" + Json.quote(tokens.get(next)) + "}";
        next++;
        boolean cutAfter = cut >= 0 && (next == cut || next == tokens.size());
        if (cutAfter || next < tokens.size()) {
            ChannelFuture written = ctx.writeAndFlush(new DefaultHttpContent(buffer(chunk(delta, "null"))));
            if (cutAfter) {
                // Closed once the token is out: no finish chunk, no [DONE], no last chunk.
                finish(false);
                written.addListener(ChannelFutureListener.CLOSE);
            } else {
                scheduleAt(now + itlNanos);
            }
            return;
        }
        StringBuilder end = new StringBuilder();
        end.append(chunk(delta, "null"));
        end.append(chunk("{}", "\"stop\""));
        if (includeUsage) {
            end.append("data: ").append(head).append(",\"choices\":[],\"usage\":").append(usage()).append("}\n\n");
        }
        end.append("data: [DONE]\n\n");
        ctx.write(new DefaultHttpContent(buffer(end.toString())));
        closeUnlessKeepAlive(ctx.writeAndFlush(new DefaultLastHttpContent()));
        finish(true);
    }

    private void answer(long lateness) {
        if (cut >= 0) {
            cutNow();
            return;
        }
        counters.event(lateness);
        String body = "{\"id\":\"" + id + "\",\"object\":\"chat.completion\",\"created\":" + created
                + ",\"model\":" + model
                + ",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
                + Json.quote(String.join("", tokens)) + "},\"finish_reason\":\"stop\"}],\"usage\":" + usage() + "}";
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                buffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        HttpUtil.setContentLength(response, response.content().readableBytes());
        HttpUtil.setKeepAlive(response, keepAlive);
        closeUnlessKeepAlive(ctx.writeAndFlush(response));
        finish(true);
    }

    private void closeUnlessKeepAlive(ChannelFuture lastWrite) {
        if (!keepAlive) {
            lastWrite.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** The {@code cut} directive before any token (or without streaming): close the connection now. */
    private void cutNow() {
        finish(false);
        ctx.channel().close();
    }

    /** The connection closed under this completion: stop its timer, count it as not answered. */
    void abort() {
        if (!done) {
            if (timer != null) {
                timer.cancel(false);
            }
            finish(false);
        }
    }

    private void finish(boolean completed) {
        done = true;
        counters.streamEnded(completed);
        // Queued requests on this connection go next only when it stays open.
        handler.completionDone(this, completed && keepAlive);
    }

    private String chunk(String delta, String finishReason) {
        return "data: " + head + ",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":"
                + finishReason + "}]}\n\n";
    }

    private String usage() {
        return "{\"prompt_tokens\":" + promptTokens + ",\"completion_tokens\":" + tokens.size()
                + ",\"total_tokens\":" + (promptTokens + tokens.size()) + "}";
    }

    private ByteBuf buffer(String text) {
        ByteBuf buf = ctx.alloc().buffer(text.length() + 16);
        buf.writeCharSequence(text, StandardCharsets.UTF_8);
        return buf;
    }
}
