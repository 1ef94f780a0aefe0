package dev.predictbench.quarkus;

import jakarta.inject.Singleton;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Sends each request to the running variant's JAX-RS handler: with PREDICTBENCH_VARIANT=virtual,
 * {@code POST /predict}, {@code /embed}, {@code /search} and {@code GET /info} go to
 * {@link VirtualResource}'s methods, which run on virtual threads (a pre-matching filter rewrites the
 * path before Quarkus REST picks the method). /chat in the virtual and reactive variants is
 * {@link ChatRoute}'s, a Vert.x route ahead of Quarkus REST. The internal path itself is 404 from outside.
 */
@Singleton
public class VariantRouting {
    static final String VIRTUAL_PREFIX = "/_variant/virtual";
    private static final Set<String> VIRTUAL_POSTS = Set.of("/predict", "/embed", "/search");

    private final Variant variant;

    VariantRouting(Variant variant) {
        this.variant = variant;
    }

    @ServerRequestFilter(preMatching = true)
    public void route(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (path.startsWith("/_variant/") || path.equals("/_variant")) {
            throw new NotFoundException();
        }
        if (variant == Variant.VIRTUAL && ("POST".equals(request.getMethod()) && VIRTUAL_POSTS.contains(path)
                || "GET".equals(request.getMethod()) && path.equals("/info"))) {
            request.setRequestUri(request.getUriInfo().getBaseUri().resolve(VIRTUAL_PREFIX.substring(1) + path));
        }
    }
}
