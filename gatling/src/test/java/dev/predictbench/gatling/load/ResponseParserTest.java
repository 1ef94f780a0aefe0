package dev.predictbench.gatling.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The load client's HTTP/1.1 response framing, fed byte by byte and in one piece. */
class ResponseParserTest {
    private static final byte[] MARKER = "\"label\"".getBytes(StandardCharsets.US_ASCII);

    private static boolean feedAll(ResponseParser p, String text, int pieceSize) throws Exception {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        boolean done = false;
        for (int i = 0; i < bytes.length; i += pieceSize) {
            ByteBuffer piece = ByteBuffer.wrap(bytes, i, Math.min(pieceSize, bytes.length - i));
            done = p.feed(piece, i);
            if (done) {
                assertFalse(piece.hasRemaining() && i + pieceSize < bytes.length, "stops at the end of the response");
            }
        }
        return done;
    }

    @Test
    void contentLengthFramedAnswerIsCompleteAtItsLastByteAndTheMarkerIsFoundAcrossPieces() throws Exception {
        String body = "{\"predictions\":[{\"label\":\"benign\"}]}";
        String response = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
        for (int piece : new int[] {1, 3, 7, response.length()}) {
            ResponseParser p = new ResponseParser(MARKER, null);
            assertTrue(feedAll(p, response, piece), "piece size " + piece);
            assertEquals(200, p.status());
            assertTrue(p.found(), "marker found with pieces of " + piece);
            assertFalse(p.close());
        }
        ResponseParser p = new ResponseParser(MARKER, null);
        assertFalse(feedAll(p, response.substring(0, response.length() - 1), 5), "one byte short is not complete");
        assertTrue(p.inProgress());
    }

    @Test
    void chunkedAnswersAndAnErrorWithoutTheMarker() throws Exception {
        String chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"lab\r\n7;ext=1\r\nel\":1}\n\r\n0\r\nX-Trailer: 1\r\n\r\n";
        ResponseParser p = new ResponseParser(MARKER, null);
        assertTrue(feedAll(p, chunked, 2));
        assertTrue(p.found(), "marker split across two chunks");
        String error = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 15\r\nConnection: close\r\n\r\n{\"code\":\"OVER\"}";
        ResponseParser e = new ResponseParser(MARKER, null);
        assertTrue(feedAll(e, error, 4));
        assertEquals(503, e.status());
        assertFalse(e.found());
        assertTrue(e.close(), "Connection: close is honoured");
    }

    @Test
    void interimAnswersAreSkippedAndAnAnswerWithoutLengthEndsWithTheConnection() throws Exception {
        ResponseParser p = new ResponseParser(MARKER, null);
        assertTrue(feedAll(p, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n", 3));
        assertEquals(204, p.status());
        ResponseParser c = new ResponseParser(MARKER, null);
        assertFalse(feedAll(c, "HTTP/1.0 200 OK\r\n\r\n{\"label\":1}", 4));
        assertTrue(c.closed(), "the close completes it");
        assertTrue(c.found() && c.close());
    }

    @Test
    void serverSentEventsAreTimedAsTheirBlankLinesArrive() throws Exception {
        List<Long> events = new ArrayList<>();
        ResponseParser p = new ResponseParser(new byte[0], events::add);
        String stream = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "b\r\ndata: one\n\n\r\n" + "d\r\ndata: two\r\n\r\n\r\n" + "e\r\ndata: [DONE]\n\n\r\n" + "0\r\n\r\n";
        assertTrue(feedAll(p, stream, 1));
        assertEquals(3, events.size(), "LF LF and CRLF CRLF both end an event: " + events);
    }

    @Test
    void garbageIsAProtocolError() {
        ResponseParser p = new ResponseParser(MARKER, null);
        assertThrows(ResponseParser.ProtocolException.class, () -> feedAll(p, "SSH-2.0-OpenSSH\r\n", 100));
        ResponseParser q = new ResponseParser(MARKER, null);
        assertThrows(ResponseParser.ProtocolException.class,
                () -> feedAll(q, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 100));
    }

    @Test
    void headerNamesAndValuesAreMatchedWhateverTheirCaseAndSpacing() throws Exception {
        String response = "HTTP/1.1 200 OK\r\ncontent-LENGTH:\t11 \r\nCONNECTION:  Keep-Alive, CLOSE\r\n\r\n{\"label\":1}";
        ResponseParser p = new ResponseParser(MARKER, null);
        assertTrue(feedAll(p, response, 2));
        assertTrue(p.found() && p.close(), "Content-Length read, 'close' found in a list of tokens");
        ResponseParser c = new ResponseParser(MARKER, null);
        assertTrue(feedAll(c, "HTTP/1.1 200 OK\r\nTRANSFER-ENCODING: gzip, Chunked\r\n\r\nB\r\n{\"label\":1}\r\n0\r\n\r\n", 3));
        assertTrue(c.found(), "upper-case hexadecimal chunk size and a chunked transfer coding in any case");
        ResponseParser k = new ResponseParser(MARKER, null);
        assertTrue(feedAll(k, "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n", 5));
        assertFalse(k.close(), "an HTTP/1.0 answer that asks to keep the connection");
    }

    @Test
    void malformedHeadersAndOverlongLinesAreProtocolErrorsThatQuoteTheLine() {
        for (String bad : new String[] {"HTTP/1.1 2x0 OK\r\n", "HTTP/1.1 200 OK\r\nContent-Length: -5\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n", "HTTP/1.1 200 OK\r\n: no name\r\n",
                "HTTP/1.1 200 OK\r\nno colon here\r\n", "http/1.1 200 OK\r\n"}) {
            ResponseParser p = new ResponseParser(MARKER, null);
            ResponseParser.ProtocolException e = assertThrows(ResponseParser.ProtocolException.class, () -> feedAll(p, bad, 100), bad);
            String firstLine = bad.contains("\r\n") && bad.indexOf("\r\n") + 2 < bad.length()
                    ? bad.substring(bad.indexOf("\r\n") + 2, bad.length() - 2) : bad.substring(0, bad.length() - 2);
            assertTrue(e.getMessage().contains(firstLine), "the message quotes the bad line: " + e.getMessage());
        }
        ResponseParser p = new ResponseParser(MARKER, null);
        String huge = "HTTP/1.1 200 OK\r\nX-Big: " + "a".repeat(ResponseParser.MAX_LINE) + "\r\n";
        ResponseParser.ProtocolException e = assertThrows(ResponseParser.ProtocolException.class, () -> feedAll(p, huge, 4096));
        assertTrue(e.getMessage().contains("longer than"), e.getMessage());
    }
}
