package dev.predictbench.quarkus;

import dev.predictbench.model.chat.ChatSettings;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The server's threading-model variant, {@code PREDICTBENCH_VARIANT}, read once at start-up. Quarkus
 * wires its endpoints at build time, so every variant's handlers are built in and {@link VariantRouting}
 * (JAX-RS) or {@link ChatRoute} (a Vert.x route) sends each request to the running variant's.
 */
public enum Variant {
    /** Quarkus's default for a method with a blocking signature: a worker-pool thread. */
    BLOCKING("blocking", "event-loop+workers",
            "blocking JDK HttpClient on a Quarkus worker thread (executor-thread-N), @Blocking"),
    /**
     * The blocking handlers, each on a virtual thread of its own, as {@code @RunOnVirtualThread} runs
     * them (see {@link VirtualThreads} for why not that annotation itself).
     */
    VIRTUAL("virtual", "event-loop+virtual-threads",
            "blocking JDK HttpClient on a virtual thread per request (predictbench-virtual-N), dispatched from the event loop as @RunOnVirtualThread does"),
    /**
     * /chat non-blocking on the Vert.x event loop (a Vert.x route and Vert.x's HttpClient); the
     * inference routes stay on the worker pool: they are CPU-bound blocking calls.
     */
    REACTIVE("reactive", "event-loop+workers-for-inference",
            "non-blocking, event loop (vert.x-eventloop-thread-N): Vert.x HttpClient, a handler per buffer");

    private final String id;
    private final String threadingModel;
    private final String chatHandler;

    Variant(String id, String threadingModel, String chatHandler) {
        this.id = id;
        this.threadingModel = threadingModel;
        this.chatHandler = chatHandler;
    }

    /** The variant PREDICTBENCH_VARIANT names, {@code blocking} when unset. */
    public static Variant fromEnvironment() {
        return of(ChatSettings.variant(BLOCKING.id));
    }

    /** @throws IllegalArgumentException naming the known variants when {@code name} is none of them */
    public static Variant of(String name) {
        String wanted = name.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(v -> v.id.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("PREDICTBENCH_VARIANT '" + name
                        + "' is not a Quarkus variant; the known ones are "
                        + Arrays.stream(values()).map(Variant::id).collect(Collectors.joining(", "))));
    }

    /** The name PREDICTBENCH_VARIANT takes and /info reports. */
    public String id() {
        return id;
    }

    /** /info's threading.model for this variant (registered in the contract's Stacks.QUARKUS). */
    public String threadingModel() {
        return threadingModel;
    }

    /** /info's chat.handler: how the /chat handler runs. */
    public String chatHandler() {
        return chatHandler;
    }
}
