package dev.predictbench.gatling.load;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An incremental HTTP/1.1 response parser for one keep-alive connection: it is fed the bytes as
 * they arrive and says when a response is complete, without keeping the body. Framing by
 * {@code Content-Length}, {@code Transfer-Encoding: chunked} or the connection's close; interim
 * 1xx responses are skipped. While it reads the body it looks for a marker (the key every good
 * answer of the workload has) and, for Server-Sent Events, reports each event's end as it arrives
 * so time to first event and time between events can be measured.
 */
final class ResponseParser {
    /** Told of each Server-Sent Event as its blank line arrives. */
    interface EventListener {
        void onEvent(long nanos);
    }

    private enum State { STATUS, HEADERS, BODY_LENGTH, BODY_TO_CLOSE, CHUNK_SIZE, CHUNK_DATA, CHUNK_DATA_END, TRAILERS, DONE }

    static final int MAX_LINE = 64 * 1024;

    private final byte[] marker;
    private final EventListener events;
    private static final byte[] HTTP_1 = ascii("HTTP/1.");
    private static final byte[] CONTENT_LENGTH = ascii("content-length");
    private static final byte[] TRANSFER_ENCODING = ascii("transfer-encoding");
    private static final byte[] CONNECTION = ascii("connection");
    private static final byte[] CHUNKED = ascii("chunked");
    private static final byte[] CLOSE = ascii("close");
    private static final byte[] KEEP_ALIVE = ascii("keep-alive");

    /** The line being read (without its CRLF): {@code line[0, length)}. */
    private byte[] line = new byte[256];
    private int length;
    private State state = State.STATUS;
    private int status;
    private long remaining;
    private boolean chunked;
    private boolean close;
    private int matched;
    private boolean found;
    private int lastBytes;

    /**
     * @param marker bytes every good answer's body contains (empty: no check)
     * @param events told of each Server-Sent Event's end; null when not timing events
     */
    ResponseParser(byte[] marker, EventListener events) {
        this.marker = marker;
        this.events = events;
        reset();
    }

    /** Ready for the next response on the connection. */
    void reset() {
        state = State.STATUS;
        status = 0;
        remaining = -1;
        chunked = false;
        close = false;
        matched = 0;
        found = marker.length == 0;
        lastBytes = 0;
        length = 0;
    }

    /**
     * Consumes bytes from {@code in} (in read mode) up to the end of the current response.
     *
     * @return true when the response is complete (the rest of {@code in}, if any, is left unread)
     * @throws ProtocolException when the bytes are not an HTTP/1.1 response
     */
    boolean feed(ByteBuffer in, long nanos) throws ProtocolException {
        while (in.hasRemaining() && state != State.DONE) {
            switch (state) {
                case STATUS, HEADERS, CHUNK_SIZE, CHUNK_DATA_END, TRAILERS -> {
                    if (readLine(in)) {
                        onLine();
                    }
                }
                case BODY_LENGTH -> {
                    int n = (int) Math.min(remaining, in.remaining());
                    body(in, n, nanos);
                    remaining -= n;
                    if (remaining == 0) {
                        state = State.DONE;
                    }
                }
                case BODY_TO_CLOSE -> body(in, in.remaining(), nanos);
                case CHUNK_DATA -> {
                    int n = (int) Math.min(remaining, in.remaining());
                    body(in, n, nanos);
                    remaining -= n;
                    if (remaining == 0) {
                        state = State.CHUNK_DATA_END;
                    }
                }
                default -> throw new IllegalStateException(state.name());
            }
        }
        return state == State.DONE;
    }

    /** The peer closed the connection: completes a response framed by the close. */
    boolean closed() {
        if (state == State.BODY_TO_CLOSE) {
            state = State.DONE;
            return true;
        }
        return false;
    }

    /** Whether bytes of a response have been read but it is not complete. */
    boolean inProgress() {
        return state != State.STATUS || length > 0;
    }

    int status() {
        return status;
    }

    /** Whether the body held the marker. */
    boolean found() {
        return found;
    }

    /** Whether the server asked to close the connection after this response. */
    boolean close() {
        return close;
    }

    private boolean readLine(ByteBuffer in) throws ProtocolException {
        while (in.hasRemaining()) {
            byte b = in.get();
            if (b == '\n') {
                if (length > 0 && line[length - 1] == '\r') {
                    length--;
                }
                return true;
            }
            if (length == line.length) {
                if (length >= MAX_LINE) {
                    throw new ProtocolException("a response line longer than " + MAX_LINE + " bytes");
                }
                line = Arrays.copyOf(line, Math.min(MAX_LINE, length * 2));
            }
            line[length++] = b;
        }
        return false;
    }

    private void onLine() throws ProtocolException {
        int len = length;
        length = 0;
        switch (state) {
            case STATUS -> {
                if (len == 0) {
                    return;
                }
                if (len < 12 || !startsWith(len, HTTP_1)) {
                    throw new ProtocolException("not an HTTP/1.x status line: " + text(0, len));
                }
                int code = 0;
                for (int i = 9; i < 12; i++) {
                    int d = line[i] - '0';
                    if (d < 0 || d > 9) {
                        throw new ProtocolException("bad status code in: " + text(0, len));
                    }
                    code = code * 10 + d;
                }
                status = code;
                close = line[7] == '0';
                state = State.HEADERS;
            }
            case HEADERS -> {
                if (len > 0) {
                    header(len);
                    return;
                }
                if (status >= 100 && status < 200) {
                    reset();
                } else if (status == 204 || status == 304) {
                    state = State.DONE;
                } else if (chunked) {
                    state = State.CHUNK_SIZE;
                } else if (remaining >= 0) {
                    state = remaining == 0 ? State.DONE : State.BODY_LENGTH;
                } else {
                    close = true;
                    state = State.BODY_TO_CLOSE;
                }
            }
            case CHUNK_SIZE -> {
                int end = 0;
                while (end < len && line[end] != ';') {
                    end++;
                }
                remaining = number(skipSpace(0, end), trimEnd(0, end), 16, "bad chunk size: ", len);
                state = remaining == 0 ? State.TRAILERS : State.CHUNK_DATA;
            }
            case CHUNK_DATA_END -> {
                if (len != 0) {
                    throw new ProtocolException("no CRLF after a chunk");
                }
                state = State.CHUNK_SIZE;
            }
            case TRAILERS -> {
                if (len == 0) {
                    state = State.DONE;
                }
            }
            default -> throw new IllegalStateException(state.name());
        }
    }

    /**
     * One header line, read in place (no strings are made for a well-formed response, so the
     * client makes next to no garbage per request and its collector stays out of the way).
     */
    private void header(int len) throws ProtocolException {
        int colon = 0;
        while (colon < len && line[colon] != ':') {
            colon++;
        }
        int nameFrom = skipSpace(0, colon);
        int nameTo = trimEnd(0, colon);
        if (colon == len || nameFrom == nameTo) {
            throw new ProtocolException("a header line without a name: " + text(0, len));
        }
        int valueFrom = skipSpace(colon + 1, len);
        int valueTo = trimEnd(colon + 1, len);
        if (is(nameFrom, nameTo, CONTENT_LENGTH)) {
            remaining = number(valueFrom, valueTo, 10, "bad Content-Length: ", len);
        } else if (is(nameFrom, nameTo, TRANSFER_ENCODING)) {
            chunked = valueTo - valueFrom >= CHUNKED.length && is(valueTo - CHUNKED.length, valueTo, CHUNKED);
        } else if (is(nameFrom, nameTo, CONNECTION)) {
            if (contains(valueFrom, valueTo, CLOSE)) {
                close = true;
            } else if (contains(valueFrom, valueTo, KEEP_ALIVE)) {
                close = false;
            }
        }
    }

    private int skipSpace(int from, int to) {
        while (from < to && (line[from] == ' ' || line[from] == '\t')) {
            from++;
        }
        return from;
    }

    private int trimEnd(int from, int to) {
        while (to > from && (line[to - 1] == ' ' || line[to - 1] == '\t')) {
            to--;
        }
        return to;
    }

    private boolean startsWith(int len, byte[] prefix) {
        return len >= prefix.length && Arrays.equals(line, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** Whether {@code line[from, to)} equals {@code lower}, ignoring ASCII case. */
    private boolean is(int from, int to, byte[] lower) {
        if (to - from != lower.length) {
            return false;
        }
        for (int i = 0; i < lower.length; i++) {
            int b = line[from + i];
            if (b >= 'A' && b <= 'Z') {
                b += 'a' - 'A';
            }
            if (b != lower[i]) {
                return false;
            }
        }
        return true;
    }

    private boolean contains(int from, int to, byte[] lower) {
        for (int at = from; at + lower.length <= to; at++) {
            if (is(at, at + lower.length, lower)) {
                return true;
            }
        }
        return false;
    }

    /** A non-negative number in {@code line[from, to)}: decimal or hexadecimal digits only. */
    private long number(int from, int to, int radix, String error, int len) throws ProtocolException {
        if (from == to || to - from > (radix == 16 ? 15 : 18)) {
            throw new ProtocolException(error + text(0, len));
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            int d = Character.digit(line[i], radix);
            if (d < 0) {
                throw new ProtocolException(error + text(0, len));
            }
            value = value * radix + d;
        }
        return value;
    }

    /** The line's bytes as text for an error message, cut at 80 characters. */
    private String text(int from, int to) {
        String s = new String(line, from, Math.min(to - from, 81), StandardCharsets.ISO_8859_1);
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }

    private void body(ByteBuffer in, int n, long nanos) {
        if (found && events == null) {
            in.position(in.position() + n);
            return;
        }
        for (int i = 0; i < n; i++) {
            byte b = in.get();
            if (!found) {
                if (b == marker[matched]) {
                    if (++matched == marker.length) {
                        found = true;
                    }
                } else {
                    matched = b == marker[0] ? 1 : 0;
                }
            }
            if (events != null) {
                // An event ends at a blank line: "\n\n" (or "\r\n\r\n", whose last two bytes are "\n" after "\r").
                if (b == '\n' && ((lastBytes & 0xff) == '\n' || lastBytes == ('\n' << 8 | '\r'))) {
                    events.onEvent(nanos);
                }
                lastBytes = (lastBytes << 8 | (b & 0xff)) & 0xffff;
            }
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Bytes that are not an HTTP/1.1 response. */
    static final class ProtocolException extends Exception {
        ProtocolException(String message) {
            super(message);
        }
    }
}
