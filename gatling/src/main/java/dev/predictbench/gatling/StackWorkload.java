package dev.predictbench.gatling;

import dev.predictbench.contract.launch.ServerProcess;
import java.nio.file.Path;

/**
 * What every scenario of one stack and workload is measured with: the run's settings, the running
 * server, the workload, where this stack's files go ({@code dir}) inside the run folder
 * ({@code runDir}), the console, and how the load client is run (a seam for the runner's fault tests).
 */
record StackWorkload(BenchSettings settings, ServerProcess server, Workload workload, Path dir, Path runDir, Progress progress,
                     LoadRunner load) {
    /** "javalin tabular": how the console names this stack and workload. */
    String label() {
        return server.stack().id() + " " + workload.id();
    }
}
