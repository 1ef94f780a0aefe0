package dev.predictbench.simulator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A plain socket for what an HTTP client hides: the exact bytes, keep-alive, an abrupt end. */
final class RawHttp implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawHttp(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    void send(String method, String path, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + bytes.length + "\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
    }

    /** Everything until the server closes the connection. */
    String readToEof() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        return all.toString(StandardCharsets.UTF_8);
    }

    /** Reads until the text read so far ends with the given suffix. */
    String readUntil(String suffix) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        while (!all.toString(StandardCharsets.UTF_8).endsWith(suffix)) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("EOF before '" + suffix + "' after: " + all.toString(StandardCharsets.UTF_8));
            }
            all.write(b);
        }
        return all.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
