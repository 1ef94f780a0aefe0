package dev.predictbench.contract.kit;

import dev.predictbench.contract.Contract;
import dev.predictbench.contract.Stacks;
import dev.predictbench.contract.kit.BadRequests.BadRequest;
import dev.predictbench.model.BreastCancerData;
import dev.predictbench.model.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Malformed and hostile requests, each with the one error code every server must answer (and a
 * few unusual but valid requests every server must answer with 200). They add to {@link BadRequests} and {@link GenAiBadRequests}, which the kit
 * runs as well; together the three hold well over 60 distinct cases. Limits are the defaults.
 *
 * <p>Requests the JDK's HttpClient can send go through {@link HttpProbe}; the others (a bad
 * Content-Length, a broken chunk, a request line or header that is not HTTP, 64 KiB of header,
 * a missing Content-Type written by hand) are written byte for byte on a socket by {@link RawHttp},
 * with a read timeout: a server that neither answers nor closes fails as a hang.
 *
 * <h2>The codes chosen, and why</h2>
 * <ul>
 *   <li>Not HTTP at all (a Content-Length that is not one non-negative decimal number, two different
 *       Content-Lengths, a chunk size that is not hex, a header line without a colon, a control
 *       character in the request target, a Host header that is not a host or none at all in
 *       HTTP/1.1, as RFC 9112 says): {@code BAD_REQUEST} (400). Nothing about JSON can be said
 *       of such a request; the HTTP layer rejects it before any route runs.</li>
 *   <li>A request target of 64 KiB (path or query): {@code URI_TOO_LONG} (414). Every server's
 *       limit on the request line is its framework default (4 to 8 KiB).</li>
 *   <li>One header of 64 KiB, or 300 headers of 100 bytes (30 KiB): {@code HEADERS_TOO_LARGE}
 *       (431). The byte limits are the frameworks' defaults: 8 KiB (Jetty, Tomcat), 16 KiB
 *       (Helidon), 20 KiB (Quarkus); Tomcat's limit of 100 headers is never reached first, as
 *       8 KiB are passed after about 80 of them, so the size decides on every server.</li>
 *   <li>A Content-Length over the body limit with only a few bytes behind it:
 *       {@code BODY_TOO_LARGE} (413) at once, without waiting for a body that never comes.</li>
 *   <li>Deeply nested JSON (10,000 levels): an array where the request object or a number
 *       belongs is {@code MISTYPED_FIELD}: the binding fails at the first level of the wrong shape.
 *       {@code {"a":} nested 10,000 times is {@code MALFORMED_JSON}: the binder skips the unknown
 *       field's value to report it, and the parser stops at its depth limit of 1,000 (a document
 *       past the parser's limits is not JSON the contract reads). No server recurses 10,000 deep.</li>
 *   <li>A 10,000-digit number: {@code MALFORMED_JSON}; Jackson refuses numbers longer than
 *       1,000 characters as a document past its limits (an 400-digit number still reads, as
 *       infinity, and is {@code NON_FINITE_VALUE}).</li>
 *   <li>Invalid UTF-8 in the body (overlong forms, lone continuation bytes, truncated sequences,
 *       bytes never valid in UTF-8): {@code MALFORMED_JSON}: the body is not a JSON text, which
 *       RFC 8259 requires to be UTF-8. Jackson (every stack's JSON reader) checks the bytes of a
 *       string's multi-byte sequences but not whether the sequence is the shortest form: an
 *       overlong form or a surrogate encoded in UTF-8 inside a string is read as the character it
 *       spells. Those cases are therefore placed where the contract wants a number, where every
 *       reader refuses them whether or not it decodes them.</li>
 *   <li>An empty body, with or without Content-Length or as a chunked body with no chunk:
 *       {@code MALFORMED_JSON}, as in {@link BadRequests}.</li>
 *   <li>An unknown method ({@code BREW}) or a known one the path does not serve:
 *       {@code METHOD_NOT_ALLOWED} (405), {@code OPTIONS} and {@code TRACE} included (the contract
 *       serves neither).</li>
 *   <li>The protocol itself (RFC 9110, RFC 9112), one rule for every stack: a request line with an
 *       HTTP version the server does not speak, a target that is not origin-form, a header name
 *       with white space before its colon or inside it, a NUL in a header value, a malformed
 *       percent-escape in the path or in the query (even of a request that is otherwise valid),
 *       a transfer coding the server does not implement or one that does not end in
 *       {@code chunked}, a chunk size past 64 bits: {@code BAD_REQUEST} (400), never a 5xx. RFC
 *       9112 allows 505 for the version and 501 for the coding; the contract answers 400 for both,
 *       as a client error is never a 5xx.</li>
 *   <li>Unusual but valid: a request target in absolute form (RFC 9112, section 3.2.2: a server
 *       must accept it) is answered 200.</li>
 * </ul>
 *
 * <p>{@link #serversChoice()} holds requests whose answer the RFCs leave to the server: each must
 * get an answer below 500 (or the connection closed), never a hang, and the server stays ready.
 *
 * <p>One framework gives no hook for the answer to a request that is not HTTP: Quarkus does not
 * expose Vert.x's {@code HttpServer.invalidRequestHandler}, so Vert.x answers 400, 414 or 431 with
 * the right status and an empty body, and closes the connection without an answer when a chunk
 * breaks after the request was dispatched (quarkusio/quarkus#55082). The kit accepts exactly that
 * from a server whose registry entry says so ({@link KitTarget#httpLayer()}); a hang,
 * an HTML page or a wrong status is never accepted. Where such a layer answers a case with another
 * status (Quarkus: 404 for a target without its leading '/', outside its root path), the stack's
 * registry entry names the case and the status ({@link Stacks.HttpLayer#statuses()}), and the kit
 * accepts exactly that.
 */
public final class HostileRequests {
    private HostileRequests() {
    }

    /**
     * One hostile request: either one {@link HttpProbe} can send ({@code request}), or the exact
     * bytes to write on a socket ({@code raw}, a whole HTTP/1.1 request with
     * {@code Connection: close}). {@code expected} is null for a valid request, answered 200.
     */
    public record HostileRequest(String name, String path, ErrorCode expected, BadRequest request, byte[] raw) {
        static HostileRequest of(BadRequest request) {
            return new HostileRequest(request.name(), request.path(), request.expected(), request, null);
        }

        static HostileRequest raw(String name, String path, byte[] raw, ErrorCode expected) {
            return new HostileRequest(name, path, expected, null, raw);
        }

        /** Whether it exercises the GenAI endpoints (run only against servers that serve them). */
        public boolean genAi() {
            return path.equals(Contract.EMBED) || path.equals(Contract.SEARCH);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static final String EMBED_OK = "{\"texts\":[\"a large cat\"]}";
    static final String SEARCH_OK = "{\"query\":\"a young lion\",\"k\":3}";

    public static List<HostileRequest> all() {
        List<HostileRequest> list = new ArrayList<>();
        String ok = BadRequests.validRow();
        int n = BreastCancerData.FEATURES.size();
        String predict = Contract.PREDICT;

        // ---- Malformed and truncated JSON.
        json(list, predict, "truncated inside a number", "{\"instances\":[[17.9", ErrorCode.MALFORMED_JSON);
        json(list, predict, "truncated inside a key", "{\"inst", ErrorCode.MALFORMED_JSON);
        json(list, predict, "one bracket too many", "{\"instances\":[" + ok + "]]}", ErrorCode.MALFORMED_JSON);
        json(list, predict, "missing colon", "{\"instances\" [" + ok + "]}", ErrorCode.MALFORMED_JSON);
        json(list, predict, "unquoted key", "{instances:[" + ok + "]}", ErrorCode.MALFORMED_JSON);
        json(list, predict, "leading zero", BadRequests.instances(BadRequests.row(n, "017.99", 0)), ErrorCode.MALFORMED_JSON);
        json(list, predict, "hex number", BadRequests.instances(BadRequests.row(n, "0x11", 0)), ErrorCode.MALFORMED_JSON);
        json(list, predict, "leading plus", BadRequests.instances(BadRequests.row(n, "+1", 0)), ErrorCode.MALFORMED_JSON);
        json(list, predict, "leading dot", BadRequests.instances(BadRequests.row(n, ".5", 0)), ErrorCode.MALFORMED_JSON);
        json(list, predict, "lone minus", BadRequests.instances(BadRequests.row(n, "-", 0)), ErrorCode.MALFORMED_JSON);
        json(list, predict, "NUL bytes", "\0\0\0\0", ErrorCode.MALFORMED_JSON);
        json(list, Contract.EMBED, "truncated inside a string", "{\"texts\":[\"a lio", ErrorCode.MALFORMED_JSON);
        json(list, Contract.EMBED, "raw control character in a string", "{\"texts\":[\"a\u0001b\"]}", ErrorCode.MALFORMED_JSON);
        json(list, Contract.EMBED, "invalid escape", "{\"texts\":[\"a\\xb\"]}", ErrorCode.MALFORMED_JSON);
        json(list, Contract.SEARCH, "truncated after a key", "{\"query\":", ErrorCode.MALFORMED_JSON);
        json(list, Contract.SEARCH, "unterminated string", "{\"query\":\"lion}", ErrorCode.MALFORMED_JSON);

        // ---- Deeply nested JSON (10,000 levels).
        String open = "[".repeat(10_000);
        String close = "]".repeat(10_000);
        String objects = "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);
        json(list, predict, "10,000 nested arrays", open + close, ErrorCode.MISTYPED_FIELD);
        json(list, predict, "10,000 unclosed arrays", open, ErrorCode.MISTYPED_FIELD);
        json(list, predict, "10,000 nested objects", objects, ErrorCode.MALFORMED_JSON);
        json(list, predict, "10,000 nested arrays as instances", "{\"instances\":" + open + close + "}",
                ErrorCode.MISTYPED_FIELD);
        json(list, Contract.EMBED, "10,000 nested arrays as texts", "{\"texts\":" + open + close + "}",
                ErrorCode.MISTYPED_FIELD);
        json(list, Contract.EMBED, "10,000 nested objects", objects, ErrorCode.MALFORMED_JSON);
        json(list, Contract.SEARCH, "10,000 nested objects as query", "{\"query\":" + objects + "}",
                ErrorCode.MISTYPED_FIELD);

        // ---- Huge numbers.
        String digits = "9".repeat(10_000);
        json(list, predict, "10,000-digit integer", BadRequests.instances(BadRequests.row(n, digits, 0)),
                ErrorCode.MALFORMED_JSON);
        json(list, predict, "10,000-digit fraction", BadRequests.instances(BadRequests.row(n, "0." + digits, 0)),
                ErrorCode.MALFORMED_JSON);
        json(list, predict, "400-digit integer", BadRequests.instances(BadRequests.row(n, "9".repeat(400), 0)),
                ErrorCode.NON_FINITE_VALUE);
        json(list, predict, "exponent 1e999999999", BadRequests.instances(BadRequests.row(n, "1e999999999", 7)),
                ErrorCode.NON_FINITE_VALUE);
        json(list, Contract.SEARCH, "k = 1e400", "{\"query\":\"lion\",\"k\":1e400}", ErrorCode.MISTYPED_FIELD);
        json(list, Contract.SEARCH, "k of 10,000 digits", "{\"query\":\"lion\",\"k\":" + digits + "}",
                ErrorCode.MALFORMED_JSON);

        // ---- Strings and nulls where numbers belong.
        json(list, predict, "empty string value", BadRequests.instances(BadRequests.row(n, "\"\"", 0)),
                ErrorCode.MISTYPED_FIELD);
        json(list, predict, "row of nulls", BadRequests.instances("[" + String.join(",", java.util.Collections.nCopies(n, "null")) + "]"),
                ErrorCode.MISTYPED_FIELD);
        json(list, predict, "instances is a number", "{\"instances\":5}", ErrorCode.MISTYPED_FIELD);
        json(list, predict, "instances is true", "{\"instances\":true}", ErrorCode.MISTYPED_FIELD);
        json(list, Contract.EMBED, "object as text", "{\"texts\":[{}]}", ErrorCode.MISTYPED_FIELD);
        json(list, Contract.SEARCH, "k is null text", "{\"query\":\"lion\",\"k\":\"null\"}", ErrorCode.MISTYPED_FIELD);

        // ---- Duplicate keys and extra fields.
        json(list, predict, "duplicate key spelt with an escape",
                "{\"instances\":[" + ok + "],\"\\u0069nstances\":[" + ok + "]}", ErrorCode.MALFORMED_JSON);
        json(list, Contract.SEARCH, "duplicate query", "{\"query\":\"lion\",\"query\":\"cat\"}", ErrorCode.MALFORMED_JSON);
        json(list, predict, "same key in another case", "{\"instances\":[" + ok + "],\"Instances\":[" + ok + "]}",
                ErrorCode.UNKNOWN_FIELD);
        json(list, predict, "empty key", "{\"instances\":[" + ok + "],\"\":1}", ErrorCode.UNKNOWN_FIELD);
        StringBuilder many = new StringBuilder("{\"instances\":[" + ok + "]");
        for (int i = 0; i < 1000; i++) {
            many.append(",\"f").append(i).append("\":").append(i);
        }
        json(list, predict, "1,000 extra fields", many.append('}').toString(), ErrorCode.UNKNOWN_FIELD);
        json(list, Contract.SEARCH, "extra field after k", "{\"query\":\"lion\",\"k\":3,\"filter\":null}",
                ErrorCode.UNKNOWN_FIELD);

        // ---- Invalid UTF-8 in the body.
        // Overlong forms where a number belongs: Jackson decodes an overlong form inside a string
        // without complaint (see the class comment), so only this position is the same everywhere.
        utf8(list, predict, "overlong '1' (C0 B1) where a number belongs", "{\"instances\":[[", new int[] {0xC0, 0xB1}, "]]}");
        utf8(list, Contract.SEARCH, "overlong '3' (E0 80 B3) as k", "{\"query\":\"lion\",\"k\":", new int[] {0xE0, 0x80, 0xB3}, "}");
        utf8(list, Contract.EMBED, "lone continuation byte", "{\"texts\":[\"a", new int[] {0x80}, "b\"]}");
        utf8(list, Contract.EMBED, "truncated 3-byte sequence", "{\"texts\":[\"a", new int[] {0xE2, 0x82}, "\"]}");
        utf8(list, Contract.SEARCH, "byte FF in the query", "{\"query\":\"li", new int[] {0xFF}, "on\"}");
        utf8(list, Contract.SEARCH, "5-byte form (F8)", "{\"query\":\"", new int[] {0xF8, 0x88, 0x80, 0x80, 0x80}, "\"}");
        utf8(list, predict, "invalid UTF-8 in a key", "{\"inst", new int[] {0xC3, 0x28}, "ances\":[" + ok + "]}");
        utf8(list, predict, "lone continuation byte between tokens", "{\"instances\":[", new int[] {0xBF}, ok + "]}");
        // ED A0 80 is U+D800 encoded in UTF-8: no valid UTF-8 holds it. Where a number belongs, a
        // reader that decodes it and one that does not both refuse it as not JSON.
        utf8(list, predict, "surrogate U+D800 in UTF-8 where a number belongs", "{\"instances\":[[",
                new int[] {0xED, 0xA0, 0x80}, "]]}");

        // ---- Empty bodies.
        list.add(raw("POST /predict without Content-Length or body", predict, request("POST", predict,
                List.of("Content-Type: application/json"), new byte[0]), ErrorCode.MALFORMED_JSON));
        list.add(raw("POST /predict chunked with no chunk", predict, request("POST", predict,
                List.of("Content-Type: application/json", "Transfer-Encoding: chunked"), bytes("0\r\n\r\n")),
                ErrorCode.MALFORMED_JSON));
        list.add(raw("POST /search Content-Length 0", Contract.SEARCH, request("POST", Contract.SEARCH,
                List.of("Content-Type: application/json", "Content-Length: 0"), new byte[0]), ErrorCode.MALFORMED_JSON));
        // The JSON literal null as a chunked body (no Content-Length to tell it from an empty one).
        list.add(raw("POST /predict chunked null body", predict, request("POST", predict,
                List.of("Content-Type: application/json", "Transfer-Encoding: chunked"), bytes("4\r\nnull\r\n0\r\n\r\n")),
                ErrorCode.MISTYPED_FIELD));

        // ---- Bodies over the limit.
        String padded = " ".repeat((1 << 20) + 16);
        list.add(HostileRequest.of(new BadRequest("/embed body over 1 MiB, chunked", "POST", Contract.EMBED,
                BadRequests.JSON, bytes(EMBED_OK + padded), true, ErrorCode.BODY_TOO_LARGE)));
        list.add(HostileRequest.of(BadRequest.of("/search body over 1 MiB", "POST", Contract.SEARCH, BadRequests.JSON,
                SEARCH_OK + padded, ErrorCode.BODY_TOO_LARGE)));
        list.add(HostileRequest.of(new BadRequest("/search body over 1 MiB, chunked", "POST", Contract.SEARCH,
                BadRequests.JSON, bytes(SEARCH_OK + padded), true, ErrorCode.BODY_TOO_LARGE)));
        list.add(raw("Content-Length of 10 GB with a few bytes sent", predict, request("POST", predict,
                List.of("Content-Type: application/json", "Content-Length: 10000000000"), bytes("{\"instances\":")),
                ErrorCode.BODY_TOO_LARGE));
        list.add(raw("chunked body over 1 MiB in 1 KiB chunks", predict, chunkedRequest(predict,
                BadRequests.instances(ok) + padded, 1024), ErrorCode.BODY_TOO_LARGE));

        // ---- Not valid HTTP.
        byte[] body = bytes(BadRequests.instances(ok));
        list.add(raw("Content-Length not a number", predict, request("POST", predict,
                List.of("Content-Type: application/json", "Content-Length: abc"), body), ErrorCode.BAD_REQUEST));
        list.add(raw("negative Content-Length", predict, request("POST", predict,
                List.of("Content-Type: application/json", "Content-Length: -5"), body), ErrorCode.BAD_REQUEST));
        list.add(raw("two different Content-Lengths", predict, request("POST", predict,
                List.of("Content-Type: application/json", "Content-Length: " + body.length,
                        "Content-Length: " + (body.length + 1)), body), ErrorCode.BAD_REQUEST));
        list.add(raw("Content-Length beyond 64 bits", predict, request("POST", predict,
                List.of("Content-Type: application/json", "Content-Length: 99999999999999999999999"), body),
                ErrorCode.BAD_REQUEST));
        list.add(raw("chunk size not hex", predict, request("POST", predict,
                List.of("Content-Type: application/json", "Transfer-Encoding: chunked"),
                bytes("zz\r\n" + BadRequests.instances(ok) + "\r\n0\r\n\r\n")), ErrorCode.BAD_REQUEST));
        list.add(raw("header line without a colon", Contract.READY, bytes("GET " + Contract.READY
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nThis is not a header\r\nConnection: close\r\n\r\n"), ErrorCode.BAD_REQUEST));
        list.add(raw("Host header that is not a host", Contract.READY, bytes("GET " + Contract.READY
                + " HTTP/1.1\r\nHost: ZAP%n%s%n%s%n%s\r\nConnection: close\r\n\r\n"), ErrorCode.BAD_REQUEST));
        list.add(raw("no Host header in HTTP/1.1", Contract.READY, bytes("GET " + Contract.READY
                + " HTTP/1.1\r\nConnection: close\r\n\r\n"), ErrorCode.BAD_REQUEST));
        list.add(raw("control character in the request target", Contract.READY, bytes("GET " + Contract.READY
                + "\u0001 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"), ErrorCode.BAD_REQUEST));

        // ---- Very long URLs and headers.
        String kib64 = "a".repeat(64 * 1024);
        list.add(raw("64 KiB query", Contract.READY, request("GET", Contract.READY + "?q=" + kib64, List.of(), new byte[0]),
                ErrorCode.URI_TOO_LONG));
        list.add(raw("64 KiB path", "/" + kib64, request("GET", "/" + kib64, List.of(), new byte[0]),
                ErrorCode.URI_TOO_LONG));
        list.add(raw("POST /predict with a 64 KiB query", predict, request("POST", predict + "?q=" + kib64,
                List.of("Content-Type: application/json"), body), ErrorCode.URI_TOO_LONG));
        list.add(raw("one 64 KiB header", Contract.READY, request("GET", Contract.READY, List.of("X-Big: " + kib64),
                new byte[0]), ErrorCode.HEADERS_TOO_LARGE));
        List<String> headers = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            headers.add("X-Header-" + i + ": " + "v".repeat(85));
        }
        list.add(raw("300 headers of 100 bytes", Contract.READY, request("GET", Contract.READY, headers, new byte[0]),
                ErrorCode.HEADERS_TOO_LARGE));
        List<String> withJson = new ArrayList<>(headers);
        withJson.add("Content-Type: application/json");
        list.add(raw("POST /predict with 300 headers", predict, request("POST", predict, withJson, body),
                ErrorCode.HEADERS_TOO_LARGE));

        // ---- Wrong and missing content types.
        list.add(raw("POST /embed without Content-Type", Contract.EMBED, request("POST", Contract.EMBED, List.of(),
                bytes(EMBED_OK)), ErrorCode.UNSUPPORTED_MEDIA_TYPE));
        list.add(raw("POST /search without Content-Type", Contract.SEARCH, request("POST", Contract.SEARCH, List.of(),
                bytes(SEARCH_OK)), ErrorCode.UNSUPPORTED_MEDIA_TYPE));
        list.add(HostileRequest.of(new BadRequest("text/html", "POST", predict, "text/html",
                body, false, ErrorCode.UNSUPPORTED_MEDIA_TYPE)));
        list.add(HostileRequest.of(BadRequest.of("multipart/form-data", "POST", Contract.EMBED,
                "multipart/form-data; boundary=xyz", EMBED_OK, ErrorCode.UNSUPPORTED_MEDIA_TYPE)));
        list.add(HostileRequest.of(BadRequest.of("application/octet-stream", "POST", Contract.SEARCH,
                "application/octet-stream", SEARCH_OK, ErrorCode.UNSUPPORTED_MEDIA_TYPE)));

        // ---- Wrong methods.
        list.add(HostileRequest.of(new BadRequest("PATCH /predict", "PATCH", predict, BadRequests.JSON, body, false,
                ErrorCode.METHOD_NOT_ALLOWED)));
        list.add(HostileRequest.of(BadRequest.of("DELETE /search", "DELETE", Contract.SEARCH, null, "",
                ErrorCode.METHOD_NOT_ALLOWED)));
        list.add(HostileRequest.of(BadRequest.of("PUT /embed", "PUT", Contract.EMBED, BadRequests.JSON, EMBED_OK,
                ErrorCode.METHOD_NOT_ALLOWED)));
        list.add(HostileRequest.of(BadRequest.of("POST /model", "POST", Contract.MODEL, BadRequests.JSON, "{}",
                ErrorCode.METHOD_NOT_ALLOWED)));
        list.add(raw("unknown method BREW /predict", predict, request("BREW", predict,
                List.of("Content-Type: application/json"), body), ErrorCode.METHOD_NOT_ALLOWED));
        list.add(raw("OPTIONS /predict", predict, request("OPTIONS", predict, List.of(), new byte[0]),
                ErrorCode.METHOD_NOT_ALLOWED));
        list.add(raw("TRACE /health/ready", Contract.READY, request("TRACE", Contract.READY, List.of(), new byte[0]),
                ErrorCode.METHOD_NOT_ALLOWED));

        // ---- The protocol: request line, framing, header syntax, URI syntax.
        String ready = Contract.READY;
        list.add(raw("unknown HTTP version HTTP/9.9", ready, line("GET " + ready + " HTTP/9.9"), ErrorCode.BAD_REQUEST));
        list.add(raw("HTTP version without a minor number", ready, line("GET " + ready + " HTTP/1"), ErrorCode.BAD_REQUEST));
        list.add(raw("request target without a leading slash", ready, line("GET health/ready HTTP/1.1"),
                ErrorCode.BAD_REQUEST));
        list.add(raw("white space before a header's colon", ready, request("GET", ready, List.of("X-Test : 1"), new byte[0]),
                ErrorCode.BAD_REQUEST));
        list.add(raw("white space inside a header name", ready, request("GET", ready, List.of("X Test: 1"), new byte[0]),
                ErrorCode.BAD_REQUEST));
        list.add(raw("NUL in a header value", ready, request("GET", ready, List.of("X-Test: a\0b"), new byte[0]),
                ErrorCode.BAD_REQUEST));
        list.add(raw("malformed percent-escape in the path", ready, request("GET", "/health/%zz", List.of(), new byte[0]),
                ErrorCode.BAD_REQUEST));
        list.add(raw("percent-escape cut off at the end of the path", ready, request("GET", ready + "%", List.of(),
                new byte[0]), ErrorCode.BAD_REQUEST));
        list.add(raw("malformed percent-escape in the query of a valid /predict", predict, request("POST",
                predict + "?x=%zz", List.of("Content-Type: application/json"), body), ErrorCode.BAD_REQUEST));
        list.add(raw("percent-escape cut off in the query of a valid GET", ready, request("GET", ready + "?x=%4",
                List.of(), new byte[0]), ErrorCode.BAD_REQUEST));
        String chunkedBody = Integer.toHexString(body.length) + "\r\n" + new String(body, StandardCharsets.UTF_8)
                + "\r\n0\r\n\r\n";
        list.add(raw("transfer coding the server does not implement", predict, request("POST", predict,
                List.of("Content-Type: application/json", "Transfer-Encoding: frobnicate, chunked"), bytes(chunkedBody)),
                ErrorCode.BAD_REQUEST));
        list.add(raw("transfer coding that does not end in chunked", predict, request("POST", predict,
                List.of("Content-Type: application/json", "Transfer-Encoding: gzip"), body), ErrorCode.BAD_REQUEST));
        list.add(raw("chunk size past 64 bits", predict, request("POST", predict,
                List.of("Content-Type: application/json", "Transfer-Encoding: chunked"),
                bytes("fffffffffffffffffffff\r\n" + BadRequests.instances(ok) + "\r\n0\r\n\r\n")), ErrorCode.BAD_REQUEST));
        list.add(raw("Content-Length with a plus sign", predict, request("POST", predict,
                List.of("Content-Type: application/json", "Content-Length: +" + body.length), body), ErrorCode.BAD_REQUEST));

        // ---- Unusual but valid: answered 200.
        list.add(raw("request target in absolute form", ready, line("GET http://127.0.0.1" + ready + " HTTP/1.1"), null));
        return list;
    }

    /**
     * Requests whose answer the RFCs leave to the server, so the kit asks only for an answer below
     * 500: {@code OPTIONS *} is a ping of the server as a whole (RFC 9110, section 9.3.7), which
     * Tomcat answers 200 before any hook and the other stacks 404 (no such path); a request with
     * both Content-Length and Transfer-Encoding may be refused or read by Transfer-Encoding alone
     * (RFC 9112, section 6.3); an HTTP/1.0 request (without {@code Host}, which HTTP/1.0 does not
     * have) is served by a server that speaks HTTP/1.0 and refused as a version it does not speak
     * by one that speaks only HTTP/1.1 (Helidon 4).
     */
    public static List<HostileRequest> serversChoice() {
        byte[] body = bytes(BadRequests.instances(BadRequests.validRow()));
        String chunked = Integer.toHexString(body.length) + "\r\n" + new String(body, StandardCharsets.UTF_8)
                + "\r\n0\r\n\r\n";
        return List.of(
                raw("OPTIONS *", "*", request("OPTIONS", "*", List.of(), new byte[0]), null),
                raw("Content-Length and Transfer-Encoding together", Contract.PREDICT, request("POST", Contract.PREDICT,
                        List.of("Content-Type: application/json", "Content-Length: " + body.length,
                                "Transfer-Encoding: chunked"), bytes(chunked)), null),
                raw("HTTP/1.0 request without Host", Contract.READY, bytes("GET " + Contract.READY + " HTTP/1.0\r\n\r\n"),
                        null));
    }

    /** A whole HTTP/1.1 request with {@code Connection: close} and, when there is a body, its Content-Length. */
    static byte[] request(String method, String target, List<String> headers, byte[] body) {
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1\r\nConnection: close\r\n");
        boolean framed = headers.stream().anyMatch(h -> h.regionMatches(true, 0, "Content-Length:", 0, 15)
                || h.regionMatches(true, 0, "Transfer-Encoding:", 0, 18));
        if (!framed && body.length > 0) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        headers.forEach(h -> head.append(h).append("\r\n"));
        head.append("\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** A request of one request line, a Host and {@code Connection: close}, without a body. */
    private static byte[] line(String requestLine) {
        return bytes(requestLine + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    }

    private static byte[] chunkedRequest(String path, String body, int chunkSize) {
        StringBuilder chunks = new StringBuilder();
        for (int i = 0; i < body.length(); i += chunkSize) {
            String chunk = body.substring(i, Math.min(body.length(), i + chunkSize));
            chunks.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
        }
        chunks.append("0\r\n\r\n");
        return request("POST", path, List.of("Content-Type: application/json", "Transfer-Encoding: chunked"),
                bytes(chunks.toString()));
    }

    private static void json(List<HostileRequest> list, String path, String name, String body, ErrorCode expected) {
        list.add(HostileRequest.of(BadRequest.of(path + " " + name, "POST", path, BadRequests.JSON, body, expected)));
    }

    private static void utf8(List<HostileRequest> list, String path, String name, String before, int[] bad, String after) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(bytes(before));
        for (int b : bad) {
            body.write(b);
        }
        body.writeBytes(bytes(after));
        list.add(HostileRequest.of(new BadRequest(path + " invalid UTF-8: " + name, "POST", path, BadRequests.JSON,
                body.toByteArray(), false, ErrorCode.MALFORMED_JSON)));
    }

    private static HostileRequest raw(String name, String path, byte[] request, ErrorCode expected) {
        return HostileRequest.raw(name, path, request, expected);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The cases' names and codes, one per line, for documentation. */
    public static String describe() {
        return all().stream().map(h -> h.name() + " -> " + (h.expected() == null ? "200" : h.expected()))
                .collect(Collectors.joining("\n"));
    }
}
