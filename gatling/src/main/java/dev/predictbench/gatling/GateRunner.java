package dev.predictbench.gatling;

import com.fasterxml.jackson.databind.JsonNode;
import dev.predictbench.contract.Contract;
import dev.predictbench.contract.Stacks;
import dev.predictbench.contract.kit.HttpProbe;
import dev.predictbench.contract.launch.JvmSettings;
import dev.predictbench.contract.launch.ServerProcess;
import dev.predictbench.gatling.load.LoadProcess;
import dev.predictbench.gatling.load.StepOutcome;
import dev.predictbench.gatling.load.StepPlan;
import dev.predictbench.model.CalibrationWork;
import dev.predictbench.results.RunRecord;
import dev.predictbench.results.RunRecords;
import dev.predictbench.results.gate.GateRecord;
import dev.predictbench.results.gate.GateReport;
import dev.predictbench.results.gate.GateSummary;
import dev.predictbench.results.gate.GateVerdict;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The A/B regression gate behind {@code ./mvnw -Pgate verify}: the baseline commit
 * ({@code -Dgate.baseline}, {@code main} by default) is checked out in a git work tree under
 * {@code target/gate/} and its servers built there; the candidate is this checkout as the reactor
 * just built it. Both arms are driven by this (the candidate's) harness with the same JVM flags,
 * CPU sets and load client; only the server jars differ. Per stack: the conformance kit against
 * each arm, a lead-in trial of arm A (not judged: it sizes the open step's one absolute rate for
 * both arms and, when calibrating, arm B's extra CPU), then {@code gate.pairs} pairs in ABBA order
 * (or BAAB, from the order seed), each trial a fresh server JVM with its own JIT warm-up. The
 * trials go to {@code results/gates/<id>/gate.json}, the verdict ({@link GateVerdict}) to it and to
 * {@code gate.md} (also appended to {@code $GITHUB_STEP_SUMMARY} when set).
 * <p>
 * Exit status: 0 PASS, 1 FAIL (a regression or a fault), 2 bad settings or a baseline that cannot
 * be checked out or built, 3 NO VERDICT (too few valid pairs for some figure; 0 with
 * {@code -Dgate.failOnNoVerdict=false}).
 */
public final class GateRunner {
    private final BenchSettings settings;
    private final GateSettings gate;
    private final JvmSettings jvm;
    private final Progress progress;
    private final LoadRunner load;
    private final Path gateDir;
    private final java.util.Set<ServerProcess> live = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    GateRunner(BenchSettings settings, GateSettings gate, JvmSettings jvm, Progress progress, LoadRunner load, Path gateDir) {
        this.settings = settings;
        this.gate = gate;
        this.jvm = jvm;
        this.progress = progress;
        this.load = load;
        this.gateDir = gateDir;
    }

    /** One arm: where its server jars are. */
    record Arm(String name, Path root, GateRecord.Arm record) {
    }

    public static void main(String[] args) {
        BenchSettings settings;
        GateSettings gate;
        try {
            settings = BenchSettings.fromSystemProperties();
            gate = GateSettings.fromSystemProperties();
        } catch (IllegalArgumentException e) {
            System.err.println("predict-bench gate: " + e.getMessage());
            System.exit(2);
            return;
        }
        Path root = Stacks.repoRoot();
        Instant started = Instant.now();
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(started);
        String candidateCommit = git(root, "rev-parse", "HEAD");
        String id = stamp + "-" + (candidateCommit == null ? "nogit" : candidateCommit.substring(0, 12));
        Path gateDir = root.resolve("results").resolve("gates").resolve(id);
        try {
            Files.createDirectories(gateDir);
        } catch (IOException e) {
            System.err.println("predict-bench gate: cannot create " + gateDir + ": " + e.getMessage());
            System.exit(2);
            return;
        }
        System.out.printf("predict-bench gate: %s; stacks %s, workloads %s%n", gate.describe(),
                settings.stacks().stream().map(Stacks::id).toList(), settings.workloads().stream().map(Workload::id).toList());
        Arm a;
        try {
            a = baseline(root, gate, settings.stacks(), gateDir);
        } catch (IllegalStateException e) {
            System.err.println("predict-bench gate: " + e.getMessage());
            try {
                // Nothing was measured: no folder is left behind unless the baseline's build log is in it.
                Files.deleteIfExists(gateDir);
            } catch (IOException ignored) {
                // Not empty: it holds the build log the message points at.
            }
            System.exit(2);
            return;
        }
        String status = git(root, "status", "--porcelain", "--untracked-files=no");
        Arm b = new Arm("B", root, new GateRecord.Arm("B", "working tree", candidateCommit, status != null && !status.isBlank(),
                root.toString(), "this checkout, as the reactor running the gate built it"));
        boolean pinned = BenchRunner.CpuSets.pinSelf(settings.loadCpus());
        JvmSettings jvm = JvmSettings.defaults();
        if (pinned) {
            jvm = jvm.pinnedTo(settings.serverCpus());
        }
        System.out.printf("servers on CPUs %s, load generator on CPUs %s%s; server JVM flags %s (both arms)%n",
                settings.serverCpus(), settings.loadCpus(), pinned ? "" : " (NOT pinned)", jvm.flags());
        Limits.ensure(settings);
        int units = settings.stacks().size() * (gate.pairs() + 1);
        Progress progress = new Progress(units, 120);
        int exit;
        try (LoadProcess client = new LoadProcess(List.of(), true)) {
            exit = new GateRunner(settings, gate, jvm, progress, client::execute, gateDir).run(id, started, a, b);
        }
        System.exit(exit);
    }

    /** Measures every stack, writes the record and the summary, and returns the exit status. */
    int run(String id, Instant started, Arm a, Arm b) {
        List<GateRecord.StackTrials> stacks = new ArrayList<>();
        // Whoever gets here first writes the record: the runner at its end, or the hook on a signal.
        boolean[] written = {false};
        Thread hook = new Thread(() -> {
            stopping = true;
            stopLive();
            synchronized (stacks) {
                if (!written[0]) {
                    written[0] = true;
                    write(record(id, started, a, b, List.copyOf(stacks), "stopped by a signal"));
                }
            }
        }, "gate-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        String failure = null;
        try {
            for (Stacks stack : settings.stacks()) {
                GateRecord.StackTrials st = stack(stack, a, b);
                synchronized (stacks) {
                    stacks.add(st);
                }
            }
        } catch (RuntimeException | Error e) {
            failure = "the gate runner stopped: " + e;
            e.printStackTrace();
            stopLive();
        }
        GateRecord record;
        synchronized (stacks) {
            if (written[0]) {
                return 1;
            }
            written[0] = true;
            record = record(id, started, a, b, List.copyOf(stacks), failure);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // Already shutting down.
        }
        write(record);
        GateRecord.Verdict v = record.verdict();
        GateSummary.lines(v).forEach(System.out::println);
        System.out.println("predict-bench gate: " + v.status() + "; the summary: " + gateDir.resolve("gate.md"));
        return switch (v.status()) {
            case GateVerdict.PASS -> 0;
            case GateVerdict.FAIL -> 1;
            default -> gate.failOnNoVerdict() ? 3 : 0;
        };
    }

    private GateRecord record(String id, Instant started, Arm a, Arm b, List<GateRecord.StackTrials> stacks, String incomplete) {
        GateRecord.Settings s = new GateRecord.Settings(gate.pairs(), gate.blocks(), gate.orderSeed(),
                settings.stacks().stream().map(Stacks::id).toList(), settings.workloads().stream().map(Workload::id).toList(),
                closedConcurrency(), settings.rateFractions().getFirst(), gate.slowdown(), gate.familyAlpha(), gate.minEffects(),
                gate.minPairs(), steps(), String.join(" ", jvm.flags()), settings.serverCpus(), settings.loadCpus(),
                gate.closedRetries(), gate.openBlocks(), gate.remeasures());
        GateRecord r = new GateRecord(GateRecord.SCHEMA_VERSION, id, started.toString(), Instant.now().toString(),
                incomplete == null, incomplete, a.record(), b.record(), s, stacks, null);
        return r.withVerdict(GateVerdict.judge(r));
    }

    private String steps() {
        return String.format(Locale.ROOT, "each pair's two servers up side by side; per workload their warm-ups in turns (rounds of "
                        + "a %s s chunk with %d and one with %d in flight, %s to %s s, until the closed chunk's throughput moves by "
                        + "less than %s twice in a row and the JIT compiles fewer than %d methods per round), then %d closed step(s) per arm in "
                        + "ABBA order (a %s s settle, %d windows of %s s at %d in flight; server CPU from every thread's schedstat "
                        + "over the step; an INVALID step without errors measured again up to %d time(s); a pair's change is the median over "
                        + "these blocks of B's step against A's neighbouring one) and %d open step(s) per arm likewise (Poisson arrivals at %s of the lead-in's closed throughput, the best of its "
                        + "%d closed steps after a warm-up of up to %s s, over %d "
                        + "connections, a %s s settle, windows of %s s until the last %d agree within %s, at most %d; late sends "
                        + "measured again up to %d time(s)); a trial's figure is the median of its valid steps",
                settings.warmupChunkSeconds(), settings.warmupConcurrency(), closedConcurrency(), settings.warmupSeconds(),
                settings.warmupCapSeconds(), LoadSteps.pct(settings.tolerance() / 2), settings.jitSettledBelow(), gate.blocks(),
                settings.settleSeconds(), settings.windows(), settings.windowSeconds(), closedConcurrency(), gate.closedRetries(),
                gate.openBlocks(), settings.rateFractions().getFirst(), LEAD_IN_STEPS, LEAD_IN_WARMUP_CAP_FACTOR * settings.warmupCapSeconds(),
                settings.connections(), settings.settleSeconds(), settings.windowSeconds(),
                settings.windows(), LoadSteps.pct(settings.tolerance()), settings.maxWindows(), settings.lateRetries());
    }

    private int closedConcurrency() {
        return settings.concurrency().getFirst();
    }

    private void write(GateRecord record) {
        try {
            RunRecords.writeAtomically(gateDir.resolve("gate.json"), RunRecords.mapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsString(record));
            String md = GateSummary.markdown(record);
            RunRecords.writeAtomically(gateDir.resolve("gate.md"), md);
            RunRecords.writeAtomically(gateDir.resolve("gate.html"), GateReport.html(record));
            String summary = System.getenv("GITHUB_STEP_SUMMARY");
            if (summary != null && !summary.isBlank()) {
                Files.writeString(Path.of(summary), md + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            }
            System.out.println(md);
            System.out.println("Gate record: " + gateDir.resolve("gate.json") + "; the report: " + gateDir.resolve("gate.html"));
        } catch (IOException e) {
            System.err.println("predict-bench gate: could not write the gate record: " + e.getMessage());
        }
    }

    /** One stack: conformance per arm, the lead-in, then the pairs. */
    private GateRecord.StackTrials stack(Stacks stack, Arm a, Arm b) {
        if (!Files.isRegularFile(stack.artifact(b.root()))) {
            return new GateRecord.StackTrials(stack.id(), List.of(), Map.of(), null, List.of(),
                    stack.artifact() + " was not built in the candidate");
        }
        boolean inBaseline = Files.isRegularFile(stack.artifact(a.root()));
        Map<String, GateRecord.Check> conformance = new LinkedHashMap<>();
        for (Arm arm : inBaseline ? List.of(a, b) : List.of(b)) {
            conformance.put(arm.name(), conformance(stack, arm));
        }
        if (!inBaseline) {
            progress.say(stack.id() + ": not in the baseline's build: conformance only, nothing to compare");
            return new GateRecord.StackTrials(stack.id(), List.of(), Map.of(), conformance, List.of(), null);
        }
        List<GateRecord.Trial> trials = new ArrayList<>();
        progress.nextStack(stack.id() + ": lead-in trial (arm A, not judged)");
        GateRecord.Trial leadIn = trials(stack, List.of(a), List.of(1), true, Map.of(), Map.of()).getFirst();
        trials.add(leadIn);
        Map<String, Double> rates = new LinkedHashMap<>();
        for (Map.Entry<String, GateRecord.Workload> e : leadIn.workloads().entrySet()) {
            LeadInSize size = LeadInSize.of(e.getValue().closed());
            if (size != null && !size.fromValidSteps()) {
                progress.say(stack.id() + " " + e.getKey() + ": no closed step of the lead-in was valid: the shared rate is "
                        + "sized off its best invalid one");
            }
            if (size != null) {
                rates.put(e.getKey(), (double) Math.max(1, Math.round(settings.rateFractions().getFirst() * size.throughput())));
            }
        }
        if (rates.size() < settings.workloads().size()) {
            progress.say(stack.id() + ": the lead-in trial did not measure every workload (" + leadIn.fault()
                    + "): no shared rate, no pairs");
            return new GateRecord.StackTrials(stack.id(), List.of(), rates, conformance, trials, null);
        }
        Map<String, Double> calibrations = gate.slowdown() > 0 ? Map.of("B", gate.slowdown()) : Map.of();
        if (gate.slowdown() > 0) {
            progress.say(String.format(Locale.ROOT, "%s: CALIBRATION: arm B's servers hold a busy loop at %.0f%% of their own CPU "
                    + "per call (%s)", stack.id(), gate.slowdown() * 100, CalibrationWork.SHARE_SETTING));
        }
        List<String> order = order(gate.pairs(), startsWithA(gate.orderSeed(), stack.ordinal()));
        progress.say(stack.id() + ": shared rates " + rates + " per second; pairs in the order " + String.join("", order));
        List<String> ran = new ArrayList<>();
        int remeasured = 0;
        boolean again = false;
        for (int i = 0; i < gate.pairs(); i++) {
            Arm first = order.get(2 * i).equals("A") ? a : b;
            Arm second = first == a ? b : a;
            int seq = trials.size() + 1;
            progress.nextStack(stack.id() + ": pair " + (i + 1) + " of " + gate.pairs() + " (" + first.name() + second.name() + ")"
                    + (again ? ", measured again" : ""));
            List<GateRecord.Trial> pair = trials(stack, List.of(first, second), List.of(seq, seq + 1), false, rates, calibrations);
            ran.add(first.name());
            ran.add(second.name());
            String weak = weakPair(pair, settings.workloads().stream().map(Workload::id).toList(), gate.blocks());
            if (weak != null && remeasured < gate.remeasures()) {
                remeasured++;
                progress.oneMore();
                progress.say(stack.id() + ": pair " + (i + 1) + " is too weak to judge (" + weak + "): measuring it again, in the "
                        + "same order (" + remeasured + " of at most " + gate.remeasures() + " per stack)");
                pair.forEach(t -> trials.add(t.remeasured(weak)));
                again = true;
                i--;
            } else {
                trials.addAll(pair);
                again = false;
            }
        }
        return new GateRecord.StackTrials(stack.id(), ran, rates, conformance, trials, null);
    }

    /**
     * Why a pair's two trials are too weak to judge, or null when they are not: the baseline's
     * trial ended in a fault (the pair cannot be judged at all), or in some workload one arm has at
     * most half of its closed steps VALID (its figures then rest on one or two steps, and a block of
     * the machine's slow phase decides the pair). The rule reads only faults and validity, never
     * the figures, and is the same for both arms, so measuring again cannot favour either. A
     * candidate's own fault is not a reason: it fails the gate whatever the figures say.
     */
    static String weakPair(List<GateRecord.Trial> pair, List<String> workloads, int blocks) {
        for (GateRecord.Trial t : pair) {
            if (t.arm().equals("A") && t.failed()) {
                return "the baseline's trial " + t.seq() + " failed";
            }
            if (t.failed()) {
                return null;
            }
        }
        for (String w : workloads) {
            for (GateRecord.Trial t : pair) {
                GateRecord.Workload x = t.workloads() == null ? null : t.workloads().get(w);
                long valid = x == null ? 0 : x.closed().stream().filter(GateRecord.Step::valid).count();
                if (2 * valid <= blocks) {
                    return String.format(Locale.ROOT, "arm %s's trial %d: %d of %d closed %s steps VALID", t.arm(), t.seq(), valid,
                            blocks, w);
                }
            }
        }
        return null;
    }

    /**
     * Whether a stack's pairs start ABBA (else BAAB), drawn from the order seed. SplittableRandom mixes
     * its seed before the first draw; java.util.Random's first boolean is the same for long runs of
     * nearby seeds, so it would not randomise the order at all.
     */
    static boolean startsWithA(long orderSeed, int stackOrdinal) {
        return new SplittableRandom(orderSeed * 31 + stackOrdinal).nextBoolean();
    }

    /** The arms of {@code pairs} pairs: ABBA ABBA ... (or BAAB BAAB ... when not {@code startWithA}). */
    static List<String> order(int pairs, boolean startWithA) {
        String first = startWithA ? "A" : "B";
        String second = startWithA ? "B" : "A";
        List<String> out = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            out.addAll(i % 2 == 0 ? List.of(first, second) : List.of(second, first));
        }
        return out;
    }

    private GateRecord.Check conformance(Stacks stack, Arm arm) {
        Path dir = gateDir.resolve(arm.name()).resolve(stack.id()).resolve("conformance");
        ServerProcess server = null;
        try {
            Files.createDirectories(dir);
            server = launch(stack, arm.root(), dir.resolve("server.log"), Map.of());
            server.awaitOk(Contract.READY, null, Duration.ofMillis(Math.round(settings.readyTimeoutSeconds() * 1000)));
            RunRecord.Conformance c = ConformanceRun.check(server.baseUri(), stack.id(),
                    settings.workloads().stream().anyMatch(Workload::genAi));
            progress.say(stack.id() + " arm " + arm.name() + ": conformance " + (c.passed() ? "passed" : "FAILED") + " ("
                    + (c.tests() - c.failed()) + " of " + c.tests() + ")");
            return new GateRecord.Check(c.passed(), c.tests(), c.failed(), c.failures() == null || c.failures().isEmpty() ? null
                    : String.join("; ", c.failures().subList(0, Math.min(3, c.failures().size()))));
        } catch (IOException | RuntimeException e) {
            progress.say(stack.id() + " arm " + arm.name() + ": conformance could not run: " + e.getMessage());
            return new GateRecord.Check(false, 0, 0, "the server did not start: " + BenchRunner.firstLine(e.getMessage()));
        } finally {
            if (server != null) {
                server.stop(Duration.ofSeconds(10));
                live.remove(server);
            }
        }
    }

    /** One arm's server in a trial, while it runs. */
    private static final class Running {
        final Arm arm;
        final int seq;
        final Path dir;
        final Double calibration;
        CalibrationReading calibrationStart;
        ServerProcess server;
        Double ready;
        String fault;
        final Map<String, Scenarios> scenarios = new LinkedHashMap<>();
        final Map<String, List<GateRecord.Step>> closed = new LinkedHashMap<>();
        final Map<String, List<GateRecord.Step>> open = new LinkedHashMap<>();
        final Map<String, Warm> warm = new LinkedHashMap<>();

        Running(Arm arm, int seq, Path dir, Double calibration) {
            this.arm = arm;
            this.seq = seq;
            this.dir = dir;
            this.calibration = calibration;
        }

        boolean ok() {
            return fault == null && server != null;
        }
    }

    /**
     * One trial of each arm in {@code arms}, side by side: a fresh server JVM per arm (started one
     * after the other, each while the others idle), then per workload their warm-ups in alternating
     * rounds, then {@code gate.blocks} closed steps per arm in alternating order (ABBA...) and as
     * many open steps the same way. Measuring the arms seconds apart, not minutes apart, leaves the
     * machine's slow drifts (a neighbour's load, the host's clock) out of their ratio.
     */
    private List<GateRecord.Trial> trials(Stacks stack, List<Arm> arms, List<Integer> seqs, boolean leadIn,
                                          Map<String, Double> rates, Map<String, Double> calibration) {
        List<Running> run = new ArrayList<>();
        for (int i = 0; i < arms.size(); i++) {
            Arm arm = arms.get(i);
            run.add(new Running(arm, seqs.get(i), gateDir.resolve(arm.name()).resolve(stack.id()).resolve("trial-" + seqs.get(i)),
                    calibration.get(arm.name())));
        }
        List<GateRecord.Trial> out = new ArrayList<>();
        try {
            for (Running r : run) {
                start(stack, r);
            }
            for (Workload w : settings.workloads()) {
                for (Running r : run) {
                    if (r.ok()) {
                        r.scenarios.put(w.id(), new Scenarios(new StackWorkload(settings, r.server, w, r.dir, gateDir, progress,
                                load), PhaseClock.forRun()));
                    }
                }
                warmAll(run, w, leadIn ? LEAD_IN_WARMUP_CAP_FACTOR * settings.warmupCapSeconds() : settings.warmupCapSeconds());
                for (Running r : run) {
                    if (r.calibration != null && r.calibrationStart == null && r.ok()) {
                        r.calibrationStart = CalibrationReading.of(r.server.baseUri());
                    }
                }
                int steps = (leadIn ? LEAD_IN_STEPS : gate.blocks()) * run.size();
                int openSteps = (leadIn ? 0 : gate.openBlocks()) * run.size();
                for (int b = 0; b < steps; b++) {
                    Running r = run.get(abba(b, run.size()));
                    guarded(r, () -> r.closed.computeIfAbsent(w.id(), k -> new ArrayList<>()).add(closed(r, w)));
                }
                Double rate = rates.get(w.id());
                for (int b = 0; rate != null && b < openSteps; b++) {
                    // Mirrored: the arm that ran the last closed step does not also run the first open one.
                    Running r = run.get(abba(b + 2, run.size()));
                    guarded(r, () -> r.open.computeIfAbsent(w.id(), k -> new ArrayList<>()).add(open(r, w, rate)));
                }
            }
        } finally {
            for (Running r : run) {
                out.add(finish(stack, r, leadIn));
            }
        }
        return out;
    }

    /**
     * What a calibrated server's {@code /info} says its loop has spent so far. Two readings, after
     * the warm-up and at the trial's end, give the share the loop held over the measured steps: the
     * loop's CPU against the rest of the process's CPU between them.
     */
    record CalibrationReading(long calls, double loopCpuMillis, double processCpuMillis) {
        /** The reading now, or null when the server does not answer or shows no calibration. */
        static CalibrationReading of(URI base) {
            try {
                JsonNode c = new HttpProbe(base).get(Contract.INFO).json().path("calibration");
                if (!c.has("calls")) {
                    return null;
                }
                return new CalibrationReading(c.get("calls").asLong(), c.get("loopCpuMillis").asDouble(),
                        c.get("processCpuMillis").asDouble());
            } catch (IOException | RuntimeException e) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }

        /** The share asked, and what the loop held between {@code start} and {@code end} (null when a reading is missing). */
        static GateRecord.Calibration held(double share, CalibrationReading start, CalibrationReading end) {
            if (start == null || end == null || end.calls <= start.calls) {
                return new GateRecord.Calibration(share, null, null, null);
            }
            double loop = end.loopCpuMillis - start.loopCpuMillis;
            double rest = (end.processCpuMillis - start.processCpuMillis) - loop;
            long calls = end.calls - start.calls;
            return new GateRecord.Calibration(share, rest > 0 ? Math.round(loop / rest * 10_000) / 10_000.0 : null,
                    Math.round(loop * 1000 / calls * 100) / 100.0, calls);
        }
    }

    /** The lead-in's closed steps: it sizes the shared rate from the best of them. */
    static final int LEAD_IN_STEPS = 3;

    /** The lead-in's warm-up cap, in multiples of {@code bench.warmupCap}: a rate sized off a server still compiling is too low. */
    static final int LEAD_IN_WARMUP_CAP_FACTOR = 2;

    /**
     * What the lead-in measured of the warm server's capacity: the highest throughput among its
     * valid closed steps (among all of them when none is valid). The noise on this machine (a JIT
     * still compiling, a neighbour's load, the host taking the vCPU) only ever lowers throughput, so
     * the best step is the closest to the warm server's; a median would size the rate off a slow phase.
     */
    record LeadInSize(double throughput, boolean fromValidSteps) {
        static LeadInSize of(List<GateRecord.Step> closed) {
            List<GateRecord.Step> valid = closed.stream().filter(GateRecord.Step::valid).toList();
            List<GateRecord.Step> pick = (valid.isEmpty() ? closed : valid).stream().filter(s -> s.throughput() > 0).toList();
            if (pick.isEmpty()) {
                return null;
            }
            return new LeadInSize(pick.stream().mapToDouble(GateRecord.Step::throughput).max().orElseThrow(), !valid.isEmpty());
        }
    }

    /** Which of {@code n} arms runs the {@code b}-th step: 0 1 1 0 0 1 1 0 ... for two, always 0 for one. */
    static int abba(int b, int n) {
        if (n == 1) {
            return 0;
        }
        int k = b % 4;
        return k == 0 || k == 3 ? 0 : 1;
    }

    @FunctionalInterface
    private interface Measurement {
        void run() throws Exception;
    }

    /** Runs a measurement of one arm; a failure or a dead server ends that arm's trial, not the others'. */
    private static void guarded(Running r, Measurement step) {
        if (!r.ok()) {
            return;
        }
        try {
            step.run();
        } catch (Exception e) {
            r.fault = BenchRunner.firstLine(e.getMessage() == null ? e.toString() : e.getMessage());
        }
        if (!r.server.isAlive()) {
            r.fault = "server exited with status " + r.server.process().exitValue() + (r.fault == null ? "" : ": " + r.fault);
        }
    }

    private void start(Stacks stack, Running r) {
        Map<String, String> env = r.calibration == null ? Map.of() : Map.of(CalibrationWork.SHARE_SETTING, Double.toString(r.calibration));
        try {
            Files.createDirectories(r.dir);
            r.server = launch(stack, r.arm.root(), r.dir.resolve("server.log"), env);
            Duration ready = r.server.awaitOk(Contract.READY, null,
                    Duration.ofMillis(Math.round(settings.readyTimeoutSeconds() * 1000)));
            r.ready = Math.round(ready.toNanos() / 10_000.0) / 100.0;
            r.server.awaitOk(Contract.PREDICT, Workload.TABULAR.bodies(settings.seed()).getFirst(), Duration.ofSeconds(60));
        } catch (IOException | RuntimeException e) {
            r.fault = "failed to start: " + BenchRunner.firstLine(e.getMessage());
        }
    }

    private GateRecord.Trial finish(Stacks stack, Running r, boolean leadIn) {
        String log = gateDir.relativize(r.dir.resolve("server.log")).toString();
        boolean died = r.server != null && !r.server.isAlive();
        Long rss = null;
        GateRecord.Calibration calibration = r.calibration == null ? null : new GateRecord.Calibration(r.calibration, null, null, null);
        if (r.server != null && !died) {
            ProcStats.Sample sample = ProcStats.sample(r.server.pid());
            rss = sample.rssBytes() >= 0 ? sample.rssBytes() : null;
            if (r.calibration != null && r.calibrationStart != null) {
                calibration = CalibrationReading.held(r.calibration, r.calibrationStart, CalibrationReading.of(r.server.baseUri()));
            }
        }
        if (r.server != null) {
            r.server.stop(Duration.ofSeconds(10));
            live.remove(r.server);
        }
        Map<String, GateRecord.Workload> workloads = new LinkedHashMap<>();
        for (Workload w : settings.workloads()) {
            Warm warm = r.warm.get(w.id());
            if (r.closed.containsKey(w.id()) || r.open.containsKey(w.id())) {
                workloads.put(w.id(), new GateRecord.Workload(r.closed.getOrDefault(w.id(), List.of()),
                        r.open.getOrDefault(w.id(), List.of()), warm == null ? null : warm.seconds(),
                        warm == null ? null : warm.throughputs(), warm == null ? null : warm.settled()));
            }
        }
        GateRecord.Trial t = new GateRecord.Trial(r.seq, r.arm.name(), leadIn, r.ready, rss, r.fault, died, workloads, log,
                calibration, null);
        progress.say(summary(stack, t));
        return t;
    }

    private static String summary(Stacks stack, GateRecord.Trial t) {
        StringBuilder sb = new StringBuilder(stack.id() + " arm " + t.arm() + " trial " + t.seq() + ": ");
        if (t.fault() != null) {
            sb.append("FAULT ").append(t.fault()).append("; ");
        }
        sb.append("ready ").append(t.readyMillis()).append(" ms");
        if (t.calibration() != null && t.calibration().held() != null) {
            sb.append(String.format(Locale.ROOT, "; calibration loop held %.1f%% of the rest of its CPU (%.1f us per call)",
                    t.calibration().held() * 100, t.calibration().loopMicrosPerCall()));
        }
        t.workloads().forEach((w, x) -> {
            for (GateRecord.Step c : x.closed()) {
                sb.append(String.format(Locale.ROOT, "; %s closed %.0f/s, CPU %.4f ms/req (ticks %.4f)%s", w, c.throughput(),
                        c.cpuMillisPerRequest() == null ? Double.NaN : c.cpuMillisPerRequest(),
                        c.cpuTicksMillisPerRequest() == null ? Double.NaN : c.cpuTicksMillisPerRequest(), c.valid() ? "" : " INVALID"));
            }
            for (GateRecord.Step o : x.open()) {
                sb.append(String.format(Locale.ROOT, "; open %.0f/s p99 %s ms%s", o.targetRate(),
                        o.p99Micros() == null ? "-" : String.format(Locale.ROOT, "%.3f", o.p99Micros() / 1000), o.valid() ? ""
                                : " INVALID (" + String.join("; ", o.reasons()) + ")"));
            }
        });
        return sb.toString();
    }

    /** The warm-ups of every running arm, one round each in turn, until each has settled or reached the cap. */
    private void warmAll(List<Running> run, Workload w, double capSeconds) {
        Map<Running, WarmState> states = new LinkedHashMap<>();
        for (Running r : run) {
            if (r.ok()) {
                states.put(r, new WarmState(capSeconds));
            }
        }
        boolean more = true;
        while (more) {
            more = false;
            for (Map.Entry<Running, WarmState> e : states.entrySet()) {
                Running r = e.getKey();
                WarmState st = e.getValue();
                if (!r.ok() || st.done) {
                    continue;
                }
                guarded(r, () -> warmRound(r.scenarios.get(w.id()), st));
                more |= !st.done && r.ok();
            }
        }
        for (Map.Entry<Running, WarmState> e : states.entrySet()) {
            Running r = e.getKey();
            WarmState st = e.getValue();
            Warm warm = new Warm(round(st.seconds, 1), st.throughputs, st.settled);
            r.warm.put(w.id(), warm);
            progress.say(r.server.stack().id() + " arm " + r.arm.name() + " " + w.id() + ": warm-up " + warm.seconds()
                    + " s, closed chunks " + warm.throughputs() + "/s" + (warm.settled() ? "" : " (still moving at the cap)"));
        }
    }

    private static final class WarmState {
        final double capSeconds;
        final List<Double> throughputs = new ArrayList<>();
        double seconds;
        boolean done;
        boolean settled;

        WarmState(double capSeconds) {
            this.capSeconds = capSeconds;
        }
    }

    /** The warm-up's outcome: its length, the closed chunks' throughputs, whether they settled before the cap. */
    record Warm(double seconds, List<Double> throughputs, boolean settled) {
    }

    /**
     * One warm-up round of a fresh server: a chunk with {@code bench.warmupConcurrency} in flight
     * (few requests, so the JIT compiler threads get CPU) and a chunk at the closed step's
     * concurrency (the code paths only many requests in flight take). The warm-up ends when the
     * closed chunk's throughput moved by less than {@code bench.tolerance} / 2 over each of the last
     * two rounds and the JIT compiled fewer than {@code bench.jitSettledBelow} methods in the round, after at
     * least {@code bench.warmup} seconds of rounds, or at the cap ({@code bench.warmupCap}; twice that
     * for the lead-in, whose one server sizes the shared rate and the calibration).
     */
    private void warmRound(Scenarios sc, WarmState st) throws Exception {
        double chunk = settings.warmupChunkSeconds();
        int c = closedConcurrency();
        double timeout = settings.requestTimeoutSeconds();
        List<StepPlan> round = List.of(StepPlan.closed("warm-c" + settings.warmupConcurrency(), settings.warmupConcurrency(), 0,
                chunk, 1, timeout), StepPlan.closed("warm-c" + c, c, 0, chunk, 1, timeout));
        long t0 = System.nanoTime();
        Scenarios.Measured m = sc.measure("warm", round, false);
        st.seconds += (System.nanoTime() - t0) / 1e9;
        if (m.fault() != null || m.outcomes().size() < 2) {
            throw new IllegalStateException("the warm-up failed: " + m.fault());
        }
        long compiles = 0;
        for (StepOutcome o : m.outcomes()) {
            compiles += o.health() == null || o.health().compiles() == null ? 0 : o.health().compiles();
        }
        double t = m.outcomes().get(1).throughput();
        int n = st.throughputs.size();
        // Two rounds in a row within the band: a JIT plateau (C1 code, C2 not done yet) often holds for one.
        boolean steady = n >= 2 && Math.abs(t / st.throughputs.get(n - 1) - 1) < settings.tolerance() / 2
                && Math.abs(st.throughputs.get(n - 1) / st.throughputs.get(n - 2) - 1) < settings.tolerance() / 2
                && compiles < settings.jitSettledBelow();
        st.throughputs.add(round(t, 0));
        if (steady && st.seconds >= settings.warmupSeconds()) {
            st.settled = true;
            st.done = true;
        } else if (st.seconds + 2 * chunk > st.capSeconds) {
            st.done = true;
        }
    }

    /**
     * The closed step after a short settle at its concurrency, with the server's CPU (every thread's
     * schedstat) read around the step's whole load-client call: it has no lead-in, so every request
     * it sent is in its count. A step that comes out INVALID without errors (its windows disagree: a
     * neighbour's burst, a late compile) is measured again right away, up to {@code gate.closedRetries}
     * more times; the last attempt is kept with why each earlier one was set aside, and its CPU is
     * read around that attempt alone. The validity rules are the harness's own.
     */
    private GateRecord.Step closed(Running r, Workload w) throws Exception {
        int c = closedConcurrency();
        Scenarios sc = r.scenarios.get(w.id());
        if (settings.settleSeconds() > 0) {
            sc.measure("settle", List.of(StepPlan.closed("settle-c" + c, c, 0, settings.settleSeconds(), 1,
                    settings.requestTimeoutSeconds())), false);
        }
        List<String> earlier = new ArrayList<>();
        for (int attempt = 1; ; attempt++) {
            GateRecord.Step s = closedOnce(r, sc, c, attempt == 1 ? "closed" : "closed-attempt" + attempt);
            if (s.valid() || s.errors() > 0 || attempt > gate.closedRetries()) {
                return earlier.isEmpty() ? s : s.withAttempts(attempt, earlier);
            }
            earlier.add("attempt " + attempt + ": " + String.join("; ", s.reasons()));
            progress.say(r.server.stack().id() + " arm " + r.arm.name() + " " + w.id() + ": " + s.name() + " INVALID ("
                    + BenchRunner.firstLine(String.join("; ", s.reasons())) + "), measuring it again (attempt " + (attempt + 1)
                    + " of at most " + (gate.closedRetries() + 1) + ")");
        }
    }

    private GateRecord.Step closedOnce(Running r, Scenarios sc, int c, String label) throws Exception {
        Map<Long, Long> before = ProcStats.taskRunNanos(r.server.pid());
        long t0 = System.nanoTime();
        Scenarios.Measured m = sc.measure(label, List.of(StepPlan.closed("c" + c, c, 0, settings.windowSeconds(),
                settings.windows(), settings.requestTimeoutSeconds())), true);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<Long, Long> after = ProcStats.taskRunNanos(r.server.pid());
        if (m.fault() != null || m.steps().isEmpty()) {
            throw new IllegalStateException("the closed step failed: " + m.fault());
        }
        StepOutcome o = m.outcomes().getFirst();
        ProcStats.TaskCpu cpu = ProcStats.TaskCpu.between(before, after);
        long requests = o.scheduled();
        Double cpuMs = requests == 0 || before.isEmpty() ? null : round(cpu.nanos() / 1e6 / requests, 6);
        return step(m.steps().getFirst(), cpuMs, cpu.gone(), seconds);
    }

    /** The open step at the shared absolute rate, with a settle and the rules' adaptive windows. */
    private GateRecord.Step open(Running r, Workload w, double rate) throws Exception {
        Scenarios sc = r.scenarios.get(w.id());
        long t0 = System.nanoTime();
        Scenarios.Measured m = sc.measureRetrying("open", List.of(sc.ruled(sc.openStep("r" + Math.round(rate), rate))));
        if (m.fault() != null || m.steps().isEmpty()) {
            throw new IllegalStateException("the open step failed: " + m.fault());
        }
        return step(m.steps().getFirst(), null, null, (System.nanoTime() - t0) / 1e9);
    }

    private static GateRecord.Step step(RunRecord.Step s, Double cpuMs, Integer gone, double seconds) {
        Double p99 = s.latency() == null || s.latency().p99() == null ? null : round(s.latency().p99() * 1000, 1);
        return new GateRecord.Step(s.name(), s.concurrency(), s.targetRate(), s.valid(), s.reasons() == null ? List.of()
                : s.reasons(), s.throughput(), p99, s.requests(), s.errors(), cpuMs, s.serverCpuMillisPerRequest(), gone,
                round(seconds, 2), s.attempts() > 1 ? s.attempts() : null, s.attempts() > 1 ? s.earlierAttempts() : null);
    }

    private static double round(double x, int places) {
        double f = Math.pow(10, places);
        return Math.round(x * f) / f;
    }

    /**
     * Starts a server and counts it live. The shutdown hook sets {@code stopping} before it stops
     * the live servers; a launch checks it after counting its server in, so a server the runner's
     * thread starts while a signal is being handled is stopped by one or the other, never orphaned.
     */
    private ServerProcess launch(Stacks stack, Path root, Path log, Map<String, String> env) throws IOException {
        if (stopping) {
            throw new IllegalStateException("the gate is stopping");
        }
        ServerProcess p = ServerProcess.start(stack, root, jvm, log, env);
        live.add(p);
        if (stopping) {
            p.stop(Duration.ofSeconds(5));
            live.remove(p);
            throw new IllegalStateException("the gate is stopping");
        }
        return p;
    }

    private void stopLive() {
        for (ServerProcess p : List.copyOf(live)) {
            p.stop(Duration.ofSeconds(5));
            live.remove(p);
        }
    }

    /**
     * Arm A: the baseline ref checked out in a work tree under {@code target/gate/} and its servers
     * built there with its own Maven wrapper ({@code package}, so nothing of the candidate's in the
     * local repository is replaced). A work tree already at that commit with every jar is reused.
     *
     * @throws IllegalStateException when the ref does not resolve or the build fails
     */
    static Arm baseline(Path root, GateSettings gate, List<Stacks> stacks, Path gateDir) {
        String commit = git(root, "rev-parse", "--verify", "--quiet", gate.baseline() + "^{commit}");
        if (commit == null) {
            throw new IllegalStateException("gate.baseline '" + gate.baseline() + "' is not a commit in " + root
                    + " (fetch it first, e.g. git fetch origin main, and pass origin/main)");
        }
        Path tree = root.resolve("target").resolve("gate").resolve("baseline-" + commit.substring(0, 12));
        boolean built = Files.isDirectory(tree) && commit.equals(git(tree, "rev-parse", "HEAD"))
                && stacks.stream().allMatch(s -> Files.isRegularFile(s.artifact(tree)));
        if (built) {
            System.out.println("baseline " + gate.baseline() + " (" + commit.substring(0, 12) + "): reusing the build in " + tree);
            return new Arm("A", tree, new GateRecord.Arm("A", gate.baseline(), commit, false, tree.toString(),
                    "reused the work tree's earlier build"));
        }
        if (Files.exists(tree)) {
            git(root, "worktree", "remove", "--force", tree.toString());
            deleteTree(tree);
        }
        git(root, "worktree", "prune");
        if (git(root, "worktree", "add", "--detach", "--force", tree.toString(), commit) == null) {
            throw new IllegalStateException("git worktree add " + tree + " " + commit + " failed");
        }
        List<String> modules = stacks.stream().map(Stacks::module).distinct().toList();
        List<String> command = new ArrayList<>(List.of("./mvnw", "-B", "-q", "package", "-DskipTests", "-Djmh.skip=true",
                "-pl", String.join(",", modules), "-am"));
        if (gate.offline()) {
            command.add("-o");
        }
        Path log = gateDir.resolve("baseline-build.log");
        System.out.println("baseline " + gate.baseline() + " (" + commit.substring(0, 12) + "): building " + modules + " in " + tree
                + " (" + String.join(" ", command) + "; log " + log + ")");
        long t0 = System.nanoTime();
        try {
            Process p = new ProcessBuilder(command).directory(tree.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!p.waitFor(30, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("the baseline build took over 30 minutes; see " + log);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("the baseline build failed (exit " + p.exitValue() + "); see " + log);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run the baseline build: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building the baseline");
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "baseline built in %.0f s%n", seconds);
        return new Arm("A", tree, new GateRecord.Arm("A", gate.baseline(), commit, false, tree.toString(),
                String.format(Locale.ROOT, "%s in a git work tree, %.0f s", String.join(" ", command), seconds)));
    }

    private static void deleteTree(Path tree) {
        try (var paths = Files.walk(tree)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // git worktree add --force below reports what is left.
        }
    }

    /** A git command's trimmed output, or null when it failed. */
    static String git(Path dir, String... args) {
        String out = Fingerprint.git(dir, args);
        return out == null ? null : out.trim();
    }
}
