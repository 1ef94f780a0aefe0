package dev.predictbench.contract.kit;

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
 * An HTTP client for the protection and overload kits that connects from a loopback address of its
 * own (127.0.0.N; all of 127/8 is loopback on Linux): the servers tell rate-limited clients apart by
 * remote address, so each check gets a fresh budget and the checks cannot limit one another.
 */
final class KitClient implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final HttpClient client;

    KitClient(URI base, int loopbackHost) {
        this.base = base;
        try {
            this.client = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .localAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) loopbackHost}))
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** GET with the given headers (name, value, name, value...). */
    HttpProbe.Response get(String path, String... headers) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET(), headers);
    }

    /** POST of a JSON body with the given headers (name, value, name, value...). */
    HttpProbe.Response postJson(String path, String json, String... headers) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)), headers);
    }

    /** Lets go of the client's connections and selector thread. */
    @Override
    public void close() {
        client.close();
    }

    private HttpProbe.Response send(HttpRequest.Builder request, String... headers) throws IOException, InterruptedException {
        request.timeout(TIMEOUT);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new HttpProbe.Response(response.statusCode(), response);
    }
}
