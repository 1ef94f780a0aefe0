package dev.predictbench.gatling;

import java.util.List;

/**
 * Capacity: a closed-model concurrency sweep. Each step keeps a fixed number of requests in
 * flight ({@code bench.concurrency}, default 1,4,16,64,256) for {@code bench.windows} windows; a
 * new request starts as soon as one finishes, so throughput is what the server can sustain at that
 * concurrency. Closed-model latencies suffer coordinated omission; use {@link RateSimulation} for
 * latency at a given load.
 *
 * <p>Against any running server: {@code ./mvnw -pl gatling gatling:test
 * -Dgatling.simulationClass=dev.predictbench.gatling.SweepSimulation -DbaseUrl=http://host:port}
 */
public class SweepSimulation extends BenchSimulation {
    {
        build();
    }

    @Override
    protected List<Step> steps() {
        return numbers("bench.concurrency", "1,4,16,64,256").stream().map(c -> closed(c.intValue())).toList();
    }
}
