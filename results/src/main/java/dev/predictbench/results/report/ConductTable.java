package dev.predictbench.results.report;

import dev.predictbench.results.RunRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How the run was conducted ({@code conduct} in the record), for the report and {@code comparison.md}:
 * whether it finished (a banner when not), the stack order of each round, the control measured
 * again at the end and how far it drifted, where the time went (per stack and phase group, plus the
 * run's own phases) and the step budget the profile was sized by. Records made before the run's
 * conduct was recorded have none of it: {@link #of} is null and the sections are left out.
 */
public final class ConductTable {
    /** Phase groups in column order before the scenarios; {@code other} comes last. */
    static final List<String> LEADING = List.of("start", "conformance", "probes", "warm-up");
    /** Scenarios in the order the runner measures them; others follow in the order they appear. */
    static final List<String> SCENARIOS = List.of("sweep", "rate", "slo", "overload");
    static final String OTHER = "other";

    private ConductTable() {
    }

    /**
     * The run's conduct as the report shows it.
     *
     * @param complete   the run finished every stack it was asked for
     * @param incomplete why it stopped (null when complete)
     * @param rounds     each round's stack order and scenarios
     * @param control    the control stack, its status and reasons, and per workload its drift (null when none)
     * @param timing     where the time went (null when the record has no timing)
     * @param budget     the step-budget arithmetic, one line per term
     * @param limits     the open-file limits the run used (null when not recorded)
     */
    public record View(boolean complete, String incomplete, List<RunRecord.Round> rounds, Control control, Timing timing,
                       List<String> budget, RunRecord.Limits limits) {
    }

    /** The control: the stack measured again at the end, and per workload its first and last figure and the drift. */
    public record Control(String stack, String status, List<String> reasons, List<DriftRow> workloads) {
    }

    public record DriftRow(String workload, String figure, Double first, Double last, Double drift) {
    }

    /**
     * Seconds per stack (rows; the control's measurement is a row of its own) and phase group
     * (columns), with totals; the run's own phases (no stack) beside them.
     *
     * @param columns    the phase groups present, in order: start, conformance, probes, warm-up, each scenario, other
     * @param rows       one per stack (its rounds added up), then the control's
     * @param total      the column sums over the stacks
     * @param run        phases of the whole run (the load client's warm-up, the report...)
     * @param allSeconds every phase added up
     */
    public record Timing(List<String> columns, List<TimingRow> rows, TimingRow total, List<RunPhase> run, double allSeconds) {
    }

    /**
     * @param label   the stack, or {@code <stack> (control)}
     * @param rounds  the rounds added up in this row
     * @param seconds per column
     * @param total   the row's sum
     */
    public record TimingRow(String label, List<Integer> rounds, Map<String, Double> seconds, double total) {
    }

    public record RunPhase(String phase, double seconds) {
    }

    /** The view, or null for a record without {@code conduct}. */
    public static View of(RunRecord run) {
        RunRecord.Conduct c = run.conduct();
        if (c == null) {
            return null;
        }
        Control control = null;
        if (c.control() != null) {
            List<DriftRow> rows = new ArrayList<>();
            if (c.control().workloads() != null) {
                for (String w : orderedWorkloads(run, c.control().workloads().keySet())) {
                    RunRecord.Drift d = c.control().workloads().get(w);
                    rows.add(new DriftRow(w, d.figure(), d.first(), d.last(), d.drift()));
                }
            }
            control = new Control(c.control().stack(), c.control().status() == null ? null : c.control().status().name(),
                    c.control().reasons() == null ? List.of() : c.control().reasons(), rows);
        }
        return new View(c.complete(), c.incomplete(), c.rounds() == null ? List.of() : c.rounds(), control,
                timing(run, c.timing()), c.budget() == null ? List.of() : c.budget(), c.limits());
    }

    /** The banner of an incomplete run, or null when the run finished (or says nothing about it). */
    public static String banner(RunRecord run) {
        if (run.complete()) {
            return null;
        }
        String reason = run.conduct().incomplete();
        return "Incomplete run: " + (reason == null || reason.isBlank() ? "the record does not say why it stopped" : reason)
                + ". Stacks and scenarios it did not reach are missing, and the comparison with other runs refuses it "
                + "unless forced.";
    }

    /** Which group a phase's seconds count towards, given the run's workload names. */
    static String group(String phase, Set<String> workloads) {
        if (phase == null) {
            return OTHER;
        }
        if (LEADING.contains(phase)) {
            return phase;
        }
        if (phase.endsWith("warm-up")) {
            return "warm-up";
        }
        int space = phase.indexOf(' ');
        if (space > 0 && workloads.contains(phase.substring(0, space))) {
            String scenario = phase.substring(space + 1).trim();
            // A workload's sequential probe is a probe, not a scenario.
            return scenario.equals("probe") || scenario.equals("probes") ? "probes"
                    : scenario.isEmpty() || scenario.contains(" ") ? OTHER : scenario;
        }
        return SCENARIOS.contains(phase) ? phase : OTHER;
    }

    static Timing timing(RunRecord run, List<RunRecord.Phase> phases) {
        if (phases == null || phases.isEmpty()) {
            return null;
        }
        Set<String> workloads = new LinkedHashSet<>(Report.workloadNames(run));
        if (run.settings() != null && run.settings().workloads() != null) {
            workloads.addAll(run.settings().workloads());
        }
        Set<String> seen = new LinkedHashSet<>();
        Map<String, Map<String, Double>> byRow = new LinkedHashMap<>();
        Map<String, Set<Integer>> rounds = new LinkedHashMap<>();
        List<RunPhase> runPhases = new ArrayList<>();
        double all = 0;
        for (RunRecord.Phase p : phases) {
            all += p.seconds();
            if (p.stack() == null) {
                runPhases.add(new RunPhase(p.phase(), p.seconds()));
                continue;
            }
            String label = Integer.valueOf(0).equals(p.round()) ? p.stack() + " (control)" : p.stack();
            String group = group(p.phase(), workloads);
            seen.add(group);
            byRow.computeIfAbsent(label, k -> new LinkedHashMap<>()).merge(group, p.seconds(), Double::sum);
            if (p.round() != null) {
                rounds.computeIfAbsent(label, k -> new LinkedHashSet<>()).add(p.round());
            }
        }
        List<String> columns = new ArrayList<>();
        LEADING.stream().filter(seen::contains).forEach(columns::add);
        SCENARIOS.stream().filter(seen::contains).forEach(columns::add);
        seen.stream().filter(g -> !columns.contains(g) && !g.equals(OTHER)).forEach(columns::add);
        if (seen.contains(OTHER)) {
            columns.add(OTHER);
        }
        // The stacks in the order they were measured, their control rows after them.
        List<String> labels = new ArrayList<>(byRow.keySet().stream().filter(l -> !l.endsWith(" (control)")).toList());
        labels.addAll(byRow.keySet().stream().filter(l -> l.endsWith(" (control)")).toList());
        List<TimingRow> rows = new ArrayList<>();
        Map<String, Double> totals = new LinkedHashMap<>();
        for (String label : labels) {
            Map<String, Double> seconds = new LinkedHashMap<>();
            double sum = 0;
            for (String col : columns) {
                Double v = byRow.get(label).get(col);
                if (v != null) {
                    seconds.put(col, v);
                    sum += v;
                    totals.merge(col, v, Double::sum);
                }
            }
            rows.add(new TimingRow(label, rounds.getOrDefault(label, Set.of()).stream().sorted().toList(), seconds, sum));
        }
        double stacksTotal = totals.values().stream().mapToDouble(Double::doubleValue).sum();
        return new Timing(columns, rows, new TimingRow("all stacks", List.of(), totals, stacksTotal), runPhases, all);
    }

    private static List<String> orderedWorkloads(RunRecord run, Set<String> names) {
        List<String> out = new ArrayList<>(Report.workloadNames(run).stream().filter(names::contains).toList());
        names.stream().filter(n -> !out.contains(n)).sorted().forEach(out::add);
        return out;
    }

    /** The "Run conduct" section of comparison.md, or an empty string for a record without conduct. */
    static String markdown(RunRecord run) {
        View v = of(run);
        if (v == null) {
            return "";
        }
        StringBuilder md = new StringBuilder("\n## Run conduct\n\n");
        md.append(v.complete() ? "The run finished every stack it was asked for.\n"
                : "**" + banner(run) + "**\n");
        if (!v.rounds().isEmpty()) {
            md.append("\n### Rounds\n\nEach round measures every stack once, each with a fresh server JVM, in the order below "
                    + "(rotated so no stack is always first); a step's figure is the median of its valid rounds. The control "
                    + "measures the first stack once more at the end.\n\n");
            md.append("| round | order | scenarios |\n| ---: | --- | --- |\n");
            for (RunRecord.Round r : v.rounds()) {
                md.append("| ").append(r.round() == 0 ? "control" : String.valueOf(r.round())).append(" | ")
                        .append(String.join(" -> ", orEmpty(r.order())))
                        .append(" | ").append(String.join(", ", orEmpty(r.scenarios()))).append(" |\n");
            }
        }
        md.append("\n### Control\n\n");
        if (v.control() == null) {
            md.append("No stack was measured again at the end: there is no drift to tell differences between stacks from "
                    + "the machine's, and the comparison table ranks them without one.\n");
        } else {
            md.append("The first stack of round one, **").append(v.control().stack()).append("**, measured again after every "
                    + "other stack with a fresh JVM (").append(v.control().status())
                    .append(v.control().reasons().isEmpty() ? "" : ": " + String.join("; ", v.control().reasons()))
                    .append("). Its drift, |last - first| / first, is how far the machine alone moved the figure over the run; "
                            + "differences between stacks up to it are not significant.\n\n");
            md.append("| workload | figure | first | last | drift |\n| --- | --- | ---: | ---: | ---: |\n");
            for (DriftRow d : v.control().workloads()) {
                md.append("| ").append(d.workload()).append(" | ").append(ComparisonTable.escape(d.figure())).append(" | ")
                        .append(ComparisonTable.num(d.first())).append(" | ").append(ComparisonTable.num(d.last())).append(" | ")
                        .append(ComparisonTable.pct1(d.drift())).append(" |\n");
            }
        }
        Timing t = v.timing();
        if (t != null) {
            md.append("\n### Where the time went\n\nSeconds per stack (its rounds added up; the control's measurement on a row of "
                    + "its own) and phase: start-up, conformance, probes, warm-up, each scenario (all workloads), the rest "
                    + "(stopping the server...).\n\n");
            md.append("| stack | ").append(String.join(" | ", t.columns())).append(" | total |\n");
            md.append("| --- |").append(" ---: |".repeat(t.columns().size() + 1)).append("\n");
            for (TimingRow r : t.rows()) {
                boolean control = r.label().endsWith(" (control)");
                timingRow(md, r.label() + (control || r.rounds().isEmpty() ? ""
                        : " (round" + (r.rounds().size() > 1 ? "s " : " ") + joinInts(r.rounds()) + ")"), r, t.columns());
            }
            timingRow(md, "**all stacks**", t.total(), t.columns());
            if (!t.run().isEmpty()) {
                md.append("\nThe run's own phases: ");
                List<String> parts = new ArrayList<>();
                t.run().forEach(p -> parts.add(p.phase() + " " + seconds(p.seconds())));
                md.append(String.join(", ", parts)).append(".");
            }
            md.append(" Altogether ").append(seconds(t.allSeconds())).append(" (").append(minutes(t.allSeconds())).append(").\n");
        }
        if (!v.budget().isEmpty()) {
            md.append("\n### Step budget\n\n");
            v.budget().forEach(b -> md.append("- ").append(b).append("\n"));
        }
        if (v.limits() != null) {
            RunRecord.Limits l = v.limits();
            md.append("\nOpen files: soft limit ").append(count(l.openFilesSoft())).append(", hard ").append(count(l.openFilesHard()))
                    .append(", used ").append(count(l.openFilesUsed())).append(l.note() == null ? "" : " (" + l.note() + ")").append(".\n");
        }
        return md.toString();
    }

    private static void timingRow(StringBuilder md, String label, TimingRow r, List<String> columns) {
        md.append("| ").append(label).append(" |");
        for (String c : columns) {
            Double v = r.seconds().get(c);
            md.append(" ").append(v == null ? "-" : String.format(Locale.ROOT, "%.1f", v)).append(" |");
        }
        md.append(" ").append(String.format(Locale.ROOT, "%.1f", r.total())).append(" |\n");
    }

    private static List<String> orEmpty(List<String> l) {
        return l == null ? List.of() : l;
    }

    private static String joinInts(List<Integer> ints) {
        return String.join(", ", ints.stream().map(String::valueOf).toList());
    }

    static String seconds(double s) {
        return String.format(Locale.ROOT, "%.1f s", s);
    }

    static String minutes(double s) {
        return String.format(Locale.ROOT, "%.1f min", s / 60);
    }

    private static String count(Long v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%,d", v);
    }
}
