package dev.predictbench.model.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictbench.model.ApiException;
import dev.predictbench.model.ErrorCode;
import dev.predictbench.model.Limits;
import dev.predictbench.model.PredictRequest;
import dev.predictbench.model.json.StrictJson;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HttpEdgeTest {
    private static final Limits LIMITS = new Limits(64, 1024);

    @ParameterizedTest
    @CsvSource({"400,BAD_REQUEST", "404,NOT_FOUND", "405,METHOD_NOT_ALLOWED", "406,NOT_ACCEPTABLE", "408,BAD_REQUEST",
            "411,BAD_REQUEST", "413,BODY_TOO_LARGE", "414,URI_TOO_LONG", "415,UNSUPPORTED_MEDIA_TYPE",
            "417,BAD_REQUEST", "431,HEADERS_TOO_LARGE", "499,BAD_REQUEST", "500,INTERNAL_ERROR",
            "501,BAD_REQUEST", "502,INTERNAL_ERROR", "503,OVERLOADED", "505,BAD_REQUEST", "200,INTERNAL_ERROR", "302,INTERNAL_ERROR"})
    void aFrameworksStatusMapsToOneCode(int status, ErrorCode code) {
        assertEquals(code, HttpEdge.codeFor(status));
        ApiException e = HttpEdge.forStatus(status, "GET", "/x", LIMITS);
        assertEquals(code, e.code());
        assertFalse(e.getMessage().isBlank());
    }

    @Test
    void aBare400IsAMalformedRequestNotMalformedJson() {
        ApiException e = HttpEdge.forStatus(400, "POST", "/predict", LIMITS);
        assertEquals(ErrorCode.BAD_REQUEST, e.code());
        assertEquals("malformed HTTP request: HTTP 400", e.getMessage());
    }

    @Test
    void theStandardErrorsSayWhatAndWhere() {
        assertEquals("no such path: GET /nope", HttpEdge.notFound("GET", "/nope").getMessage());
        assertEquals("no such path: /nope", HttpEdge.notFound(null, "/nope").getMessage());
        assertEquals("DELETE is not allowed on /predict", HttpEdge.methodNotAllowed("DELETE", "/predict").getMessage());
        assertEquals(ErrorCode.MALFORMED_JSON, HttpEdge.emptyBody().code());
        assertEquals("Content-Type must be application/json, was absent", HttpEdge.unsupportedMediaType(null).getMessage());
        assertEquals("Content-Type must be application/json, was 'text/plain'",
                HttpEdge.unsupportedMediaType("text/plain").getMessage());
        assertEquals(LIMITS.bodyTooLarge().getMessage(), HttpEdge.forStatus(413, "POST", "/predict", LIMITS).getMessage());
        assertEquals(ErrorCode.BODY_TOO_LARGE, HttpEdge.forStatus(413, null, null, null).code());
    }

    @Test
    void messagesNeverEchoControlCharactersOrLongValues() {
        String message = HttpEdge.notFound("GET", "/a\r\nSet-Cookie: x" + "y".repeat(1000)).getMessage();
        assertFalse(message.contains("\r") || message.contains("\n"), message);
        assertTrue(message.length() < 300, message);
    }

    @Test
    void errorsCarryTheirHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        HttpEdge.headers(new ApiException(ErrorCode.OVERLOADED, "busy", 2), headers::put);
        assertEquals(Map.of("Retry-After", "2"), headers);
        headers.clear();
        HttpEdge.headers(new ApiException(ErrorCode.UNAUTHORIZED, "no key"), headers::put);
        assertEquals(Map.of("WWW-Authenticate", "Bearer"), headers);
        headers.clear();
        HttpEdge.headers(new ApiException(ErrorCode.MALFORMED_JSON, "bad"), headers::put);
        assertTrue(headers.isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "APPLICATION/JSON", "application/json; charset=utf-8", " application/json ;x=y"})
    void jsonMediaTypes(String contentType) {
        assertTrue(HttpEdge.isJson(contentType));
        HttpEdge.requireJson(contentType);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "text/plain", "application/jsonx", "application/json-patch+json", "application/*", "json"})
    void otherMediaTypes(String contentType) {
        assertFalse(HttpEdge.isJson(contentType));
        assertEquals(ErrorCode.UNSUPPORTED_MEDIA_TYPE, assertThrows(ApiException.class, () -> HttpEdge.requireJson(contentType)).code());
    }

    @Test
    void anAbsentContentTypeIsNotJson() {
        assertFalse(HttpEdge.isJson(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/predict", "x=1&y=%20", "%41%4a%4F", "/a%2Fb?q=%7e"})
    void wellFormedPercentEscapesPass(String target) {
        HttpEdge.requireValidEscapes(target);
    }

    @ParameterizedTest
    @ValueSource(strings = {"%", "x=%zz", "x=%4", "/health/ready%", "%g0", "%0g", "a%%41", "%\u0661\u0662"})
    void malformedPercentEscapesAreBadRequests(String target) {
        assertEquals(ErrorCode.BAD_REQUEST, assertThrows(ApiException.class, () -> HttpEdge.requireValidEscapes(target)).code());
    }

    @ParameterizedTest
    @ValueSource(strings = {"chunked", "CHUNKED", " chunked ", "chunked, chunked"})
    void chunkedIsTheOneTransferCoding(String transferEncoding) {
        HttpEdge.requireChunkedOnly(transferEncoding);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "frobnicate, chunked", "gzip,chunked", "chunked, identity", "", "chunkedx"})
    void anyOtherTransferCodingIsABadRequest(String transferEncoding) {
        ApiException e = assertThrows(ApiException.class, () -> HttpEdge.requireChunkedOnly(transferEncoding));
        assertEquals(ErrorCode.BAD_REQUEST, e.code());
    }

    @Test
    void aPathMustStartWithASlash() {
        HttpEdge.requireOriginForm("/health/ready");
        HttpEdge.requireOriginForm("/");
        for (String path : new String[] {"health/ready", "", "*", null}) {
            assertEquals(ErrorCode.BAD_REQUEST, assertThrows(ApiException.class, () -> HttpEdge.requireOriginForm(path)).code());
        }
    }

    @Test
    void noTransferEncodingPasses() {
        HttpEdge.requireChunkedOnly(null);
    }

    @Test
    void anAbsentTargetPasses() {
        HttpEdge.requireValidEscapes(null);
    }

    @Test
    void aBodyWithinTheLimitIsReadWhole() {
        byte[] body = new byte[1024];
        body[1023] = 7;
        assertArrayEquals(body, HttpEdge.readBody(new ByteArrayInputStream(body), 1024, LIMITS));
        assertArrayEquals(body, HttpEdge.readBody(new ByteArrayInputStream(body), -1, LIMITS));
        assertArrayEquals(new byte[0], HttpEdge.readBody(new ByteArrayInputStream(new byte[0]), 0, LIMITS));
    }

    @Test
    void aDeclaredLengthIsReadAndNothingPastIt() {
        ByteArrayInputStream in = new ByteArrayInputStream("{\"a\":1}NEXT".getBytes(StandardCharsets.US_ASCII));
        assertArrayEquals("{\"a\":1}".getBytes(StandardCharsets.US_ASCII), HttpEdge.readBody(in, 7, LIMITS));
        assertEquals(4, in.available(), "the bytes after the declared body stay unread");
        // A stream that ends before its declared length gives what it had (the JSON parser then refuses it).
        assertArrayEquals(new byte[] {1, 2}, HttpEdge.readBody(new ByteArrayInputStream(new byte[] {1, 2}), 5, LIMITS));
    }

    @Test
    void aChunkedBodyOverTheLimitIsDrainedThenRefused() {
        Counting in = new Counting(new ByteArrayInputStream(new byte[1025 + 5000]));
        ApiException e = assertThrows(ApiException.class, () -> HttpEdge.readBody(in, -1, LIMITS));
        assertEquals(ErrorCode.BODY_TOO_LARGE, e.code());
        assertEquals(1025 + 5000, in.read, "the rest of the body is read before the answer");
    }

    @Test
    void aDeclaredLengthOverTheLimitIsDrainedUpToTheDrainSize() {
        Counting in = new Counting(new ByteArrayInputStream(new byte[HttpEdge.DRAIN_BYTES + 10_000]));
        ApiException e = assertThrows(ApiException.class,
                () -> HttpEdge.readBody(in, 1024 + HttpEdge.DRAIN_BYTES, LIMITS));
        assertEquals(ErrorCode.BODY_TOO_LARGE, e.code());
        assertEquals(HttpEdge.DRAIN_BYTES, in.read, "drained, but never past the drain size");
    }

    @Test
    void aBodyDeclaredPastTheDrainSizeIsRefusedUnread() {
        Counting in = new Counting(new ByteArrayInputStream(new byte[10]));
        ApiException e = assertThrows(ApiException.class, () -> HttpEdge.readBody(in, 10_000_000_000L, LIMITS));
        assertEquals(ErrorCode.BODY_TOO_LARGE, e.code());
        assertEquals(0, in.read);
    }

    @Test
    void aBodyThatBreaksMidwayIsAMalformedRequest() {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("bad chunk");
            }
        };
        assertEquals(ErrorCode.BAD_REQUEST, assertThrows(ApiException.class, () -> HttpEdge.readBody(broken, -1, LIMITS)).code());
    }

    @Test
    void aClientGoneWhileDrainingStillGetsTheLimitError() {
        InputStream cut = new InputStream() {
            private int left = 2000;

            @Override
            public int read() throws IOException {
                if (left-- > 0) {
                    return 1;
                }
                throw new IOException("reset");
            }
        };
        assertEquals(ErrorCode.BODY_TOO_LARGE, assertThrows(ApiException.class, () -> HttpEdge.readBody(cut, -1, LIMITS)).code());
    }

    @Test
    void aJsonBodyIsReadByTheLimitThenBoundByTheStrictRules() {
        com.fasterxml.jackson.databind.ObjectMapper mapper = StrictJson.newMapper();
        byte[] body = "{\"instances\": [[1.5, 2]]}".getBytes(StandardCharsets.UTF_8);
        PredictRequest request = HttpEdge.readJson(new ByteArrayInputStream(body), body.length, LIMITS, mapper, PredictRequest.class);
        assertEquals(java.util.List.of(java.util.List.of(1.5, 2.0)), request.instances());

        byte[] unknown = "{\"rows\": [[1]]}".getBytes(StandardCharsets.UTF_8);
        assertEquals(ErrorCode.UNKNOWN_FIELD, assertThrows(ApiException.class, () -> HttpEdge.readJson(
                new ByteArrayInputStream(unknown), -1, LIMITS, mapper, PredictRequest.class)).code());
        assertEquals(ErrorCode.MALFORMED_JSON, assertThrows(ApiException.class, () -> HttpEdge.readJson(
                new ByteArrayInputStream(new byte[0]), 0, LIMITS, mapper, PredictRequest.class)).code());
        assertEquals(ErrorCode.BODY_TOO_LARGE, assertThrows(ApiException.class, () -> HttpEdge.readJson(
                new ByteArrayInputStream(new byte[2000]), -1, LIMITS, mapper, PredictRequest.class)).code(),
                "the limit comes before any JSON");
    }

    /** Counts the bytes read through it. */
    private static final class Counting extends java.io.FilterInputStream {
        long read;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            read += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            read += Math.max(n, 0);
            return n;
        }
    }
}
