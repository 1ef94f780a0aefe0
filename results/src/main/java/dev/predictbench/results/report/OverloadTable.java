package dev.predictbench.results.report;

import dev.predictbench.results.RunRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The overload scenario's figures as a Markdown section of {@code comparison.md}: per stack (and
 * workload), the offered rate, what was served, the p99 of the served, the errors by kind, the
 * peak RSS and the time to recover normal latency. Every number comes from the run record.
 */
final class OverloadTable {
    private OverloadTable() {
    }

    /** One row: a stack's overload scenario in one workload. */
    record Row(String stack, String workload, RunRecord.Status status, List<String> reasons, RunRecord.Overload overload) {
    }

    static List<Row> rows(RunRecord run) {
        List<Row> rows = new ArrayList<>();
        for (RunRecord.StackResult s : run.stacks() == null ? List.<RunRecord.StackResult>of() : run.stacks()) {
            if (s.workloads() == null) {
                continue;
            }
            for (Map.Entry<String, RunRecord.Workload> w : s.workloads().entrySet()) {
                RunRecord.Scenario sc = w.getValue().scenarios() == null ? null : w.getValue().scenarios().get("overload");
                if (sc != null && sc.overload() != null) {
                    rows.add(new Row(s.stack(), w.getKey(), sc.status(), sc.reasons() == null ? List.of() : sc.reasons(), sc.overload()));
                }
            }
        }
        return rows;
    }

    /** The section, or an empty string when no stack ran the overload scenario. */
    static String markdown(RunRecord run) {
        List<Row> rows = rows(run);
        if (rows.isEmpty()) {
            return "";
        }
        RunRecord.Overload first = rows.getFirst().overload();
        StringBuilder md = new StringBuilder("\n## Overload\n\n");
        md.append("Offered: an open-model (Poisson) arrival rate of ").append(num(first.factor()))
                .append(" x each stack's sweep peak for ").append(num(first.durationSeconds()))
                .append(" s, every request with a ").append(num(first.requestTimeoutSeconds()))
                .append(" s timeout. Served: answered 2xx. Recovery: ").append(recoveryRule(first.recovery()))
                .append(" Heap: ").append(first.heapCheck()).append(".\n\n");
        md.append("| stack | workload | status | offered req/s (sent) | sent | served | p99 served ms | 503 | 429 | other 4xx | other 5xx "
                + "| timeouts | connection errors | peak RSS MiB | alive | unloaded p99 us | recovery (drain) |\n");
        md.append("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- |\n");
        for (Row r : rows) {
            RunRecord.Overload o = r.overload();
            RunRecord.OverloadErrors e = o.errors();
            md.append("| ").append(r.stack()).append(" | ").append(r.workload()).append(" | ").append(r.status())
                    .append(" | ").append(num(o.targetRate())).append(" (").append(num(o.sentRate())).append(")")
                    .append(" | ").append(o.sent())
                    .append(" | ").append(String.format(Locale.ROOT, "%.1f%%", o.servedShare() * 100))
                    .append(" | ").append(o.servedLatency() == null || o.servedLatency().p99() == null ? "-" : num(o.servedLatency().p99()))
                    .append(" | ").append(e.status503()).append(" | ").append(e.status429())
                    .append(" | ").append(e.other4xx()).append(" | ").append(e.other5xx() + e.otherStatus())
                    .append(" | ").append(e.timeouts()).append(" | ").append(e.connectionErrors())
                    .append(" | ").append(o.peakRssBytes() == null ? "-" : Long.toString(Math.round(o.peakRssBytes() / 1048576.0)))
                    .append(" | ").append(o.serverAlive() && !o.outOfMemory() ? "yes" : "NO")
                    .append(" | ").append(o.recovery() == null ? "-" : num(o.recovery().unloadedP99Micros()))
                    .append(" | ").append(recovery(o.recovery())).append(" |\n");
        }
        for (Row r : rows) {
            if (!r.reasons().isEmpty()) {
                md.append("\n").append(r.stack()).append(" ").append(r.workload()).append(" INVALID: ")
                        .append(String.join("; ", r.reasons())).append("\n");
            }
        }
        return md.toString();
    }

    private static String recovery(RunRecord.Recovery r) {
        if (r == null) {
            return "-";
        }
        String drain = r.drainMillis() == null ? "" : " (" + num(r.drainMillis()) + ")";
        return (r.recovered() ? num(r.millis()) + " ms" : "not within " + num(r.boundSeconds()) + " s") + drain;
    }

    /** How recovery was judged, in words, from the record's settings (the unloaded p99 is each stack's own). */
    static String recoveryRule(RunRecord.Recovery r) {
        if (r == null) {
            return "not measured.";
        }
        return "after the overload's last answer, one request at a time from the load generator in windows of "
                + r.windowRequests() + "; recovered at the end of the first window with no error and a p99 within "
                + num(r.factor()) + " x the stack's unloaded p99 (its sequential probe before the scenarios); the time is counted "
                + "from the end of the offered load, so it includes the drain (in brackets: until the last overload answer, "
                + "at most the request timeout); not recovered when no window met that within " + num(r.boundSeconds()) + " s.";
    }

    private static String num(double v) {
        if (Math.abs(v) >= 100) {
            return String.format(Locale.ROOT, "%,d", Math.round(v));
        }
        return String.format(Locale.ROOT, "%.3g", v).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "");
    }
}
