package dev.predictbench.quarkus;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.predictbench.contract.ContractMeters;
import dev.predictbench.model.PredictService;
import dev.predictbench.model.Protection;
import dev.predictbench.model.chat.ChatSettings;
import dev.predictbench.model.genai.GenAiService;
import dev.predictbench.model.json.StrictJson;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.quarkus.jackson.ObjectMapperCustomizer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The CDI beans the glue needs; as an ObjectMapperCustomizer (run after Quarkus's own config), the strict JSON rules. */
@Singleton
public class Beans implements ObjectMapperCustomizer {
    @Override
    public void customize(ObjectMapper mapper) {
        StrictJson.configure(mapper);
    }

    /** Both services load at start-up, not on the first request: a server that answers is ready. */
    @Produces
    @Singleton
    @Startup
    PredictService predictService() {
        return PredictService.fromEnvironment();
    }

    @Produces
    @Singleton
    @Startup
    GenAiService genAiService() {
        return GenAiService.fromEnvironment();
    }

    void close(@Disposes PredictService service) {
        service.close();
    }

    void close(@Disposes GenAiService genAi) {
        genAi.close();
    }

    /**
     * The threading-model variant (PREDICTBENCH_VARIANT), checked at start-up: an unknown name fails
     * the start with the known ones listed.
     */
    @Produces
    @Singleton
    @Startup
    Variant variant() {
        return Variant.fromEnvironment();
    }

    /** /chat's settings and in-flight limit (PREDICTBENCH_UPSTREAM_*, PREDICTBENCH_CHAT_MAX_INFLIGHT). */
    @Produces
    @Singleton
    @Startup
    Chats chats(Variant variant) {
        return new Chats(ChatSettings.fromEnvironment(), variant);
    }

    /** /chat's blocking client (the blocking and virtual variants). */
    @Produces
    @Singleton
    BlockingChat blockingChat(Chats chats) {
        return new BlockingChat(chats);
    }

    void close(@Disposes BlockingChat chat) {
        chat.close();
    }

    /** The opt-in API key and rate limit (PREDICTBENCH_API_KEY, PREDICTBENCH_RATE_LIMIT). */
    @Produces
    @Singleton
    Protection protection() {
        return Protection.fromEnvironment();
    }

    /**
     * The contract's meters: Quarkus binds every MeterBinder bean to its registry. The overload
     * meters read the PredictService's in-flight limit, the process's one, shared by the GenAiService.
     */
    @Produces
    @Singleton
    MeterBinder contractMeters(PredictService service, GenAiService genAi, Chats chats) {
        return registry -> {
            FunctionCounter.builder("predictbench.chats", chats, Chats::completedChats)
                    .description("Chats answered in full by POST /chat").register(registry);
            ContractMeters.predictions(service).bindTo(registry);
            ContractMeters.genAi(genAi).bindTo(registry);
            ContractMeters.overload(service.inflight()).bindTo(registry);
        };
    }
}
