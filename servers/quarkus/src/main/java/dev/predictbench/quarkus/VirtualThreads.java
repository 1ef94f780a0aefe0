package dev.predictbench.quarkus;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The virtual variant's threads: a new virtual thread per request, as Quarkus's
 * {@code @RunOnVirtualThread} gives. That annotation cannot be used here: Quarkus REST refuses it at
 * build time when the JVM running the build (Maven's, Java 17 in this project) has no virtual
 * threads, though the server runs on Java 21+. So the variant's handlers hand their work to this
 * executor from the event loop themselves, which is what the annotation does.
 */
final class VirtualThreads {
    private static final ExecutorService EXECUTOR =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("predictbench-virtual-", 0).factory());

    private VirtualThreads() {
    }

    static void execute(Runnable task) {
        EXECUTOR.execute(task);
    }

    /**
     * {@code work} on a virtual thread of its own; its result, or its exception as thrown (not
     * wrapped in a CompletionException, so that the exception mapper sees the ApiException), completes the stage.
     */
    static <T> CompletionStage<T> supply(Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        EXECUTOR.execute(() -> {
            try {
                result.complete(work.get());
            } catch (Throwable failed) {
                result.completeExceptionally(failed);
            }
        });
        return result;
    }
}
