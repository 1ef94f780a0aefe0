package dev.predictbench.gatling;

import dev.predictbench.simulator.LlmSimulator;
import dev.predictbench.simulator.SimStats;
import dev.predictbench.simulator.SimulatorConfig;

/** The {@link Upstream} of a run: predict-bench's LLM simulator on a free loopback port in this JVM. */
final class SimulatorUpstream implements Upstream {
    private final LlmSimulator simulator;

    private SimulatorUpstream(LlmSimulator simulator) {
        this.simulator = simulator;
    }

    static SimulatorUpstream start(LlmSettings llm) {
        return new SimulatorUpstream(LlmSimulator.start(SimulatorConfig.defaults().withPort(0).withTtftMs(llm.ttftMillis())
                .withItlMs(llm.itlMillis()).withTokens(llm.tokens()).withThreads(llm.simulatorThreads())));
    }

    @Override
    public String baseUrl() {
        return simulator.baseUrl();
    }

    @Override
    public String implementation() {
        return "predict-bench llm-simulator: OpenAI Chat Completions on a Netty event loop (" + simulator.config().threads()
                + " thread(s)) in the runner's JVM";
    }

    @Override
    public void reset() {
        simulator.resetStats();
    }

    @Override
    public Stats stats() {
        SimStats s = simulator.stats();
        return new Stats(s.maxActiveStreams(), s.events(), s.lateEvents(), s.latenessP99Micros() / 1000.0,
                s.latenessMaxMicros() / 1000.0);
    }

    @Override
    public void close() {
        simulator.close();
    }
}
