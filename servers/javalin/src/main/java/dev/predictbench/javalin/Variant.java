package dev.predictbench.javalin;

import dev.predictbench.model.chat.ChatSettings;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The threading model a server on the Javalin glue runs with, for every route, chosen at start-up by
 * {@code PREDICTBENCH_VARIANT}: Jetty's pool of platform threads as Javalin ships it, or Javalin's
 * {@code config.concurrency.useVirtualThreads} (a virtual thread per task in place of Jetty's pool).
 */
public enum Variant {
    PLATFORM("platform", "platform-thread-pool", "platform"),
    VIRTUAL("virtual", "virtual-threads", "virtual");

    private final String id;
    private final String threadingModel;
    private final String thread;

    Variant(String id, String threadingModel, String thread) {
        this.id = id;
        this.threadingModel = threadingModel;
        this.thread = thread;
    }

    /** The name {@code PREDICTBENCH_VARIANT} and {@code /info} use. */
    public String id() {
        return id;
    }

    /** The threading model {@code /info} reports (one of the contract's). */
    public String threadingModel() {
        return threadingModel;
    }

    /** The kind of request thread a handler runs on: "platform" or "virtual". */
    public String thread() {
        return thread;
    }

    /** The variant {@code PREDICTBENCH_VARIANT} names; Javalin's default (platform) when unset. */
    public static Variant fromEnvironment() {
        return of(ChatSettings.variant(PLATFORM.id));
    }

    /** The variant called {@code id}; start-up fails on a name it does not know. */
    public static Variant of(String id) {
        for (Variant v : values()) {
            if (v.id.equals(id)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown PREDICTBENCH_VARIANT '" + id + "'; known: "
                + Arrays.stream(values()).map(Variant::id).collect(Collectors.joining(", ")));
    }
}
