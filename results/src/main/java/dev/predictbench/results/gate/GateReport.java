package dev.predictbench.results.gate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The gate as one HTML page ({@code gate.html}, beside {@code gate.json}): the verdict, every
 * headline figure drawn as its pairs' B/A ratios with the interval and the minimum-effect band
 * (what the paired test saw, not only its outcome), and every trial with its warm-up and steps,
 * invalid steps with their reasons. Inline SVG and CSS only: it opens from a CI artifact with no
 * network and no script.
 */
public final class GateReport {
    /** The widest change a figure's axis shows, as a log-ratio (x3 or /3); larger values sit at the edge. */
    private static final double MAX_SPAN = Math.log(3);
    private static final int PLOT_WIDTH = 420;
    private static final int PLOT_HEIGHT = 46;

    private GateReport() {
    }

    public static String html(GateRecord r) {
        GateRecord.Verdict v = r.verdict() == null ? GateVerdict.judge(r) : r.verdict();
        StringBuilder h = new StringBuilder(32_768);
        h.append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>predict-bench gate: ")
                .append(esc(v.status())).append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        header(h, r, v);
        h.append("<main>\n");
        if (!v.faults().isEmpty()) {
            h.append("<div class=\"card problems\"><h3>Faults (each fails the gate, whatever the figures say)</h3><ul>");
            v.faults().forEach(f -> h.append("<li>").append(esc(f)).append("</li>"));
            h.append("</ul></div>\n");
        }
        if (!r.complete()) {
            h.append("<div class=\"card problems\"><h3>The run is incomplete</h3><p>").append(esc(r.incomplete()))
                    .append("</p></div>\n");
        }
        figures(h, v);
        if (!v.notes().isEmpty()) {
            h.append("<div class=\"card\"><h3>Notes (seen, not gating)</h3><ul>");
            v.notes().forEach(n -> h.append("<li>").append(esc(n)).append("</li>"));
            h.append("</ul></div>\n");
        }
        for (GateRecord.StackTrials st : r.stacks()) {
            stack(h, r, st);
        }
        method(h, r, v);
        h.append("</main>\n</body>\n</html>\n");
        return h.toString();
    }

    private static void header(StringBuilder h, GateRecord r, GateRecord.Verdict v) {
        h.append("<header><h1>predict-bench gate: <span class=\"status ").append(cls(v.status())).append("\">")
                .append(esc(v.status())).append("</span></h1>\n<div class=\"sub\">baseline ").append(arm(r.baseline()))
                .append(" &nbsp;against&nbsp; candidate ").append(arm(r.candidate())).append("</div>\n<div class=\"chips\">");
        GateRecord.Settings s = r.settings();
        chip(h, "run " + r.id());
        chip(h, r.startedAt() == null ? "" : r.startedAt().replace('T', ' ').replaceAll("\\.\\d+Z$", " UTC")
                + duration(r.startedAt(), r.finishedAt()));
        chip(h, "stacks " + String.join(", ", s.stacks()) + " · workloads " + String.join(", ", s.workloads()));
        chip(h, s.pairs() + " pairs per stack · order seed " + s.orderSeed());
        if (s.slowdown() > 0) {
            h.append("<span class=\"chip calib\">calibration: arm B +").append(GateSummary.pct(s.slowdown()))
                    .append(" of its own server CPU per call</span>");
        }
        h.append("</div></header>\n");
    }

    private static void chip(StringBuilder h, String text) {
        if (!text.isBlank()) {
            h.append("<span class=\"chip\">").append(esc(text)).append("</span>");
        }
    }

    private static String duration(String from, String to) {
        try {
            Duration d = Duration.between(Instant.parse(from), Instant.parse(to));
            return String.format(Locale.ROOT, " · %d min %02d s", d.toMinutes(), d.toSecondsPart());
        } catch (RuntimeException e) {
            return "";
        }
    }

    private static String arm(GateRecord.Arm a) {
        if (a == null) {
            return "?";
        }
        String commit = a.commit() == null ? "?" : a.commit().substring(0, Math.min(10, a.commit().length()));
        return "<code>" + esc(a.ref()) + "</code> (" + esc(commit) + (a.dirty() ? ", with uncommitted changes" : "") + ")";
    }

    private static void figures(StringBuilder h, GateRecord.Verdict v) {
        h.append("<div class=\"card\"><h2>Headline figures</h2>\n<p class=\"note\">Each dot is one pair's candidate against "
                + "its baseline (B/A, on a log scale: the two trials of a pair ran side by side); the bar is the interval of "
                + "the change at the figure's level, the diamond the change itself (geometric mean); the grey band is the "
                + "minimum effect, inside which no change fails the gate.</p>\n<div class=\"scroll\"><table class=\"figs\">"
                + "<tr><th>Stack</th><th>Workload</th><th>Figure</th><th class=\"num\">Baseline</th>"
                + "<th class=\"num\">Candidate</th><th>Pairs (B/A)</th><th class=\"num\">Change</th><th>Interval</th>"
                + "<th class=\"num\">Min effect</th><th>Verdict</th></tr>\n");
        for (GateRecord.FigureVerdict f : v.figures()) {
            h.append("<tr class=\"").append(cls(f.verdict())).append("\"><td>").append(esc(f.stack())).append("</td><td>")
                    .append(esc(f.workload() == null ? "" : f.workload())).append("</td><td>").append(esc(f.figure()))
                    .append("<div class=\"evidence\">").append(esc(f.unit())).append(", ")
                    .append(f.higherIsBetter() ? "higher" : "lower").append(" is better</div></td><td class=\"num\">")
                    .append(GateSummary.num(f.medianA())).append("</td><td class=\"num\">").append(GateSummary.num(f.medianB()))
                    .append("</td><td>").append(forest(f)).append("<div class=\"evidence\">").append(f.pairs())
                    .append(" valid pair(s)</div></td><td class=\"num\">")
                    .append(f.change() == null ? "" : GateSummary.signed(f.change())).append("</td><td>")
                    .append(f.low() == null ? "" : "[" + GateSummary.signed(f.low()) + ", " + GateSummary.signed(f.high()) + "]")
                    .append("</td><td class=\"num\">").append(GateSummary.pct(f.minEffect())).append("</td><td><span class=\"verdict\">")
                    .append(esc(f.verdict())).append("</span><span class=\"evidence\">").append(esc(f.why()))
                    .append("</span></td></tr>\n");
        }
        h.append("</table></div></div>\n");
    }

    /** One figure's pairs, interval, change and minimum-effect band on a symmetric log axis. */
    static String forest(GateRecord.FigureVerdict f) {
        List<Double> logs = new ArrayList<>();
        if (f.pairChanges() != null) {
            f.pairChanges().forEach(c -> logs.add(Math.log1p(c)));
        }
        double band = Math.log1p(f.minEffect());
        double span = band * 2;
        for (Double x : logs) {
            span = Math.max(span, Math.abs(x));
        }
        if (f.low() != null) {
            span = Math.max(span, Math.max(Math.abs(Math.log1p(f.low())), Math.abs(Math.log1p(f.high()))));
        }
        span = Math.min(MAX_SPAN, span * 1.1);
        double half = PLOT_WIDTH / 2.0 - 12;
        double mid = PLOT_WIDTH / 2.0;
        double lim = span;
        java.util.function.DoubleUnaryOperator x = l -> mid + Math.max(-lim, Math.min(lim, l)) / lim * half;
        StringBuilder s = new StringBuilder();
        s.append("<svg class=\"forest\" width=\"").append(PLOT_WIDTH).append("\" height=\"").append(PLOT_HEIGHT)
                .append("\" viewBox=\"0 0 ").append(PLOT_WIDTH).append(' ').append(PLOT_HEIGHT).append("\" role=\"img\"><title>")
                .append(esc(f.figure() + ": " + (f.pairChanges() == null ? "no pairs recorded" : "pairs " + changes(f.pairChanges()))))
                .append("</title>");
        s.append(rect(x.applyAsDouble(-band), 4, x.applyAsDouble(band) - x.applyAsDouble(-band), 24, "band"));
        s.append(line(mid, 2, mid, 30, "zero"));
        if (f.low() != null) {
            double lo = x.applyAsDouble(Math.log1p(f.low()));
            double hi = x.applyAsDouble(Math.log1p(f.high()));
            s.append(line(lo, 16, hi, 16, "ci")).append(line(lo, 11, lo, 21, "ci")).append(line(hi, 11, hi, 21, "ci"));
        }
        int i = 0;
        for (Double l : logs) {
            double y = 9 + (i++ % 3) * 7;
            s.append(String.format(Locale.ROOT, "<circle class=\"pair\" cx=\"%.1f\" cy=\"%.1f\" r=\"3.2\"/>", x.applyAsDouble(l), y));
        }
        if (f.change() != null) {
            double c = x.applyAsDouble(Math.log1p(f.change()));
            s.append(String.format(Locale.ROOT, "<path class=\"mean\" d=\"M%.1f 10 L%.1f 16 L%.1f 22 L%.1f 16 Z\"/>", c, c + 6, c, c - 6));
        }
        String worse = f.higherIsBetter() ? "left" : "right";
        s.append(text(4, 42, "start", GateSummary.signed(Math.exp(-span) - 1)))
                .append(text(mid, 42, "middle", "0  (" + worse + " is worse)"))
                .append(text(PLOT_WIDTH - 4, 42, "end", GateSummary.signed(Math.exp(span) - 1)));
        return s.append("</svg>").toString();
    }

    private static String changes(List<Double> xs) {
        return String.join(", ", xs.stream().map(GateSummary::signed).toList());
    }

    private static String rect(double x, double y, double w, double h, String cls) {
        return String.format(Locale.ROOT, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>", cls, x, y,
                Math.max(0, w), h);
    }

    private static String line(double x1, double y1, double x2, double y2, String cls) {
        return String.format(Locale.ROOT, "<line class=\"%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", cls, x1, y1, x2, y2);
    }

    private static String text(double x, double y, String anchor, String t) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>", x, y, anchor, esc(t));
    }

    private static void stack(StringBuilder h, GateRecord r, GateRecord.StackTrials st) {
        h.append("<div class=\"card\"><h2>").append(esc(st.stack())).append("</h2>\n<table class=\"kv\">");
        if (st.missing() != null) {
            kv(h, "missing", esc(st.missing()));
        }
        if (st.conformance() != null) {
            StringBuilder c = new StringBuilder();
            st.conformance().forEach((arm, check) -> c.append("arm ").append(esc(arm)).append(": <span class=\"badge ")
                    .append(check.passed() ? "VALID\">passed" : "INVALID\">FAILED").append("</span> ")
                    .append(check.tests() - check.failed()).append(" of ").append(check.tests())
                    .append(check.note() == null ? "" : " (" + esc(check.note()) + ")").append(" &nbsp; "));
            kv(h, "conformance", c.toString());
        }
        if (st.sharedRates() != null && !st.sharedRates().isEmpty()) {
            StringBuilder c = new StringBuilder();
            st.sharedRates().forEach((w, rate) -> c.append(esc(w)).append(": ").append(GateSummary.num(rate)).append("/s &nbsp; "));
            kv(h, "open step's shared rate", c + "<span class=\"evidence\">(" + GateSummary.pct(r.settings().rateFraction())
                    + " of the lead-in's best closed throughput, the same for both arms)</span>");
        }
        List<GateRecord.Calibration> held = GateSummary.calibrations(st);
        if (!held.isEmpty()) {
            StringBuilder c = new StringBuilder("arm B's servers hold a busy loop at " + GateSummary.pct(held.getFirst().share())
                    + " of their own CPU per call; held over each B trial's measured steps:");
            for (GateRecord.Calibration x : held) {
                c.append(" &nbsp;").append(x.held() == null ? "?" : String.format(Locale.ROOT, "%.1f%%", x.held() * 100))
                        .append(x.loopMicrosPerCall() == null ? "" : String.format(Locale.ROOT,
                                " <span class=\"evidence\">(%.1f µs per call)</span>", x.loopMicrosPerCall()));
            }
            kv(h, "calibration", c.toString());
        }
        if (st.order() != null && !st.order().isEmpty()) {
            kv(h, "order of the pairs' trials", "<code>" + esc(String.join("", st.order())) + "</code>");
        }
        h.append("</table>\n");
        if (st.trials() == null || st.trials().isEmpty()) {
            h.append("</div>\n");
            return;
        }
        h.append("<div class=\"scroll\"><table class=\"trials\"><tr><th>Trial</th><th>Arm</th><th class=\"num\">Ready</th>"
                + "<th class=\"num\">RSS</th><th>Workload</th><th>Warm-up (closed chunks, req/s)</th><th>Closed steps</th>"
                + "<th>Open steps</th><th>Log</th></tr>\n");
        for (GateRecord.Trial t : st.trials()) {
            int rows = Math.max(1, t.workloads() == null ? 0 : t.workloads().size());
            List<Map.Entry<String, GateRecord.Workload>> ws = t.workloads() == null ? List.of() : List.copyOf(t.workloads().entrySet());
            for (int i = 0; i < rows; i++) {
                h.append("<tr class=\"arm").append(esc(t.arm())).append(t.leadIn() ? " lead" : "")
                        .append(t.remeasured() != null ? " again" : "").append("\">");
                if (i == 0) {
                    String span = rows > 1 ? " rowspan=\"" + rows + "\"" : "";
                    h.append("<td").append(span).append(">").append(t.leadIn() ? "lead-in<div class=\"evidence\">not judged</div>"
                            : "pair " + (t.seq() / 2) + "<div class=\"evidence\">#" + t.seq() + "</div>").append("</td><td")
                            .append(span).append("><b>").append(esc(t.arm())).append("</b>");
                    if (t.failed()) {
                        h.append("<div><span class=\"badge INVALID\">").append(t.serverDied() ? "DIED" : "FAULT")
                                .append("</span> ").append(esc(t.fault() == null ? "" : t.fault())).append("</div>");
                    }
                    if (t.remeasured() != null) {
                        h.append("<div><span class=\"badge AGAIN\">MEASURED AGAIN</span> <span class=\"evidence\">not judged: ")
                                .append(esc(t.remeasured())).append("</span></div>");
                    }
                    h.append("</td><td class=\"num\"").append(span).append(">")
                            .append(t.readyMillis() == null ? "" : String.format(Locale.ROOT, "%.2f s", t.readyMillis() / 1000))
                            .append("</td><td class=\"num\"").append(span).append(">")
                            .append(t.rssBytes() == null ? "" : String.format(Locale.ROOT, "%.0f MiB", t.rssBytes() / 1048576.0))
                            .append("</td>");
                }
                if (ws.isEmpty()) {
                    h.append("<td></td><td></td><td></td><td></td>");
                } else {
                    Map.Entry<String, GateRecord.Workload> e = ws.get(i);
                    GateRecord.Workload w = e.getValue();
                    h.append("<td>").append(esc(e.getKey())).append("</td><td>").append(warmup(w)).append("</td><td>");
                    w.closed().forEach(s -> h.append(step(s, true)));
                    h.append("</td><td>");
                    w.open().forEach(s -> h.append(step(s, false)));
                    h.append("</td>");
                }
                if (i == 0) {
                    h.append("<td").append(rows > 1 ? " rowspan=\"" + rows + "\"" : "").append(">")
                            .append(t.log() == null ? "" : "<a href=\"" + esc(t.log()) + "\">server.log</a>").append("</td>");
                }
                h.append("</tr>\n");
            }
        }
        h.append("</table></div></div>\n");
    }

    private static void kv(StringBuilder h, String key, String html) {
        h.append("<tr><td>").append(esc(key)).append("</td><td>").append(html).append("</td></tr>");
    }

    private static String warmup(GateRecord.Workload w) {
        if (w.warmupThroughputs() == null || w.warmupThroughputs().isEmpty()) {
            return "";
        }
        List<Double> xs = w.warmupThroughputs();
        double max = xs.stream().mapToDouble(Double::doubleValue).max().orElse(1);
        int width = 120;
        int height = 22;
        StringBuilder pts = new StringBuilder();
        for (int i = 0; i < xs.size(); i++) {
            double px = xs.size() == 1 ? width / 2.0 : i * (width - 4.0) / (xs.size() - 1) + 2;
            double py = height - 2 - (max <= 0 ? 0 : xs.get(i) / max * (height - 4));
            pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
        }
        return String.format(Locale.ROOT, "<svg class=\"spark\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\"><title>%s</title>"
                        + "<polyline points=\"%s\"/></svg> <span class=\"evidence\">%s s%s, last %s/s</span>", width, height, width,
                height, esc(String.join(", ", xs.stream().map(GateSummary::num).toList())), pts.toString().trim(),
                w.warmupSeconds() == null ? "?" : GateSummary.num(w.warmupSeconds()),
                Boolean.FALSE.equals(w.warmed()) ? " (still moving at the cap)" : "", GateSummary.num(xs.getLast()));
    }

    private static String step(GateRecord.Step s, boolean closed) {
        StringBuilder b = new StringBuilder("<div class=\"step\"><span class=\"badge ").append(s.valid() ? "VALID" : "INVALID")
                .append("\"");
        if (!s.valid() && s.reasons() != null) {
            b.append(" title=\"").append(esc(String.join("; ", s.reasons()))).append("\"");
        }
        b.append(">").append(s.valid() ? "VALID" : "INVALID").append("</span> ");
        if (closed) {
            b.append(GateSummary.num(s.throughput())).append("/s");
            if (s.cpuMillisPerRequest() != null) {
                b.append(String.format(Locale.ROOT, " · %.1f µs CPU/req", s.cpuMillisPerRequest() * 1000));
            }
        } else {
            b.append("p99 ").append(s.p99Micros() == null ? "–" : GateSummary.num(s.p99Micros() / 1000) + " ms");
        }
        b.append(" <span class=\"evidence\">").append(String.format(Locale.ROOT, "%,d req", s.requests()));
        if (s.attempts() != null && s.attempts() > 1) {
            b.append(", <span title=\"").append(esc(s.earlierAttempts() == null ? "" : String.join("; ", s.earlierAttempts())))
                    .append("\">attempt ").append(s.attempts()).append("</span>");
        }
        if (s.errors() > 0) {
            b.append(", <b class=\"err\">").append(s.errors()).append(" errors</b>");
        }
        b.append("</span>");
        if (!s.valid() && s.reasons() != null && !s.reasons().isEmpty()) {
            b.append("<div class=\"reason\">").append(esc(s.reasons().getFirst())).append("</div>");
        }
        return b.append("</div>").toString();
    }

    private static void method(StringBuilder h, GateRecord r, GateRecord.Verdict v) {
        GateRecord.Settings s = r.settings();
        h.append("<div class=\"card\"><h2>How this was measured and judged</h2><ul class=\"rules\"><li>Both arms ran under the "
                + "candidate's harness, JVM flags (<code>").append(esc(s.serverJvm())).append("</code>), CPU sets (servers ")
                .append(esc(s.serverCpus())).append(", load client ").append(esc(s.loadCpus()))
                .append(") and load client; only the server jars differ.</li><li>Steps: ").append(esc(s.steps()))
                .append(".</li><li>Each figure: a t-test on the pairs' log-ratios B/A, analysed as the crossover the pairs are (the "
                        + "mean of the AB pairs' mean and the BA pairs' mean, so what favours the server started first in a pair "
                        + "cancels), a ")
                .append(GateSummary.pct(s.familyAlpha())).append(" false-positive rate across all ").append(v.figures().size())
                .append(" figures together (Holm's step-down: the figure most likely worse tested at that rate over the number of "
                        + "figures, each next one, while the one before was found worse, at a share one larger; each interval "
                        + "is drawn at the level its figure was tested at), and a change must also pass the figure's minimum "
                        + "effect; fewer than ")
                .append(s.minPairs()).append(" valid pairs give a figure no verdict.</li><li>Baseline and candidate columns "
                        + "are the medians of the valid pairs' trials, each side on its own; the change is paired, so the two "
                        + "can disagree when the machine's speed moved between pairs.</li></ul><p class=\"note\">Files: "
                        + "<a href=\"gate.json\">gate.json</a> (every trial and step), <a href=\"gate.md\">gate.md</a> (the job "
                        + "summary), each trial's server log and the load client's histograms under <code>A/</code> and "
                        + "<code>B/</code>.</p></div>\n");
    }

    private static String cls(String verdictOrStatus) {
        return switch (verdictOrStatus) {
            case GateVerdict.PASS, "no change" -> "ok";
            case GateVerdict.FAIL, "regression" -> "bad";
            case "improvement" -> "good";
            default -> "warn";
        };
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static final String CSS = """
            :root { --bg: #f6f7f9; --card: #fff; --ink: #1d2330; --muted: #5d6675; --line: #e3e6eb;
                    --valid: #1a7f4b; --valid-bg: #e3f4ea; --invalid: #b3261e; --invalid-bg: #fbe7e6; --accent: #2f5fd0;
                    --warn: #8a5a00; --warn-bg: #fdf1d8; }
            * { box-sizing: border-box; }
            body { margin: 0; background: var(--bg); color: var(--ink);
                   font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; }
            header { background: #17213a; color: #fff; padding: 22px 32px 18px; }
            header h1 { margin: 0 0 4px; font-size: 22px; font-weight: 650; }
            header .sub { color: #b9c3d8; font-size: 13px; }
            header code { background: rgba(255,255,255,.12); color: #fff; }
            .chips { margin-top: 12px; display: flex; flex-wrap: wrap; gap: 8px; }
            .chip { padding: 3px 10px; border-radius: 999px; font-size: 12.5px; font-weight: 600; background: rgba(255,255,255,.1); }
            .chip.calib { background: #8a5a00; }
            .status { padding: 1px 10px; border-radius: 6px; }
            .status.ok { background: var(--valid); } .status.bad { background: var(--invalid); } .status.warn { background: #b07400; }
            main { max-width: 1440px; margin: 0 auto; padding: 20px 24px 48px; display: grid; gap: 16px; }
            h2 { font-size: 17px; margin: 0 0 8px; } h3 { font-size: 15px; margin: 0 0 6px; }
            .card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 16px 18px; min-width: 0; }
            .problems { border-left: 6px solid var(--invalid); background: var(--invalid-bg); color: var(--invalid); }
            .note { color: var(--muted); font-size: 12.5px; margin: 4px 0 10px; }
            .evidence { color: var(--muted); font-size: 12px; display: block; }
            table { border-collapse: collapse; width: 100%; font-size: 13px; }
            th, td { text-align: left; vertical-align: top; padding: 7px 9px; border-bottom: 1px solid var(--line); }
            th { font-weight: 650; color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .4px; }
            td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
            .scroll { overflow-x: auto; }
            .verdict { font-weight: 700; display: block; }
            tr.bad .verdict { color: var(--invalid); } tr.good .verdict { color: var(--valid); } tr.warn .verdict { color: var(--warn); }
            tr.bad td { background: #fdf3f2; }
            .badge { display: inline-block; padding: 1px 6px; border-radius: 5px; font-size: 11px; font-weight: 700; letter-spacing: .3px; }
            .VALID { color: var(--valid); background: var(--valid-bg); } .INVALID { color: var(--invalid); background: var(--invalid-bg); }
            .step { white-space: nowrap; margin: 1px 0; } .reason { color: var(--invalid); font-size: 11.5px; white-space: normal; max-width: 420px; }
            .err { color: var(--invalid); }
            tr.armA td:nth-child(2) b { color: #2f5fd0; } tr.armB td:nth-child(2) b { color: #b3261e; }
            tr.lead td { background: #f3f4f7; }
            .AGAIN { color: var(--warn); background: var(--warn-bg); } tr.again td { opacity: .6; }
            .kv td:first-child { color: var(--muted); white-space: nowrap; width: 1%; }
            .kv td { border: 0; padding: 3px 9px; }
            ul.rules { margin: 6px 0 0; padding-left: 18px; color: var(--muted); font-size: 12.5px; }
            a { color: var(--accent); text-decoration: none; } a:hover { text-decoration: underline; }
            code { font-size: 12px; background: #eef1f5; padding: 1px 4px; border-radius: 4px; }
            svg.forest .band { fill: #e8eaef; } svg.forest .zero { stroke: #8a93a3; stroke-width: 1; }
            svg.forest .ci { stroke: #1d2330; stroke-width: 2; } svg.forest .pair { fill: #2f5fd0; fill-opacity: .75; }
            svg.forest .mean { fill: #1d2330; } svg.forest text { font-size: 10px; fill: #5d6675; }
            tr.bad svg.forest .mean, tr.bad svg.forest .ci { fill: #b3261e; stroke: #b3261e; }
            svg.spark polyline { fill: none; stroke: #2f5fd0; stroke-width: 1.5; } svg.spark { vertical-align: middle; }
            """;
}
