package dev.predictbench.springboot;

import dev.predictbench.contract.Contract;
import dev.predictbench.model.ApiException;
import dev.predictbench.model.ErrorCode;
import dev.predictbench.model.InflightLimit;
import dev.predictbench.model.chat.ChatMessage;
import dev.predictbench.model.chat.ChatRequest;
import dev.predictbench.model.chat.ChatSettings;
import dev.predictbench.model.chat.ChatValidator;
import dev.predictbench.model.chat.ChatWire;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.util.Timeout;
import org.apache.hc.core5.util.VersionInfo;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.SpringVersion;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * {@code POST /chat}: the conversation goes to the OpenAI-compatible upstream through Spring's
 * {@link RestClient}, blocking the thread that took the request (a Tomcat pool thread or a virtual
 * thread, per {@link ChatVariant}). A stream is relayed event by event on that same thread, written to
 * the servlet response and flushed per token; no async hand-off, no SseEmitter.
 *
 * <p>The request factory is Apache HttpClient 5 (Boot's managed version, already in the local
 * repository): its pooling connection manager takes a maximum (raised from 25 total / 5 per route to
 * {@link ChatSettings#pool()}), and its response timeout is the socket timeout of every blocking
 * read, so the same timeout bounds the wait for the headers and each gap between chunks. The JDK
 * client's request factory only times the wait for the headers.
 */
@RestController
class ChatController implements DisposableBean {
    /** Completed chats; Prometheus shows it as predictbench_chats_total. */
    static final String CHATS_METER = "predictbench.chats";
    private static final MediaType EVENT_STREAM = MediaType.parseMediaType(ChatWire.EVENT_STREAM);
    /** The upstream request the factory made for the current thread's call, so a caller going away can abort it. */
    private static final ThreadLocal<ClassicHttpRequest> UPSTREAM_CALL = new ThreadLocal<>();

    private final ChatSettings settings;
    private final Semaphore inflight;
    private final CloseableHttpClient httpClient;
    private final RestClient restClient;
    private final AtomicLong completed = new AtomicLong();

    ChatController(ChatSettings settings) {
        this.settings = settings;
        this.inflight = new Semaphore(settings.maxInflight());
        Timeout timeout = Timeout.of(settings.timeout());
        PoolingHttpClientConnectionManager pool = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnTotal(settings.pool())
                .setMaxConnPerRoute(settings.pool())
                .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(timeout).setSocketTimeout(timeout).build())
                .build();
        // No gzip negotiation (an event stream is relayed as it comes) and no retries of a POST.
        this.httpClient = HttpClients.custom().setConnectionManager(pool).disableContentCompression()
                .disableAutomaticRetries().build();
        HttpComponentsClientHttpRequestFactory factory = new HttpComponentsClientHttpRequestFactory(httpClient) {
            @Override
            protected void postProcessHttpRequest(ClassicHttpRequest request) {
                UPSTREAM_CALL.set(request);
            }
        };
        factory.setConnectionRequestTimeout(settings.timeout());
        factory.setReadTimeout(settings.timeout());
        this.restClient = RestClient.builder().requestFactory(factory).build();
    }

    @PostMapping(path = Contract.CHAT, consumes = MediaType.APPLICATION_JSON_VALUE)
    void chat(@RequestBody ChatRequest request, HttpServletResponse response) {
        List<ChatMessage> messages = ChatValidator.validate(request);
        if (!inflight.tryAcquire()) {
            throw new ApiException(ErrorCode.OVERLOADED, "the server is at its limit of " + settings.maxInflight()
                    + " chats in flight; retry after " + InflightLimit.RETRY_AFTER_SECONDS + " s",
                    InflightLimit.RETRY_AFTER_SECONDS);
        }
        try {
            if (request.streaming()) {
                stream(messages, response);
            } else {
                whole(messages, response);
            }
        } finally {
            UPSTREAM_CALL.remove();
            inflight.release();
        }
    }

    /** Chats answered completely (whole, or streamed to [DONE]). */
    long completed() {
        return completed.get();
    }

    private RestClient.RequestBodySpec upstream(List<ChatMessage> messages, boolean stream) {
        return restClient.post().uri(settings.completions()).contentType(MediaType.APPLICATION_JSON)
                .body(ChatWire.upstreamBody(settings.model(), messages, stream));
    }

    private void whole(List<ChatMessage> messages, HttpServletResponse response) {
        ChatWire.ChatAnswer answer;
        try {
            answer = upstream(messages, false).accept(MediaType.APPLICATION_JSON).exchange((req, res) -> {
                requireSuccess(res);
                try (InputStream body = res.getBody()) {
                    return ChatWire.answerOf(new String(body.readAllBytes(), StandardCharsets.UTF_8));
                }
            });
        } catch (RuntimeException e) {
            throw upstreamError(e);
        }
        byte[] json = answer.json().getBytes(StandardCharsets.UTF_8);
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setContentLength(json.length);
        try {
            response.getOutputStream().write(json);
            completed.incrementAndGet();
        } catch (IOException callerGone) {
            // Nothing to answer to.
        }
    }

    /**
     * Waits for the upstream's status; a failure up to there is the contract's JSON error (thrown to
     * {@link ContractErrors}). From the 200 on, every failure ends the stream with one error event.
     */
    private void stream(List<ChatMessage> messages, HttpServletResponse response) {
        try {
            upstream(messages, true).accept(EVENT_STREAM).exchange((req, res) -> {
                requireSuccess(res);
                MediaType type = res.getHeaders().getContentType();
                if (type == null || !EVENT_STREAM.isCompatibleWith(type)) {
                    throw ChatWire.upstreamFailed("it answered " + type + ", not an event stream");
                }
                relay(res, response);
                return null;
            });
        } catch (RuntimeException e) {
            if (!response.isCommitted()) {
                throw upstreamError(e);
            }
            // Committed: relay() already ended the stream; what is left is closing the upstream call.
        }
    }

    /** Copies the upstream's tokens to the caller as they arrive, on this thread. */
    private void relay(ClientHttpResponse upstream, HttpServletResponse response) throws IOException {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(ChatWire.EVENT_STREAM);
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
        ServletOutputStream out = response.getOutputStream();
        if (!send(out, null, response)) {
            return;
        }
        ApiException failure;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(upstream.getBody(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                String data = ChatWire.dataOf(line);
                if (data == null) {
                    continue;
                }
                if (ChatWire.DONE.equals(data.strip())) {
                    if (send(out, ChatWire.doneEventBytes(), response)) {
                        completed.incrementAndGet();
                    }
                    return;
                }
                String token = ChatWire.tokenOf(data);
                if (token != null && !send(out, ChatWire.tokenEventBytes(token), response)) {
                    return;
                }
            }
            failure = ChatWire.upstreamFailed("its stream ended before " + ChatWire.DONE);
        } catch (SocketTimeoutException e) {
            failure = ChatWire.upstreamTimeout(settings.timeout().toMillis());
        } catch (IOException e) {
            failure = ChatWire.upstreamFailed("its stream broke: " + e);
        } catch (ApiException e) {
            failure = e;
        }
        send(out, ChatWire.errorEvent(failure).getBytes(StandardCharsets.UTF_8), response);
        abortUpstream(); // the stream is broken: not a connection to keep
    }

    /**
     * Writes and flushes one event (just the headers for null). False when the caller is gone: then
     * the upstream call is aborted, as closing its response would read the rest of the stream first.
     */
    private static boolean send(ServletOutputStream out, byte[] event, HttpServletResponse response) {
        try {
            if (event != null) {
                out.write(event);
            }
            response.flushBuffer();
            return true;
        } catch (IOException callerGone) {
            abortUpstream();
            return false;
        }
    }

    private static void abortUpstream() {
        if (UPSTREAM_CALL.get() instanceof HttpUriRequestBase call) {
            call.cancel();
        }
    }

    private static void requireSuccess(ClientHttpResponse res) throws IOException {
        if (!res.getStatusCode().is2xxSuccessful()) {
            throw ChatWire.upstreamFailed("it answered HTTP " + res.getStatusCode().value());
        }
    }

    /** What a failed call before the stream began is, as the contract's error: 504 for a timeout, else 502. */
    private ApiException upstreamError(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ApiException api) {
                return api;
            }
            if (t instanceof SocketTimeoutException || t instanceof ConnectTimeoutException) {
                return ChatWire.upstreamTimeout(settings.timeout().toMillis());
            }
        }
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        return ChatWire.upstreamFailed(cause.getClass().getSimpleName() + ": " + cause.getMessage());
    }

    /** /info's "chat" entry for this handler. */
    Map<String, Object> info(boolean virtualThreads) {
        VersionInfo apache = VersionInfo.loadVersionInfo("org.apache.hc.client5", HttpClients.class.getClassLoader());
        Map<String, Object> chat = new LinkedHashMap<>();
        chat.put("client", "Spring RestClient (Spring Framework " + SpringVersion.getVersion()
                + ") on Apache HttpClient " + (apache != null ? apache.getRelease() : "5")
                + " (HttpComponentsClientHttpRequestFactory, PoolingHttpClientConnectionManager maxTotal = maxPerRoute = pool;"
                + " Boot's managed client, resolved offline, whose read timeout bounds every blocking read)");
        chat.put("pool", settings.pool());
        chat.put("handler", "blocking client on " + (virtualThreads ? "a virtual thread per request (Tomcat)"
                : "a platform request thread (Tomcat's pool)") + ", relaying and flushing each event on that thread");
        chat.put("upstream", settings.completions().toString());
        chat.put("timeoutMs", settings.timeout().toMillis());
        chat.put("maxInflight", settings.maxInflight());
        return chat;
    }

    @Override
    public void destroy() throws IOException {
        httpClient.close();
    }
}
