package dev.predictbench.contract.kit;

/**
 * The conformance kit: every check of the contract every server must pass, run against a running
 * server. A server module's test implements this interface (adding {@link GenAiChecks} when the
 * server serves the GenAI workload), starts its server on a free port with default settings, and
 * returns its address from {@link #baseUri()}; the benchmark runner runs the same checks before it
 * measures anything. No server is excused from any check.
 */
public interface ConformanceKit extends PredictChecks, MetricsChecks, AcceptChecks, HostileChecks, FuzzChecks {
}
