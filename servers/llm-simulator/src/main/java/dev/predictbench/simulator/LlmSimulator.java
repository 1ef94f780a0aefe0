package dev.predictbench.simulator;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An OpenAI Chat Completions upstream simulator: {@code POST /v1/chat/completions} answers a
 * deterministic completion ({@link Script}) after a set time to first token and inter-token latency,
 * streamed as server-sent events or as one JSON answer; {@code GET /stats} and
 * {@code POST /stats/reset} report and zero its counters. Every connection and every stream runs on a
 * few Netty event-loop threads (one by default): token writes are scheduled tasks, not threads.
 */
public final class LlmSimulator implements AutoCloseable {

    /** The largest request body accepted; a larger one is answered 413. */
    public static final int MAX_BODY_BYTES = 1 << 20;
    private static final int BACKLOG = 8192;

    private final SimulatorConfig config;
    private final Counters counters;
    private final AtomicLong ids = new AtomicLong();
    private final EventLoopGroup group;
    private final ChannelGroup connections;
    private final ServerBootstrap bootstrap;
    private final String bindHost;
    private volatile Channel listener;
    private volatile boolean paused;
    private volatile boolean closed;
    private int port;

    private LlmSimulator(SimulatorConfig config) {
        this.config = config;
        this.counters = new Counters(config.threads());
        this.group = new NioEventLoopGroup(config.threads(), new DefaultThreadFactory("llm-simulator", true));
        this.connections = new DefaultChannelGroup("llm-simulator-connections", GlobalEventExecutor.INSTANCE);
        this.bindHost = config.host();
        this.bootstrap = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, BACKLOG)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (paused || closed) {
                            ch.close();
                            return;
                        }
                        connections.add(ch);
                        ch.pipeline()
                                .addLast(new HttpServerCodec())
                                .addLast(new HttpObjectAggregator(MAX_BODY_BYTES))
                                .addLast(new SimHandler(config, counters, ids));
                    }
                });
    }

    /** Starts a simulator listening on the config's host and port (0: a free one). */
    public static LlmSimulator start(SimulatorConfig config) {
        warmUp(config);
        LlmSimulator simulator = new LlmSimulator(config);
        try {
            simulator.bind(config.port());
        } catch (RuntimeException e) {
            simulator.group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
        return simulator;
    }

    /**
     * Loads and runs the request path's own code (JSON parsing, directives, the script) once before
     * listening, so the first request's time to first token does not include class loading.
     */
    private static void warmUp(SimulatorConfig config) {
        byte[] sample = ("{\"model\":\"warm-up\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                + "\"messages\":[{\"role\":\"system\",\"content\":\"s\"},{\"role\":\"user\",\"content\":"
                + "[{\"type\":\"text\",\"text\":\"u\\n#sim tokens=2\"}]}]}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try {
            ChatRequest request = ChatRequest.parse(new java.io.ByteArrayInputStream(sample));
            Directives directives = Directives.parse(request.lastContent(), config);
            Json.quote(Script.completion(request.prompt(), directives.tokens()));
        } catch (ChatRequest.BadRequest e) {
            throw new IllegalStateException("the warm-up request is invalid: " + e.getMessage(), e);
        }
    }

    private void bind(int bindPort) {
        Channel channel = bootstrap.bind(new InetSocketAddress(bindHost, bindPort)).syncUninterruptibly().channel();
        listener = channel;
        port = ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** The port it listens on (the same after {@link #resume()}). */
    public int port() {
        return port;
    }

    /** The OpenAI base URL of this simulator, {@code http://127.0.0.1:<port>/v1} on a wildcard or loopback bind. */
    public String baseUrl() {
        String host = config.host();
        boolean local = host.equals("0.0.0.0") || host.equals("::") || host.equals("localhost")
                || host.equals("127.0.0.1");
        String urlHost = local ? "127.0.0.1" : host.contains(":") ? "[" + host + "]" : host;
        return "http://" + urlHost + ":" + port + "/v1";
    }

    public SimulatorConfig config() {
        return config;
    }

    /** The counters now, as {@code GET /stats} answers them. */
    public SimStats stats() {
        return counters.snapshot();
    }

    /** Zeroes the counters, as {@code POST /stats/reset} does. */
    public void resetStats() {
        counters.reset();
    }

    /**
     * Closes the listening socket and every open connection (streams in flight end abruptly): until
     * {@link #resume()}, new connections are refused.
     */
    public synchronized void pause() {
        if (paused || closed) {
            return;
        }
        paused = true;
        listener.close().syncUninterruptibly();
        connections.close().syncUninterruptibly();
    }

    /** Listens again on the same port after {@link #pause()}. */
    public synchronized void resume() {
        if (!paused || closed) {
            return;
        }
        bind(port);
        paused = false;
    }

    public boolean paused() {
        return paused;
    }

    /** Closes the listener and every connection and stops the event loop. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        listener.close().syncUninterruptibly();
        connections.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
