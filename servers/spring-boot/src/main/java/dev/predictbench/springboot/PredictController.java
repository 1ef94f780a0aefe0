package dev.predictbench.springboot;

import dev.predictbench.contract.Contract;
import dev.predictbench.model.Health;
import dev.predictbench.model.ModelCard;
import dev.predictbench.model.PredictRequest;
import dev.predictbench.model.PredictResponse;
import dev.predictbench.model.PredictService;
import dev.predictbench.model.Protection;
import dev.predictbench.model.ServerInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.coyote.AbstractProtocol;
import org.apache.coyote.ProtocolHandler;
import org.apache.tomcat.util.threads.ThreadPoolExecutor;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.core.SpringVersion;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The contract's endpoints but the GenAI ones ({@link GenAiController}), {@code /metrics} (Actuator)
 * and {@code /openapi} (springdoc). Bad requests end in {@link ContractErrors}.
 */
@RestController
class PredictController {
    static final String STACK = "spring-boot";
    private static final String FRAMEWORK = "Spring Boot " + SpringBootVersion.getVersion() + " (Spring Framework "
            + SpringVersion.getVersion() + ", " + org.apache.catalina.util.ServerInfo.getServerInfo() + ")";

    private final PredictService service;
    private final WebServerApplicationContext context;
    private final Protection protection;
    private final ChatController chat;

    PredictController(PredictService service, WebServerApplicationContext context, Protection protection,
            ChatController chat) {
        this.service = service;
        this.context = context;
        this.protection = protection;
        this.chat = chat;
    }

    /** Spring MVC answers 415 itself for any other Content-Type, and for none. */
    @PostMapping(path = Contract.PREDICT, consumes = MediaType.APPLICATION_JSON_VALUE)
    PredictResponse predict(@RequestBody PredictRequest request) {
        return service.predict(request);
    }

    @GetMapping(Contract.LIVE)
    Health live() {
        return Health.UP;
    }

    @GetMapping(Contract.READY)
    Health ready() {
        // The service is a bean: the server does not listen before the model is loaded.
        return Health.UP;
    }

    @GetMapping(Contract.MODEL)
    ModelCard model() {
        return service.card();
    }

    @GetMapping(Contract.INFO)
    ServerInfo info() {
        Thread current = Thread.currentThread();
        return ServerInfo.of(STACK, FRAMEWORK, null, new ServerInfo.Threading(
                current.isVirtual() ? "virtual-threads" : "platform-thread-pool",
                current.getName() + (current.isVirtual() ? " (virtual)" : ""), threadingDetails()), service,
                protection);
    }

    /** The pool as the running Tomcat connector has it, not as the properties say it should be; where GenAI work runs. */
    private Map<String, Object> threadingDetails() {
        ProtocolHandler handler = ((TomcatWebServer) context.getWebServer()).getTomcat().getConnector().getProtocolHandler();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("connector", ((AbstractProtocol<?>) handler).getName().replace("\"", "")); // JMX-quoted
        String variant = ChatVariant.of(context.getEnvironment());
        details.put("variant", variant);
        if (handler.getExecutor() instanceof ThreadPoolExecutor pool) {
            details.put("pool", "Tomcat ThreadPoolExecutor");
            details.put("coreThreads", pool.getCorePoolSize());
            details.put("maxThreads", pool.getMaximumPoolSize());
        } else {
            // Tomcat's VirtualThreadExecutor: a new virtual thread per request, no maxThreads.
            details.put("pool", String.valueOf(handler.getExecutor()));
            details.put("maxThreads", "unbounded: a new virtual thread per request");
        }
        // GenAiService has no executor: the embedding model runs on the Tomcat thread of the request.
        details.put("genAi", "POST /embed and /search embed on the request thread, like /predict: no pool of their own");
        details.put("chat", chat.info(ChatVariant.VIRTUAL.equals(variant)));
        return details;
    }
}
