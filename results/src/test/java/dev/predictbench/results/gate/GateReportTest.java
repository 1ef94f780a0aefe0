package dev.predictbench.results.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class GateReportTest {
    private static int count(String html, String needle) {
        int n = 0;
        for (int i = html.indexOf(needle); i >= 0; i = html.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void thePageShowsTheVerdictEveryFigureWithItsPairsAndEveryTrialWithItsInvalidSteps() {
        GateRecord r = GateVerdictTest.fixture(11, 5, 0.04, GateVerdictTest.Effect.cpuSlowdown(0.25),
                t -> t.arm().equals("B") && t.seq() == 3 ? GateVerdictTest.withOpen(t, 2, false) : t);
        GateRecord judged = r.withVerdict(GateVerdict.judge(r));
        String html = GateReport.html(judged);

        assertTrue(html.startsWith("<!doctype html>"));
        assertTrue(html.contains("predict-bench gate: <span class=\"status bad\">FAIL</span>"), html);
        // One plot per figure, one dot per valid pair of each.
        List<GateRecord.FigureVerdict> figures = judged.verdict().figures();
        assertEquals(figures.size(), count(html, "<svg class=\"forest\""));
        assertEquals(figures.stream().mapToInt(GateRecord.FigureVerdict::pairs).sum(), count(html, "<circle class=\"pair\""));
        assertTrue(html.contains("<span class=\"verdict\">regression</span>"));
        // The fault and the invalid step with its reason; both stacks' trials, the lead-in marked.
        assertTrue(html.contains("none in the baseline"), "the errors fault");
        assertTrue(html.contains("<div class=\"reason\">windows disagree</div>"));
        assertEquals(2 * 11, count(html, "<tr class=\"arm"), "a lead-in and 10 trials per stack");
        assertEquals(2, count(html, "lead-in<div class=\"evidence\">not judged</div>"));
        assertTrue(html.contains("<a href=\"B/3/server.log\">server.log</a>"));
        // Balanced rows and cells: a person's browser and a test both read it the same way.
        assertEquals(count(html, "<tr"), count(html, "</tr>"));
        assertEquals(count(html, "<td"), count(html, "</td>"));
        assertEquals(count(html, "<svg"), count(html, "</svg>"));
        assertFalse(html.contains("<script"), "no script: it opens from an artifact with no network");
    }

    @Test
    void textFromTheRunIsEscapedAndAChangeBeyondTheAxisStaysOnThePlot() {
        GateRecord.FigureVerdict f = new GateRecord.FigureVerdict("javalin", "tabular", "p99 at <1000>/s", "ms", false, 3, 10.0,
                90.0, 8.0, 2.0, 20.0, 0.1, 0.002, "regression", "a \"why\" & <more>", List.of(8.0, 9.5, -0.2), null);
        String svg = GateReport.forest(f);
        assertTrue(svg.contains("p99 at &lt;1000&gt;/s"), svg);
        Matcher m = Pattern.compile("cx=\"([0-9.]+)\"").matcher(svg);
        int dots = 0;
        while (m.find()) {
            double x = Double.parseDouble(m.group(1));
            assertTrue(x >= 0 && x <= 420, "dot at " + x + " is off the plot");
            dots++;
        }
        assertEquals(3, dots);
        assertEquals("&lt;b&gt; &amp; &quot;q&quot; &#39;s&#39;", GateReport.esc("<b> & \"q\" 's'"));
    }

    @Test
    void aCalibrationRunShowsTheShareEachCandidateTrialHeld() {
        GateRecord r = GateVerdictTest.fixture(11, 5, 0.04, GateVerdictTest.Effect.cpuSlowdown(0.25),
                t -> t.arm().equals("B") ? new GateRecord.Trial(t.seq(), t.arm(), t.leadIn(), t.readyMillis(), t.rssBytes(), t.fault(),
                        t.serverDied(), t.workloads(), t.log(), new GateRecord.Calibration(0.25, 0.2 + t.seq() / 1000.0, 15.5, 90_000L), null)
                        : t);
        GateRecord.Settings s = r.settings();
        GateRecord.Settings calibrated = new GateRecord.Settings(s.pairs(), s.blocks(), s.orderSeed(), s.stacks(), s.workloads(),
                s.concurrency(), s.rateFraction(), 0.25, s.familyAlpha(), s.minEffects(), s.minPairs(), s.steps(), s.serverJvm(),
                s.serverCpus(), s.loadCpus(), s.closedRetries(), s.openBlocks(), s.remeasures());
        GateRecord run = new GateRecord(r.schemaVersion(), r.id(), r.startedAt(), r.finishedAt(), r.complete(), r.incomplete(),
                r.baseline(), r.candidate(), calibrated, r.stacks(), null);
        GateRecord judged = run.withVerdict(GateVerdict.judge(run));
        String html = GateReport.html(judged);
        assertTrue(html.contains("calibration: arm B +25% of its own server CPU per call"), html);
        // Five B trials per stack (#3 #4 #7 #8 #11 in the fixture's order), each with the share its loop held.
        assertTrue(html.contains("held over each B trial's measured steps:"), html);
        assertEquals(2 * 5, count(html, "(15.5 µs per call)"));
        String md = GateSummary.markdown(judged);
        // The median of each stack's five held shares.
        assertTrue(md.contains("javalin held 20.7% (median of 5 trials)"), md);
        assertTrue(md.contains("spring-boot held 20.7% (median of 5 trials)"), md);
    }
}
