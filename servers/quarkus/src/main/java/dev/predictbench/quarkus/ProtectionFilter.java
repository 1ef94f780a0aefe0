package dev.predictbench.quarkus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.predictbench.model.ApiException;
import dev.predictbench.model.Protection;
import dev.predictbench.model.http.HttpEdge;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * The opt-in {@link Protection} (API key, per-client rate limit) as a Vert.x route filter on Quarkus's
 * router, ahead of everything else (the body limit of {@link RequestGuards} included): a JAX-RS
 * {@code @ServerRequestFilter} would only see the JAX-RS resources, not {@code /openapi} (SmallRye
 * OpenAPI's route), and this way a refused request is never read. The check runs on the event loop
 * (it never blocks: the rate limiter does not wait); the answer is the contract's error JSON with the
 * headers {@link HttpEdge#headers} gives every ApiException.
 */
@Singleton
public class ProtectionFilter {

    void protect(@Observes Router router, Protection protection, ObjectMapper mapper) {
        if (!protection.enabled()) {
            return; // the benchmarks' default: no route at all
        }
        router.route().order(RequestGuards.PROTECTION_ORDER).handler(ctx -> {
            HttpServerRequest request = ctx.request();
            try {
                protection.check(request.path(), request.remoteAddress() == null ? null : request.remoteAddress().hostAddress(),
                        request.getHeader(HttpHeaders.AUTHORIZATION), request.getHeader("X-API-Key"));
            } catch (ApiException refused) {
                HttpServerResponse response = ctx.response().setStatusCode(refused.status())
                        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
                HttpEdge.headers(refused, response::putHeader);
                response.end(json(mapper, refused));
                return;
            }
            ctx.next();
        });
    }

    /** The contract's error body as JSON text, for the Vert.x routes that answer ahead of Quarkus REST. */
    static String json(ObjectMapper mapper, ApiException e) {
        try {
            return mapper.writeValueAsString(e.body());
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
