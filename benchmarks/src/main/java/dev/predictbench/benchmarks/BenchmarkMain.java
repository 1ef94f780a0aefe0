package dev.predictbench.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.NoBenchmarksException;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * JMH's command line, plus what JMH cannot do from its annotations:
 *
 * <ul>
 *   <li>Pinning: with {@code -Djmh.cpuSet=<taskset -c list>} (the bench profiles pass the servers'
 *       CPU set, {@code bench.serverCpus}) this JVM pins itself and all its threads there with
 *       {@code taskset} before any benchmark starts, so every benchmark JVM JMH forks inherits the same
 *       CPUs the servers run on (JIT and GC threads included, as for a server). The CPUs it checked it
 *       is pinned to ({@code Cpus_allowed_list}) are appended to the benchmark JVMs' arguments as
 *       {@code -Dpredictbench.jmh.pinnedCpus=...}, which JMH writes into every result's
 *       {@code jvmArgs}: the report reads it from there. Pinning that fails is reported and the pass
 *       runs unpinned, without that argument.</li>
 *   <li>Threads: the {@code InferenceBenchmark.parallel*} benchmarks run with as many threads as the
 *       servers' CPU set has ({@code -Djmh.serverCpus}; when blank, the size of {@code jmh.cpuSet},
 *       else 1), everything else as its annotations say. JMH runs twice (everything else, then the
 *       parallel benchmarks with that thread count) and one result file with both goes where
 *       {@code -rf}/{@code -rff} say.</li>
 * </ul>
 *
 * Any other JMH option passes through; a benchmark that fails with {@code -foe true} makes the exit
 * status non-zero.
 */
public final class BenchmarkMain {
    /** Benchmarks whose thread count is the server's CPU set size. */
    static final String PARALLEL = "\\.InferenceBenchmark\\.parallel";
    /** The benchmark JVMs' system property that records the CPUs they were pinned to (JmhCeiling reads it). */
    static final String PINNED_PROPERTY = "predictbench.jmh.pinnedCpus";

    private BenchmarkMain() {
    }

    public static void main(String[] args) throws RunnerException, IOException {
        CommandLineOptions cli;
        try {
            cli = new CommandLineOptions(args);
        } catch (CommandLineOptionException e) {
            System.err.println("Error parsing command line: " + e.getMessage());
            System.exit(1);
            return;
        }
        if (cli.shouldHelp() || cli.shouldList() || cli.shouldListWithParams() || cli.shouldListProfilers()
                || cli.shouldListResultFormats()) {
            org.openjdk.jmh.Main.main(args);
            return;
        }
        String cpuSet = System.getProperty("jmh.cpuSet", "").trim();
        String threadsProperty = System.getProperty("jmh.serverCpus", "").trim();
        int serverCpus = !threadsProperty.isEmpty() ? Integer.parseInt(threadsProperty)
                : cpuSet.isEmpty() ? 1 : cpus(cpuSet).size();
        if (serverCpus < 1) {
            throw new IllegalArgumentException("jmh.serverCpus must be at least 1, got " + serverCpus);
        }
        List<String> appendArgs = new ArrayList<>(cli.getJvmArgsAppend().orElse(List.of()));
        if (!cpuSet.isEmpty()) {
            String pinned = pinSelf(cpuSet);
            if (pinned == null) {
                System.err.println("JMH: could not pin to CPUs " + cpuSet + " (taskset failed or is missing): the "
                        + "benchmarks run NOT pinned, and their results do not claim a CPU set");
            } else {
                System.out.println("JMH: this JVM and every benchmark JVM it forks run on CPUs " + pinned);
                appendArgs.add("-D" + PINNED_PROPERTY + "=" + pinned);
            }
        }

        Path scratch = Files.createTempDirectory("jmh-passes");
        List<RunResult> results = new ArrayList<>();
        boolean ranAny = false;
        try {
            String[] append = appendArgs.toArray(String[]::new);
            Collection<RunResult> rest = run(withRegistry(cli, new OptionsBuilder().parent(cli)).exclude(PARALLEL).jvmArgsAppend(append),
                    scratch.resolve("rest"));
            Collection<RunResult> parallel = run(withRegistry(cli, new OptionsBuilder().parent(cli)).jvmArgsAppend(append)
                    .exclude("^(?!.*" + PARALLEL + ")").threads(serverCpus), scratch.resolve("parallel"));
            ranAny = rest != null || parallel != null;
            if (rest != null) {
                results.addAll(rest);
            }
            if (parallel != null) {
                results.addAll(parallel);
            }
        } finally {
            try (var files = Files.list(scratch)) {
                for (Path file : files.toList()) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(scratch);
        }
        if (!ranAny) {
            System.err.println("No matching benchmarks. Miss-spelled regexp? Use -l to list them.");
            System.exit(1);
        }
        if (cli.getResult().hasValue() || cli.getResultFormat().hasValue()) {
            ResultFormatType format = cli.getResultFormat().orElse(ResultFormatType.JSON);
            Path file = Path.of(cli.getResult().orElse("jmh-result." + format.name().toLowerCase()));
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            try (PrintStream out = new PrintStream(Files.newOutputStream(file), true, "UTF-8")) {
                ResultFormatFactory.getInstance(format, out).writeOut(results);
            }
            int python = format == ResultFormatType.JSON ? pythonCeiling(cli, file, pinnedCpus(appendArgs)) : 0;
            System.out.println("JMH results (" + results.size() + " benchmarks" + (python > 0 ? ", and " + python
                    + " Python ceiling(s)" : "") + ") written to " + file.toAbsolutePath());
        }
    }

    /** The CPUs the pass pinned itself to, from the argument it gives the benchmark JVMs, or null. */
    private static String pinnedCpus(List<String> appendArgs) {
        String prefix = "-D" + PINNED_PROPERTY + "=";
        return appendArgs.stream().filter(a -> a.startsWith(prefix)).map(a -> a.substring(prefix.length())).findFirst().orElse(null);
    }

    /**
     * When the pass includes {@link CeilingBenchmark}, the Python stacks' ceiling too
     * ({@link PythonCeiling}), appended to the JSON results; left out, with the reason, where the Python
     * environment was not built.
     *
     * @return how many Python results were added
     */
    static int pythonCeiling(CommandLineOptions cli, Path file, String pinned) throws IOException {
        String ceiling = CeilingBenchmark.class.getName() + ".requestToResponse";
        boolean included = cli.getIncludes().isEmpty() || cli.getIncludes().stream()
                .anyMatch(p -> java.util.regex.Pattern.compile(p).matcher(ceiling).find());
        boolean excluded = cli.getExcludes().stream().anyMatch(p -> java.util.regex.Pattern.compile(p).matcher(ceiling).find());
        if (!included || excluded) {
            return 0;
        }
        Path root = dev.predictbench.contract.Stacks.repoRoot();
        java.util.Optional<String> unavailable = PythonCeiling.unavailable(root);
        if (unavailable.isPresent()) {
            System.out.println("Python ceiling not measured: " + unavailable.get());
            return 0;
        }
        List<String> workloads = cli.getParameter("workload").hasValue()
                ? List.copyOf(cli.getParameter("workload").get()) : List.of("tabular", "embed", "search");
        PythonCeiling.Timing timing = new PythonCeiling.Timing(cli.getWarmupIterations().orElse(3),
                seconds(cli.getWarmupTime().orElse(null), 2), cli.getMeasurementIterations().orElse(3),
                seconds(cli.getMeasurementTime().orElse(null), 2));
        List<com.fasterxml.jackson.databind.node.ObjectNode> measured = PythonCeiling.run(root, workloads, timing, pinned);
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ArrayNode all = (com.fasterxml.jackson.databind.node.ArrayNode) json.readTree(file.toFile());
        measured.forEach(all::add);
        json.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), all);
        return measured.size();
    }

    private static double seconds(org.openjdk.jmh.runner.options.TimeValue time, double otherwise) {
        return time == null ? otherwise : time.convertTo(TimeUnit.MILLISECONDS) / 1000.0;
    }

    /**
     * The parameters that come from the registry of stacks unless the command line sets them:
     * {@link JsonCodecBenchmark}'s {@code stack}, every stack with a JSON layer of its own.
     */
    static ChainedOptionsBuilder withRegistry(CommandLineOptions cli, ChainedOptionsBuilder options) {
        if (!cli.getParameter(JsonCodecBenchmark.STACK_PARAM).hasValue()) {
            options.param(JsonCodecBenchmark.STACK_PARAM, StackCodec.STACKS.toArray(String[]::new));
        }
        return options;
    }

    /** One JMH pass; its own result file goes to scratch. Null when no benchmark matched. */
    private static Collection<RunResult> run(ChainedOptionsBuilder pass, Path scratchFile) throws RunnerException {
        Options options = pass.result(scratchFile.toString()).build();
        try {
            return new Runner(options).run();
        } catch (NoBenchmarksException e) {
            return null;
        }
    }

    /**
     * Pins this process, every thread of it, to {@code cpuSet} with {@code taskset -a -p -c}; threads and
     * processes started afterwards inherit it. Returns the CPUs the kernel then reports for this process
     * ({@code Cpus_allowed_list}) when they are the ones asked for, else null.
     */
    static String pinSelf(String cpuSet) {
        try {
            Process p = new ProcessBuilder("taskset", "-a", "-p", "-c", cpuSet, Long.toString(ProcessHandle.current().pid()))
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                System.err.println("taskset: " + out);
                return null;
            }
            String allowed = allowedCpus();
            return allowed != null && cpus(allowed).equals(cpus(cpuSet)) ? allowed : null;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** This process's {@code Cpus_allowed_list} from {@code /proc/self/status}, or null where there is none. */
    static String allowedCpus() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return null;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("Cpus_allowed_list:")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return null;
    }

    /** The CPUs of a {@code taskset -c} list ("0", "0-3", "1,3,5-6"). */
    static SortedSet<Integer> cpus(String list) {
        SortedSet<Integer> cpus = new TreeSet<>();
        for (String part : list.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int dash = p.indexOf('-');
            int from = Integer.parseInt((dash < 0 ? p : p.substring(0, dash)).trim());
            int to = dash < 0 ? from : Integer.parseInt(p.substring(dash + 1).trim());
            if (from < 0 || to < from) {
                throw new IllegalArgumentException("bad CPU range '" + p + "' in '" + list + "'");
            }
            for (int cpu = from; cpu <= to; cpu++) {
                cpus.add(cpu);
            }
        }
        if (cpus.isEmpty()) {
            throw new IllegalArgumentException("empty CPU list '" + list + "'");
        }
        return cpus;
    }

}
