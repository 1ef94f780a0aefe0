package dev.predictbench.quarkus;

import dev.predictbench.model.Health;
import dev.predictbench.model.ModelCard;
import dev.predictbench.model.PredictRequest;
import dev.predictbench.model.PredictResponse;
import dev.predictbench.model.PredictService;
import dev.predictbench.model.Protection;
import dev.predictbench.model.ServerInfo;
import io.quarkus.runtime.ExecutorRecorder;
import io.quarkus.runtime.Quarkus;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The contract's routes that Quarkus REST serves ({@code /metrics} and {@code /openapi} come from
 * extensions). Plain return types make the methods blocking: they run on a worker thread.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class PredictResource {
    /** The version from quarkus-core's manifest, which Quarkus's class loader keeps. */
    private static final String FRAMEWORK = "Quarkus " + Objects.requireNonNullElse(
            Quarkus.class.getPackage().getImplementationVersion(), "3");

    private final PredictService service;
    private final Protection protection;
    private final Map<String, Object> threadingDetails;
    private final Chats chats;

    PredictResource(PredictService service, Protection protection, Chats chats,
                    @ConfigProperty(name = "quarkus.thread-pool.max-threads") Optional<Integer> maxThreads) {
        this.service = service;
        this.protection = protection;
        this.chats = chats;
        // Quarkus sizes its worker pool at start: quarkus.thread-pool.max-threads, else max(8 x cores, 200).
        this.threadingDetails = Map.of(
                "workerPool", "Quarkus worker pool (executor-thread-N) runs blocking JAX-RS methods",
                "workerPoolMaxSize", maxThreads.orElseGet(ExecutorRecorder::calculateMaxThreads),
                "eventLoops", "Vert.x event loops (vert.x-eventloop-thread-N) do the HTTP I/O",
                "genAi", "POST /embed and /search embed on the request's thread, like /predict: no pool of their own",
                "variants", "PREDICTBENCH_VARIANT: blocking (worker pool, the default), virtual (/predict, /embed,"
                        + " /search, /chat, /info each on a virtual thread), reactive (/chat non-blocking on the event loop;"
                        + " inference stays on the worker pool)");
    }

    @POST
    @Path("predict")
    @Consumes(MediaType.APPLICATION_JSON)
    public PredictResponse predict(PredictRequest request) {
        return service.predict(request);
    }

    @GET
    @Path("health/live")
    public Health live() {
        return Health.UP;
    }

    /** The services load at start-up (see Beans): once HTTP answers, the model is loaded. */
    @GET
    @Path("health/ready")
    public Health ready() {
        return Health.UP;
    }

    @GET
    @Path("model")
    public ModelCard model() {
        return service.card();
    }

    @GET
    @Path("info")
    public ServerInfo info() {
        // This method runs where /predict runs (a worker, or a virtual thread in the virtual variant),
        // so the current thread is a fair sample.
        Thread current = Thread.currentThread();
        Variant variant = chats.variant();
        Map<String, Object> details = new LinkedHashMap<>(threadingDetails);
        details.put("variant", variant.id());
        details.put("chat", chats.info(variant == Variant.REACTIVE ? ChatRoute.CLIENT : BlockingChat.CLIENT));
        return ServerInfo.of("quarkus", FRAMEWORK, null, new ServerInfo.Threading(variant.threadingModel(),
                current.getName() + (current.isVirtual() ? " (virtual)" : ""), details), service,
                protection);
    }
}
