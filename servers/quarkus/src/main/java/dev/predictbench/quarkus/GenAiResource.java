package dev.predictbench.quarkus;

import dev.predictbench.model.genai.EmbedRequest;
import dev.predictbench.model.genai.EmbedResponse;
import dev.predictbench.model.genai.GenAiService;
import dev.predictbench.model.genai.SearchRequest;
import dev.predictbench.model.genai.SearchResponse;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code POST /embed} and {@code POST /search}, bound and guarded like {@code /predict}, on the
 * worker thread that took the request. A class of its own: SmallRye OpenAPI tags each operation
 * with its resource class's name.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class GenAiResource {
    @Inject
    GenAiService genAi;

    @POST
    @Path("embed")
    public EmbedResponse embed(EmbedRequest request) {
        return genAi.embed(request);
    }

    @POST
    @Path("search")
    public SearchResponse search(SearchRequest request) {
        return genAi.search(request);
    }
}
