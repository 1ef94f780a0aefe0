package dev.predictbench.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.predictbench.contract.Stacks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/** The pinning rules and registry parameters of the JMH pass. No benchmark is run here. */
class BenchmarkMainTest {
    @Test
    void theCodecBenchmarksStacksComeFromTheRegistryUnlessTheCommandLineNamesThem() throws Exception {
        Options fromRegistry = BenchmarkMain.withRegistry(new CommandLineOptions("JsonCodec"),
                new OptionsBuilder()).build();
        assertEquals(List.copyOf(Stacks.codecStacks()),
                List.copyOf(fromRegistry.getParameter(JsonCodecBenchmark.STACK_PARAM).get()));
        CommandLineOptions named = new CommandLineOptions("JsonCodec", "-p", "stack=javalin");
        Options fromCli = BenchmarkMain.withRegistry(named, new OptionsBuilder().parent(named)).build();
        assertEquals(List.of("javalin"), List.copyOf(fromCli.getParameter(JsonCodecBenchmark.STACK_PARAM).get()));
    }

    @Test
    void readsTasksetCpuLists() {
        assertEquals(List.of(0), List.copyOf(BenchmarkMain.cpus("0")));
        assertEquals(List.of(0, 1, 2, 3), List.copyOf(BenchmarkMain.cpus("0-3")));
        assertEquals(List.of(1, 3, 5, 6), List.copyOf(BenchmarkMain.cpus("1,3,5-6")));
        assertEquals(BenchmarkMain.cpus("0,1"), BenchmarkMain.cpus("0-1"));
        assertThrows(IllegalArgumentException.class, () -> BenchmarkMain.cpus("3-1"));
        assertThrows(IllegalArgumentException.class, () -> BenchmarkMain.cpus(""));
    }

    @Test
    void theJmhPassDefaultsToTheServersCpuSet() throws IOException {
        // The benchmarks module cannot see gatling's properties: both poms carry bench.serverCpus, and
        // must agree, or the ceiling would run on another CPU than the servers.
        assertEquals(serverCpus(Path.of("../gatling/pom.xml")), serverCpus(Path.of("pom.xml")));
    }

    private static String serverCpus(Path pom) throws IOException {
        Matcher m = Pattern.compile("<bench\\.serverCpus>([^<]*)</bench\\.serverCpus>").matcher(Files.readString(pom));
        assertEquals(true, m.find(), pom + " has no bench.serverCpus");
        return m.group(1).trim();
    }
}
