package dev.predictbench.contract.kit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Sends bytes the JDK's HttpClient refuses to send (a bad Content-Length, a broken chunk, a 64 KiB
 * header, a request line with a control character) over a plain socket and reads one HTTP/1.1
 * response. Every read has a timeout: a server that neither answers nor closes is reported as a
 * hang, a server that closes without a byte as {@link NoResponse}.
 */
final class RawHttp {
    private RawHttp() {
    }

    /** The server closed the connection without sending a status line. */
    static final class NoResponse extends IOException {
        NoResponse(String message) {
            super(message);
        }
    }

    /** The server sent nothing within the timeout and kept the connection open. */
    static final class Hang extends IOException {
        Hang(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** One response: the status, headers by lower-case name, and the (de-chunked) body. */
    record Response(int status, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /**
     * Writes {@code request} (on a thread of its own, so a server that answers before reading the
     * whole body cannot deadlock the exchange) and reads the response.
     */
    static Response exchange(URI base, byte[] request, Duration timeout) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    out.write(request);
                    out.flush();
                } catch (IOException ignored) {
                    // The server may answer and close before it has read everything: its answer counts.
                }
            });
            try {
                return read(socket.getInputStream());
            } catch (SocketTimeoutException e) {
                throw new Hang("no response within " + timeout.toSeconds() + " s and the connection still open", e);
            } finally {
                writer.interrupt();
            }
        }
    }

    private static Response read(InputStream in) throws IOException {
        String statusLine = line(in);
        if (statusLine == null) {
            throw new NoResponse("the server closed the connection without a response");
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP status line: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            if (colon > 0) {
                headers.putIfAbsent(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
            }
        }
        byte[] body;
        String length = headers.get("content-length");
        if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", ""))) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (String size = line(in); size != null; size = line(in)) {
                int n = Integer.parseInt(size.split(";")[0].trim(), 16);
                if (n == 0) {
                    break;
                }
                all.write(in.readNBytes(n));
                line(in);
            }
            body = all.toByteArray();
        } else if (length != null) {
            body = in.readNBytes(Integer.parseInt(length));
        } else if (status == 204 || status == 304) {
            body = new byte[0];
        } else {
            body = readToClose(in);
        }
        return new Response(status, headers, body);
    }

    private static byte[] readToClose(InputStream in) throws IOException {
        try {
            return in.readAllBytes();
        } catch (IOException reset) {
            return new byte[0];
        }
    }

    /** One line without its CRLF, or null at the end of the stream before any byte. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        boolean any = false;
        while (true) {
            try {
                b = in.read();
            } catch (SocketTimeoutException e) {
                throw e;
            } catch (IOException reset) {
                b = -1; // a reset after the server's answer ends the stream like a close
            }
            if (b < 0) {
                return any ? line.toString(StandardCharsets.ISO_8859_1) : null;
            }
            any = true;
            if (b == '\n') {
                String s = line.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            line.write(b);
        }
    }
}
