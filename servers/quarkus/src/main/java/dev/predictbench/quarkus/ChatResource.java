package dev.predictbench.quarkus;

import dev.predictbench.model.chat.ChatRequest;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code POST /chat} in the blocking variant: on a Quarkus worker thread, the JDK HttpClient
 * blocking on it ({@link BlockingChat}). The body binds to ChatRequest with the strict Jackson
 * rules of every other route. The virtual and reactive variants' handlers are {@link ChatRoute}'s,
 * a Vert.x route ahead of Quarkus REST.
 */
@Path("/")
public class ChatResource {
    private final BlockingChat chat;

    ChatResource(BlockingChat chat) {
        this.chat = chat;
    }

    @POST
    @Path("chat")
    @Blocking
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response chat(ChatRequest request) {
        return chat.chat(request);
    }
}
