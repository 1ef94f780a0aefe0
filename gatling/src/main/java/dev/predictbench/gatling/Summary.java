package dev.predictbench.gatling;

import dev.predictbench.results.RunRecord;
import java.io.PrintStream;

/** The table printed at the end of a run: one line per subject (a stack, or a stack with batching: {@code <stack>+batching}). */
final class Summary {
    private Summary() {
    }

    static void print(RunRecord record, PrintStream out) {
        out.println();
        String batching = record.settings() == null || record.settings().batching() == null ? "off" : record.settings().batching();
        out.println("subjects (batching " + batching + "): " + String.join(", ", record.stacks().stream()
                .map(RunRecord.StackResult::stack).toList()));
        out.printf("%-22s %-8s %10s %12s %12s %14s %12s  %s%n", "subject", "status", "ready ms", "best req/s",
                "probe p50 us", "SLO max req/s", "CPU ms/req", "reasons");
        for (RunRecord.StackResult s : record.stacks()) {
            double best = Double.NaN;
            Double slo = null;
            Double probe = null;
            Double cpu = null;
            if (s.workloads() != null && s.workloads().get("tabular") != null) {
                RunRecord.Workload w = s.workloads().get("tabular");
                RunRecord.Scenario sweep = w.scenarios().get("sweep");
                if (sweep != null) {
                    RunRecord.Step top = sweep.steps().stream().max(java.util.Comparator.comparingDouble(RunRecord.Step::throughput)).orElse(null);
                    if (top != null) {
                        best = top.throughput();
                        cpu = top.serverCpuMillisPerRequest();
                    }
                }
                if (w.scenarios().get("slo") != null) {
                    slo = w.scenarios().get("slo").slo().maxRate();
                }
                if (w.probe() != null && w.probe().latency() != null) {
                    probe = w.probe().latency().p50();
                }
            }
            out.printf("%-22s %-8s %10s %12s %12s %14s %12s  %s%n", s.stack(), s.status(),
                    s.startup() == null ? "-" : Math.round(s.startup().readyMillis()),
                    Double.isNaN(best) ? "-" : Math.round(best), probe == null ? "-" : probe,
                    slo == null ? "-" : Math.round(slo), cpu == null ? "-" : cpu, String.join("; ", s.reasons()));
        }
        out.println();
    }
}
