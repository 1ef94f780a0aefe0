package dev.predictbench.gatling;

import io.gatling.javaapi.core.Simulation;

/** A simulation that fails the way a broken one does: while Gatling builds it. For the runner's fault tests. */
public class BrokenSimulation extends Simulation {
    {
        if (true) {
            throw new IllegalStateException("broken on purpose: a Gatling failure for the runner's fault tests");
        }
    }
}
