package dev.predictbench.gatling;

import dev.predictbench.gatling.load.LoadMain;
import dev.predictbench.gatling.load.StepOutcome;
import java.io.IOException;
import java.util.List;

/** How the runner runs the load client: {@link dev.predictbench.gatling.load.LoadProcess#run} (tests put a seam here). */
@FunctionalInterface
interface LoadRunner {
    /** @throws dev.predictbench.gatling.load.LoadProcess.Fault when the client fails, with the steps it finished */
    List<StepOutcome> run(LoadMain.Spec spec, long timeoutSeconds) throws IOException, InterruptedException;
}
