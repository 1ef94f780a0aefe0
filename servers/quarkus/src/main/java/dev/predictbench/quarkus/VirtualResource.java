package dev.predictbench.quarkus;

import dev.predictbench.model.PredictRequest;
import dev.predictbench.model.PredictResponse;
import dev.predictbench.model.ServerInfo;
import dev.predictbench.model.chat.ChatRequest;
import dev.predictbench.model.genai.EmbedRequest;
import dev.predictbench.model.genai.EmbedResponse;
import dev.predictbench.model.genai.SearchRequest;
import dev.predictbench.model.genai.SearchResponse;
import io.smallrye.common.annotation.RunOnVirtualThread;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The virtual variant's handlers: the same calls as {@link PredictResource}, {@link GenAiResource}
 * and {@link ChatResource}, each on a virtual thread of its own ({@code @RunOnVirtualThread}).
 * Quarkus fixes a method's thread at build time, so these live under an internal path that
 * {@link VariantRouting} rewrites {@code POST /predict}, {@code /embed}, {@code /search},
 * {@code /chat} and {@code GET /info} to when PREDICTBENCH_VARIANT=virtual; asked for directly, it is 404.
 * Left out of /openapi (application.properties).
 */
@Path(VariantRouting.VIRTUAL_PREFIX)
@Produces(MediaType.APPLICATION_JSON)
public class VirtualResource {
    private final PredictResource predict;
    private final GenAiResource genAi;
    private final BlockingChat chat;

    VirtualResource(PredictResource predict, GenAiResource genAi, BlockingChat chat) {
        this.predict = predict;
        this.genAi = genAi;
        this.chat = chat;
    }

    @POST
    @Path("predict")
    @RunOnVirtualThread
    @Consumes(MediaType.APPLICATION_JSON)
    public PredictResponse predict(PredictRequest request) {
        return predict.predict(request);
    }

    @POST
    @Path("embed")
    @RunOnVirtualThread
    @Consumes(MediaType.APPLICATION_JSON)
    public EmbedResponse embed(EmbedRequest request) {
        return genAi.embed(request);
    }

    @POST
    @Path("search")
    @RunOnVirtualThread
    @Consumes(MediaType.APPLICATION_JSON)
    public SearchResponse search(SearchRequest request) {
        return genAi.search(request);
    }

    @POST
    @Path("chat")
    @RunOnVirtualThread
    @Consumes(MediaType.APPLICATION_JSON)
    public Response chat(ChatRequest request) {
        return chat.chat(request);
    }

    /** Here so that /info's predictThread sample is a virtual thread, as /predict's is in this variant. */
    @GET
    @Path("info")
    @RunOnVirtualThread
    public ServerInfo info() {
        return predict.info();
    }
}
