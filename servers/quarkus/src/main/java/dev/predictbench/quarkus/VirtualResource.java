package dev.predictbench.quarkus;

import dev.predictbench.model.PredictRequest;
import dev.predictbench.model.PredictResponse;
import dev.predictbench.model.ServerInfo;
import dev.predictbench.model.genai.EmbedRequest;
import dev.predictbench.model.genai.EmbedResponse;
import dev.predictbench.model.genai.SearchRequest;
import dev.predictbench.model.genai.SearchResponse;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.concurrent.CompletionStage;

/**
 * The virtual variant's JAX-RS handlers: the same calls as {@link PredictResource} and
 * {@link GenAiResource}, each run on a virtual thread of its own ({@link VirtualThreads}): Quarkus
 * REST binds the body on the event loop ({@code @NonBlocking}) and answers when the virtual thread
 * is done. Quarkus fixes a method's thread at build time, so these live under an internal path that
 * {@link VariantRouting} rewrites {@code POST /predict}, {@code /embed}, {@code /search} and
 * {@code GET /info} to when PREDICTBENCH_VARIANT=virtual; asked for directly, it is 404. The
 * variant's /chat is {@link ChatRoute}'s. Left out of /openapi (application.properties).
 */
@Path(VariantRouting.VIRTUAL_PREFIX)
@Produces(MediaType.APPLICATION_JSON)
public class VirtualResource {
    private final PredictResource predict;
    private final GenAiResource genAi;

    VirtualResource(PredictResource predict, GenAiResource genAi) {
        this.predict = predict;
        this.genAi = genAi;
    }

    @POST
    @Path("predict")
    @NonBlocking
    @Consumes(MediaType.APPLICATION_JSON)
    public CompletionStage<PredictResponse> predict(PredictRequest request) {
        return VirtualThreads.supply(() -> predict.predict(request));
    }

    @POST
    @Path("embed")
    @NonBlocking
    @Consumes(MediaType.APPLICATION_JSON)
    public CompletionStage<EmbedResponse> embed(EmbedRequest request) {
        return VirtualThreads.supply(() -> genAi.embed(request));
    }

    @POST
    @Path("search")
    @NonBlocking
    @Consumes(MediaType.APPLICATION_JSON)
    public CompletionStage<SearchResponse> search(SearchRequest request) {
        return VirtualThreads.supply(() -> genAi.search(request));
    }

    /** Here so that /info's predictThread sample is a virtual thread, as /predict's is in this variant. */
    @GET
    @Path("info")
    @NonBlocking
    public CompletionStage<ServerInfo> info() {
        return VirtualThreads.supply(predict::info);
    }
}
