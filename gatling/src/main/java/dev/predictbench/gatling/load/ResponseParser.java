package dev.predictbench.gatling.load;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

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
    private final StringBuilder line = new StringBuilder(128);
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
        line.setLength(0);
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
        return state != State.STATUS || line.length() > 0;
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
                int len = line.length();
                if (len > 0 && line.charAt(len - 1) == '\r') {
                    line.setLength(len - 1);
                }
                return true;
            }
            if (line.length() >= MAX_LINE) {
                throw new ProtocolException("a response line longer than " + MAX_LINE + " bytes");
            }
            line.append((char) (b & 0xff));
        }
        return false;
    }

    private void onLine() throws ProtocolException {
        String text = line.toString();
        line.setLength(0);
        switch (state) {
            case STATUS -> {
                if (text.isEmpty()) {
                    return;
                }
                if (!text.startsWith("HTTP/1.") || text.length() < 12) {
                    throw new ProtocolException("not an HTTP/1.x status line: " + abbreviate(text));
                }
                try {
                    status = Integer.parseInt(text.substring(9, 12));
                } catch (NumberFormatException e) {
                    throw new ProtocolException("bad status code in: " + abbreviate(text));
                }
                close = text.startsWith("HTTP/1.0");
                state = State.HEADERS;
            }
            case HEADERS -> {
                if (!text.isEmpty()) {
                    header(text);
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
                int semi = text.indexOf(';');
                String size = (semi < 0 ? text : text.substring(0, semi)).trim();
                try {
                    remaining = Long.parseLong(size, 16);
                } catch (NumberFormatException e) {
                    throw new ProtocolException("bad chunk size: " + abbreviate(text));
                }
                if (remaining < 0) {
                    throw new ProtocolException("bad chunk size: " + abbreviate(text));
                }
                state = remaining == 0 ? State.TRAILERS : State.CHUNK_DATA;
            }
            case CHUNK_DATA_END -> {
                if (!text.isEmpty()) {
                    throw new ProtocolException("no CRLF after a chunk");
                }
                state = State.CHUNK_SIZE;
            }
            case TRAILERS -> {
                if (text.isEmpty()) {
                    state = State.DONE;
                }
            }
            default -> throw new IllegalStateException(state.name());
        }
    }

    private void header(String text) throws ProtocolException {
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new ProtocolException("a header line without a name: " + abbreviate(text));
        }
        String name = text.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = text.substring(colon + 1).trim();
        switch (name) {
            case "content-length" -> {
                try {
                    remaining = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new ProtocolException("bad Content-Length: " + abbreviate(value));
                }
            }
            case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
            case "connection" -> {
                String v = value.toLowerCase(Locale.ROOT);
                if (v.contains("close")) {
                    close = true;
                } else if (v.contains("keep-alive")) {
                    close = false;
                }
            }
            default -> {
            }
        }
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

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }

    /** Bytes that are not an HTTP/1.1 response. */
    static final class ProtocolException extends Exception {
        ProtocolException(String message) {
            super(message);
        }
    }
}
