package dev.predictbench.model.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.predictbench.model.ApiException;
import dev.predictbench.model.ErrorCode;
import dev.predictbench.model.Limits;
import dev.predictbench.model.json.StrictJson;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.function.BiConsumer;

/**
 * The contract's rules at the HTTP edge, the same for every stack and free of any framework: which
 * error a status maps to, the headers an error carries, the standard errors' wording, the JSON
 * media type check and the body reader with its limit. A stack's glue only adapts its framework to
 * these (where to read the body from, how to write a status and a header).
 *
 * <p>A status a framework or its HTTP layer chose by itself maps to the contract's code for it;
 * any other status below 500, and 501 and 505, are {@link ErrorCode#BAD_REQUEST}: bodies are bound by the contract's
 * own reader ({@link dev.predictbench.model.json.StrictJson}), which names its JSON errors itself,
 * so a bare 400 from a framework means a request that is not valid HTTP, never malformed JSON.
 */
public final class HttpEdge {
    /**
     * How much of a body over the limit is read and dropped before the 413, as Tomcat's
     * {@code maxSwallowSize} (2 MiB): a server that answers and closes with the body unread resets
     * the connection, and a client still sending may then lose the answer. A body declared longer
     * than the limit plus this is refused without reading it.
     */
    public static final int DRAIN_BYTES = 2 << 20;

    /** The one media type the contract's bodies have. */
    public static final String JSON = "application/json";

    private HttpEdge() {
    }

    /**
     * The headers the contract sends with {@code error}: {@code Retry-After} when it says when to
     * retry (429, 503), {@code WWW-Authenticate: Bearer} with 401.
     */
    public static void headers(ApiException error, BiConsumer<String, String> header) {
        if (error.retryAfterSeconds() != null) {
            header.accept("Retry-After", String.valueOf(error.retryAfterSeconds()));
        }
        if (error.code() == ErrorCode.UNAUTHORIZED) {
            header.accept("WWW-Authenticate", "Bearer");
        }
    }

    /** The contract's code for a status a framework or its HTTP layer answered by itself. */
    public static ErrorCode codeFor(int status) {
        return switch (status) {
            case 404 -> ErrorCode.NOT_FOUND;
            case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
            case 406 -> ErrorCode.NOT_ACCEPTABLE;
            case 413 -> ErrorCode.BODY_TOO_LARGE;
            case 414 -> ErrorCode.URI_TOO_LONG;
            case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            case 431 -> ErrorCode.HEADERS_TOO_LARGE;
            // A transfer coding (501) or an HTTP version (505) the server does not implement: the
            // request is what the server cannot take, so the client's error, never a 5xx of the
            // contract's (RFC 9112 allows 400 for both).
            case 501, 505 -> ErrorCode.BAD_REQUEST;
            case 503 -> ErrorCode.OVERLOADED;
            default -> status >= 400 && status < 500 ? ErrorCode.BAD_REQUEST : ErrorCode.INTERNAL_ERROR;
        };
    }

    /**
     * The contract's error for a status a framework or its HTTP layer chose, for {@code method} on
     * {@code path} (either null when the request never got that far); {@code limits} names the body
     * limit in a 413's message (null where the HTTP layer does not know the service).
     */
    public static ApiException forStatus(int status, String method, String path, Limits limits) {
        ErrorCode code = codeFor(status);
        return switch (code) {
            case NOT_FOUND -> notFound(method, path);
            case METHOD_NOT_ALLOWED -> methodNotAllowed(method, path);
            case BODY_TOO_LARGE -> limits != null ? limits.bodyTooLarge()
                    : new ApiException(code, "request body is larger than the server accepts");
            case UNSUPPORTED_MEDIA_TYPE -> new ApiException(code, "Content-Type must be " + JSON);
            case URI_TOO_LONG -> new ApiException(code, "the request line is longer than the server accepts");
            case HEADERS_TOO_LARGE -> new ApiException(code, "the request headers are larger than the server accepts");
            case NOT_ACCEPTABLE -> new ApiException(code, "the Accept header rules out every format "
                    + request(method, path) + " answers");
            case OVERLOADED -> new ApiException(code, "the server is at its limit of work in flight");
            case INTERNAL_ERROR -> internalError();
            default -> switch (status) {
                case 501 -> malformedRequest("it asks for something the server does not implement (HTTP 501)");
                case 505 -> malformedRequest("the server does not speak its HTTP version (HTTP 505)");
                default -> malformedRequest("HTTP " + status);
            };
        };
    }

    /** No route has this path. */
    public static ApiException notFound(String method, String path) {
        return new ApiException(ErrorCode.NOT_FOUND, "no such path: " + request(method, path));
    }

    /** A route has this path, but not for this method. */
    public static ApiException methodNotAllowed(String method, String path) {
        return new ApiException(ErrorCode.METHOD_NOT_ALLOWED, (method == null ? "this method" : printable(method))
                + " is not allowed on " + (path == null ? "this path" : printable(path)));
    }

    /** A request that is not valid HTTP (request line, framing, header syntax); {@code why} says what, for a person. */
    public static ApiException malformedRequest(String why) {
        return new ApiException(ErrorCode.BAD_REQUEST, "malformed HTTP request: " + printable(why));
    }

    /** A body the server could not read as HTTP (a broken chunk, a connection cut mid-body). */
    public static ApiException unreadableBody() {
        return new ApiException(ErrorCode.BAD_REQUEST, "the request body could not be read as HTTP");
    }

    /** A POST whose body is empty: the contract calls it malformed JSON. */
    public static ApiException emptyBody() {
        return new ApiException(ErrorCode.MALFORMED_JSON, "request body is not valid JSON: the body is empty");
    }

    /** A body whose Content-Type ({@code null} when absent) is not {@value #JSON}. */
    public static ApiException unsupportedMediaType(String contentType) {
        return new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be " + JSON + ", was "
                + (contentType == null ? "absent" : "'" + printable(contentType) + "'"));
    }

    /** The fault of the server, never the client's; says nothing more to the client. */
    public static ApiException internalError() {
        return new ApiException(ErrorCode.INTERNAL_ERROR, "internal error");
    }

    /**
     * Whether a Content-Type header ({@code null} when absent) is {@value #JSON}: media types ignore
     * case (RFC 9110, section 8.3.1) and parameters such as {@code charset} are allowed.
     */
    public static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int end = contentType.indexOf(';');
        return (end < 0 ? contentType : contentType.substring(0, end)).strip().toLowerCase(Locale.ROOT).equals(JSON);
    }

    /** Throws {@link #unsupportedMediaType} unless {@link #isJson}. */
    public static void requireJson(String contentType) {
        if (!isJson(contentType)) {
            throw unsupportedMediaType(contentType);
        }
    }

    /**
     * Throws {@link #malformedRequest} unless every {@code %} in {@code rawTarget} (a request target,
     * or its path or query, as sent: not decoded; null for none) starts a percent-escape of two hex
     * digits (RFC 3986, section 2.1). A framework that never decodes the query would otherwise serve
     * a request whose target is not a URI.
     */
    public static void requireValidEscapes(String rawTarget) {
        if (rawTarget == null) {
            return;
        }
        for (int i = rawTarget.indexOf('%'); i >= 0; i = rawTarget.indexOf('%', i + 1)) {
            if (i + 2 >= rawTarget.length() || !hexDigit(rawTarget.charAt(i + 1)) || !hexDigit(rawTarget.charAt(i + 2))) {
                throw malformedRequest("a '%' in the request target that is not a percent-escape of two hex digits");
            }
        }
    }

    /**
     * Throws {@link #malformedRequest} when {@code transferEncoding} (the Transfer-Encoding header's
     * values joined by commas; null when absent) names a coding other than {@code chunked}, the only
     * one the contract's servers implement: a parser that skips a coding it does not know would
     * read a body framed for another. RFC 9112 (section 6.1) allows 501 here; the contract answers
     * 400, as a client error is never a 5xx.
     */
    public static void requireChunkedOnly(String transferEncoding) {
        if (transferEncoding == null) {
            return;
        }
        for (String coding : transferEncoding.split(",")) {
            String name = coding.strip();
            int parameters = name.indexOf(';');
            if (!(parameters < 0 ? name : name.substring(0, parameters).strip()).equalsIgnoreCase("chunked")) {
                throw malformedRequest("transfer coding '" + name + "' is not implemented; only chunked is");
            }
        }
    }

    /**
     * Throws {@link #malformedRequest} unless {@code path} (the path a framework parsed from the
     * request target) starts with {@code /}: a target in origin form does (RFC 9112, section 3.2.1),
     * and one in absolute form has its path taken from the URI.
     */
    public static void requireOriginForm(String path) {
        if (path == null || !path.startsWith("/")) {
            throw malformedRequest("the request target is neither a path starting with '/' nor an absolute URI");
        }
    }

    /** An ASCII hex digit (Character.digit also takes other scripts' digits). */
    private static boolean hexDigit(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }

    /**
     * The body, at most {@link Limits#maxBodyBytes()} bytes of it. {@code declaredLength} is the
     * Content-Length (-1 for none, as with a chunked body); no more than that is read. Over the limit, at most
     * {@link #DRAIN_BYTES} more are read and dropped and {@link Limits#bodyTooLarge()} is thrown; a
     * body declared longer than that is refused unread. A body that cannot be read is
     * {@link #unreadableBody()}.
     */
    public static byte[] readBody(InputStream in, long declaredLength, Limits limits) {
        int max = limits.maxBodyBytes();
        try {
            if (declaredLength > max) {
                if (declaredLength <= (long) max + DRAIN_BYTES) {
                    drain(in);
                }
                throw limits.bodyTooLarge();
            }
            // A declared length is read as such: the buffer is the body's size, not the limit's, and
            // nothing past the body is taken. Without one, one byte past the limit says "too large".
            byte[] body = in.readNBytes(declaredLength >= 0 ? (int) declaredLength : max + 1);
            if (body.length > max) {
                drain(in);
                throw limits.bodyTooLarge();
            }
            return body;
        } catch (IOException e) {
            throw unreadableBody();
        }
    }

    /**
     * A JSON body bound to {@code type}: {@link #readBody} by its limit, then
     * {@link StrictJson#read} with {@code mapper} (one with the contract's rules), so every failure
     * is the contract's error. The read path of the stacks that take the body's bytes themselves
     * (Javalin and LangChain4j on its glue, Helidon SE), and the one the codec benchmark times for
     * them.
     */
    public static <T> T readJson(InputStream in, long declaredLength, Limits limits, ObjectMapper mapper, Class<T> type) {
        return StrictJson.read(mapper, readBody(in, declaredLength, limits), type);
    }

    /** Reads and drops at most {@link #DRAIN_BYTES} of what is left of a body; a client gone meanwhile is no error. */
    static void drain(InputStream in) {
        byte[] buffer = new byte[16 * 1024];
        try {
            for (long left = DRAIN_BYTES; left > 0; ) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    return;
                }
                left -= n;
            }
        } catch (IOException gone) {
            // The client stopped sending: the 413 is still the answer.
        }
    }

    private static String request(String method, String path) {
        if (method == null && path == null) {
            return "this request";
        }
        return (method == null ? "" : printable(method) + " ") + (path == null ? "" : printable(path));
    }

    /** A value from the request as it may appear in a message: no control characters, at most 200 characters. */
    public static String printable(String value) {
        String shown = value.length() > 200 ? value.substring(0, 200) + "..." : value;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}
