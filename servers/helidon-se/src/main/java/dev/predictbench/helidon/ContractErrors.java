package dev.predictbench.helidon;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.predictbench.contract.Contract;
import dev.predictbench.model.ApiException;
import dev.predictbench.model.Limits;
import dev.predictbench.model.http.HttpEdge;
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
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The contract's error JSON for everything Helidon can refuse. Errors raised while a route runs go
 * through the routing's error handlers; errors the connection raises before or outside routing
 * (a Content-Length or chunked body over the payload limit, a malformed request) go through
 * Helidon's direct handlers, which would otherwise answer in plain text.
 */
final class ContractErrors {
    /**
     * Helidon's message when the headers pass its limit (maxHeadersSize, 16 KiB by default): it
     * answers 400 for it, the contract 431. Helidon hands the message to a direct handler only
     * with {@code errorHandling.includeEntity} on.
     */
    private static final String HEADER_SIZE_EXCEEDED = "Header size exceeded";

    private ContractErrors() {
    }

    static void register(HttpRouting.Builder routing, Limits limits) {
        routing.error(ApiException.class, ContractErrors::send)
                .error(NotFoundException.class, (req, res, e) -> {
                    String method = req.prologue().method().text();
                    String path = req.path().path();
                    // Helidon's router only knows 404: a miss on one of the contract's paths is a wrong method.
                    String allowed = Contract.ROUTES.get(path);
                    if (allowed != null) {
                        res.header(HeaderNames.ALLOW, allowed);
                        send(req, res, HttpEdge.methodNotAllowed(method, path));
                    } else {
                        send(req, res, HttpEdge.notFound(method, path));
                    }
                })
                .error(HttpException.class, (req, res, e) ->
                        send(req, res, HttpEdge.forStatus(e.status().code(), req.prologue().method().text(), req.path().path(), limits)));
    }

    /** One JSON handler for every event the connection answers by itself. */
    static DirectHandlers directHandlers(ObjectMapper json, Limits limits) {
        DirectHandler handler = new DirectHandler() {
            @Override
            public TransportResponse handle(TransportRequest request, EventType eventType, Status status,
                                            ServerResponseHeaders headers, String message) {
                // The message is there because Main turns on errorHandling.includeEntity; it is
                // matched, never sent.
                int code = status.code() == 400 && HEADER_SIZE_EXCEEDED.equals(message) ? 431 : status.code();
                return respond(eventType, headers, HttpEdge.forStatus(code, null, request.path(), limits));
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

    /** Whether reading a body failed because it passed the listener's maxPayloadSize (Helidon's 413). */
    static boolean payloadTooLarge(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HttpException h && h.status().code() == 413 || t instanceof RequestException r && r.status().code() == 413) {
                return true;
            }
        }
        return false;
    }

    /** The contract's error, with the headers it calls for. */
    private static void send(ServerRequest req, ServerResponse res, ApiException e) {
        HttpEdge.headers(e, (name, value) -> res.header(HeaderNames.create(name), value));
        res.status(Status.create(e.status()));
        Main.json(req, res, e.body());
    }
}
