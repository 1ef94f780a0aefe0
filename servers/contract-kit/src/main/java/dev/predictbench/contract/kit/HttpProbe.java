package dev.predictbench.contract.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A small HTTP/1.1 client for the kits, the equivalence checks and the runners, with a timeout on
 * every call so a server that hangs fails a check instead of stalling the build. One made by
 * {@link #from} has a client of its own, to close.
 */
public final class HttpProbe implements AutoCloseable {
    private static final HttpClient CLIENT = newClient(null);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final HttpClient client;

    public HttpProbe(URI base) {
        this(base, CLIENT);
    }

    private HttpProbe(URI base, HttpClient client) {
        this.base = base;
        this.client = client;
    }

    /**
     * A probe on a client of its own that connects from the loopback address 127.0.0.{@code host}
     * (all of 127/8 is loopback on Linux): servers tell rate-limited clients apart by remote
     * address, so each check that has its own address has its own budget.
     */
    static HttpProbe from(URI base, int host) {
        try {
            return new HttpProbe(base, newClient(InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) host})));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends one request on a client of its own, so on a connection of its own: a server that closes
     * connections after refusing a request cannot leave a dead one in the shared pool for the next.
     */
    public static Response sendAlone(URI base, String method, String path, String contentType, byte[] body,
                                     boolean chunked) throws IOException, InterruptedException {
        try (HttpProbe alone = new HttpProbe(base, newClient(null))) {
            return alone.send(method, path, contentType, body, chunked);
        }
    }

    private static HttpClient newClient(InetAddress localAddress) {
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5));
        return (localAddress == null ? builder : builder.localAddress(localAddress)).build();
    }

    /** Lets go of the client's connections and selector thread, if it is the probe's own. */
    @Override
    public void close() {
        if (client != CLIENT) {
            client.close();
        }
    }

    /** A response, read whole. */
    public record Response(int status, HttpResponse<byte[]> raw) {
        public String text() {
            return new String(raw.body(), StandardCharsets.UTF_8);
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        /** The body as JSON, or null when it is not JSON. */
        public JsonNode json() {
            try {
                return JSON.readTree(raw.body());
            } catch (IOException e) {
                return null;
            }
        }
    }

    /** GET with extra headers (name, value, name, value...). */
    public Response get(String path, String... headers) throws IOException, InterruptedException {
        return send("GET", path, null, new byte[0], false, headers);
    }

    /** POST of a JSON body with extra headers (name, value, name, value...). */
    public Response postJson(String path, String body, String... headers) throws IOException, InterruptedException {
        return send("POST", path, "application/json", body.getBytes(StandardCharsets.UTF_8), false, headers);
    }

    /**
     * Sends a request.
     *
     * @param contentType null sends no Content-Type
     * @param chunked     stream the body without a Content-Length (chunked transfer encoding)
     * @param headers     extra headers, names and values in turn; a name may come more than once (each is sent)
     */
    public Response send(String method, String path, String contentType, byte[] body, boolean chunked, String... headers)
            throws IOException, InterruptedException {
        if (headers.length % 2 != 0) {
            throw new IllegalArgumentException("headers come as name, value pairs");
        }
        HttpRequest.BodyPublisher publisher;
        if (body.length == 0 && !chunked) {
            publisher = HttpRequest.BodyPublishers.noBody();
        } else if (chunked) {
            publisher = HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body));
        } else {
            publisher = HttpRequest.BodyPublishers.ofByteArray(body);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).method(method, publisher);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Response(response.statusCode(), response);
    }
}
