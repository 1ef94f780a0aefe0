package dev.predictbench.helidon;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.predictbench.contract.Contract;
import dev.predictbench.model.ApiException;
import dev.predictbench.model.ErrorCode;
import dev.predictbench.model.Limits;
import dev.predictbench.model.json.StrictJson;
import io.helidon.http.DirectHandler;
import io.helidon.http.DirectHandler.EventType;
import io.helidon.http.DirectHandler.TransportResponse;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.HttpException;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.NotFoundException;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.http.media.jackson.JacksonRuntimeException;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;

/**
 * The contract's error JSON for everything Helidon can refuse. Errors raised while a route runs go
 * through the routing's error handlers; errors the connection raises before or outside routing
 * (a Content-Length or chunked body over the payload limit, a malformed request) go through
 * Helidon's direct handlers, which would otherwise answer in plain text.
 */
final class ContractErrors {
    /** Paths of the contract: a miss on one of them is a wrong method (Helidon's router only knows 404). */
    private static final List<String> KNOWN_PATHS = List.of(Contract.PREDICT, Contract.EMBED, Contract.SEARCH,
            Contract.LIVE, Contract.READY, Contract.MODEL, Contract.INFO, Contract.METRICS, Contract.OPENAPI);
    /** The known paths served by POST; the others are GET. */
    private static final List<String> POST_PATHS = List.of(Contract.PREDICT, Contract.EMBED, Contract.SEARCH);

    /**
     * Helidon's message when the headers pass its limit (maxHeadersSize, 16 KiB by default): it
     * answers 400 for it, the contract 431. Helidon hands the message to a direct handler only
     * with {@code errorHandling.includeEntity} on.
     */
    private static final String HEADER_SIZE_EXCEEDED = "Header size exceeded";

    private ContractErrors() {
    }

    static void register(HttpRouting.Builder routing, Limits limits) {
        routing.error(ApiException.class, (req, res, e) -> send(req, res, e))
                .error(JacksonRuntimeException.class, (req, res, e) -> send(req, res, fromJackson(e, limits)))
                .error(NotFoundException.class, (req, res, e) -> {
                    String path = req.path().path();
                    if (KNOWN_PATHS.contains(path)) {
                        res.header(HeaderNames.ALLOW, POST_PATHS.contains(path) ? "POST" : "GET");
                        send(req, res, new ApiException(ErrorCode.METHOD_NOT_ALLOWED,
                                req.prologue().method().text() + " is not allowed on " + path));
                    } else {
                        send(req, res, forStatus(Status.NOT_FOUND_404, path, limits));
                    }
                })
                // BadRequestException, and 413/415 that Helidon's media layer raises while reading.
                .error(HttpException.class, (req, res, e) -> send(req, res, forStatus(e.status(), req.path().path(), limits)));
    }

    /** One JSON handler for every event the connection answers by itself. */
    static DirectHandlers directHandlers(ObjectMapper json, Limits limits) {
        DirectHandler handler = new DirectHandler() {
            @Override
            public TransportResponse handle(TransportRequest request, EventType eventType, Status status,
                                            ServerResponseHeaders headers, String message) {
                // The message is there because Main turns on errorHandling.includeEntity; it is
                // matched, never sent.
                return respond(eventType, headers, status.code() == 400 && HEADER_SIZE_EXCEEDED.equals(message)
                        ? new ApiException(ErrorCode.HEADERS_TOO_LARGE, "request headers too large")
                        : forStatus(status, request.path(), limits));
            }

            private TransportResponse respond(EventType eventType, ServerResponseHeaders headers, ApiException e) {
                byte[] body;
                try {
                    body = json.writeValueAsBytes(e.body());
                } catch (JsonProcessingException impossible) {
                    throw new IllegalStateException(impossible);
                }
                return TransportResponse.builder()
                        .status(Status.create(e.status()))
                        .headers(headers)
                        .header(HeaderValues.CONTENT_TYPE_JSON)
                        .entity(body)
                        .keepAlive(eventType.keepAlive())
                        .build();
            }
        };
        DirectHandlers.Builder handlers = DirectHandlers.builder();
        for (EventType type : EventType.values()) {
            handlers.addHandler(type, handler);
        }
        return handlers.build();
    }

    /** Jackson's failure to bind the body, unless the body was cut off by the payload limit. */
    private static ApiException fromJackson(JacksonRuntimeException e, Limits limits) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof HttpException h && h.status().code() == 413
                    || t instanceof RequestException r && r.status().code() == 413) {
                return limits.bodyTooLarge();
            }
        }
        if (e.getCause() instanceof JsonProcessingException jackson) {
            return StrictJson.toApiException(jackson);
        }
        return new ApiException(ErrorCode.MALFORMED_JSON, "request body could not be read");
    }

    /** The contract's error for a status Helidon chose. */
    private static ApiException forStatus(Status status, String path, Limits limits) {
        return switch (status.code()) {
            case 404 -> new ApiException(ErrorCode.NOT_FOUND, "no such path: " + path);
            case 405 -> new ApiException(ErrorCode.METHOD_NOT_ALLOWED, "method not allowed on " + path);
            case 413 -> limits.bodyTooLarge();
            case 415 -> new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "unsupported request media type");
            case 414 -> new ApiException(ErrorCode.URI_TOO_LONG, "request line too long");
            case 431 -> new ApiException(ErrorCode.HEADERS_TOO_LARGE, "request headers too large");
            // Bodies are bound by Main.body, which answers their errors itself: a 400 of Helidon's
            // is a request it could not parse as HTTP.
            default -> status.code() < 500
                    ? new ApiException(ErrorCode.BAD_REQUEST, "malformed request: " + status.reasonPhrase())
                    : new ApiException(ErrorCode.INTERNAL_ERROR, "internal server error");
        };
    }

    /** The contract's error, with Retry-After (429, 503) and WWW-Authenticate (401) where the exception calls for them. */
    private static void send(ServerRequest req, ServerResponse res, ApiException e) {
        if (e.retryAfterSeconds() != null) {
            res.header(HeaderNames.RETRY_AFTER, String.valueOf(e.retryAfterSeconds()));
        }
        if (e.code() == ErrorCode.UNAUTHORIZED) {
            res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
        }
        res.status(Status.create(e.status()));
        Main.json(req, res, e.body());
    }
}
