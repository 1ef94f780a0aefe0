package dev.predictbench.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
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
 * JMH's command line, plus one thing JMH cannot do from its annotations: run the
 * {@code InferenceBenchmark.parallel*} benchmarks with as many threads as the servers' CPU set has
 * ({@code -Djmh.serverCpus}, default 1), everything else as its annotations say. It runs JMH twice
 * (everything else, then the parallel benchmarks with that thread count) and writes one result
 * file with both, where {@code -rf}/{@code -rff} say. Any other JMH option passes through; a
 * benchmark that fails with {@code -foe true} makes the exit status non-zero.
 */
public final class BenchmarkMain {
    /** Benchmarks whose thread count is the server's CPU set size. */
    static final String PARALLEL = "\\.InferenceBenchmark\\.parallel";

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
        int serverCpus = Integer.getInteger("jmh.serverCpus", 1);
        if (serverCpus < 1) {
            throw new IllegalArgumentException("jmh.serverCpus must be at least 1, got " + serverCpus);
        }

        Path scratch = Files.createTempDirectory("jmh-passes");
        List<RunResult> results = new ArrayList<>();
        boolean ranAny = false;
        try {
            Collection<RunResult> rest = run(new OptionsBuilder().parent(cli).exclude(PARALLEL), scratch.resolve("rest"));
            Collection<RunResult> parallel = run(new OptionsBuilder().parent(cli)
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
            System.out.println("JMH results (" + results.size() + " benchmarks) written to " + file.toAbsolutePath());
        }
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

}
