package dev.predictbench.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictbench.contract.launch.JvmSettings;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Warmup;

/** The build produced what -Pjmh runs. No benchmark is timed here. */
class BenchmarkListTest {
    private static final List<Class<?>> SUITES =
            List.of(InferenceBenchmark.class, PipelineBenchmark.class, JsonCodecBenchmark.class,
                    EmbeddingBenchmark.class, NearestNeighbourBenchmark.class, CeilingBenchmark.class,
                    BatchingBenchmark.class);

    @Test
    void generatedBenchmarkListHasEveryBenchmarkMethod() throws IOException {
        String list;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/BenchmarkList")) {
            assertTrue(in != null, "no META-INF/BenchmarkList: JMH's annotation processor did not run");
            list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (Class<?> suite : SUITES) {
            List<Method> benchmarks = Arrays.stream(suite.getMethods())
                    .filter(m -> m.isAnnotationPresent(Benchmark.class)).toList();
            assertTrue(!benchmarks.isEmpty(), suite.getSimpleName() + " has no @Benchmark method");
            for (Method m : benchmarks) {
                assertTrue(list.contains(suite.getPackageName() + ".jmh_generated." + suite.getSimpleName() + "_" + m.getName() + "_jmhTest"),
                        "BenchmarkList lacks " + suite.getSimpleName() + "." + m.getName());
            }
        }
    }

    @Test
    void everySuiteStatesItsWarmupMeasurementAndForks() {
        for (Class<?> suite : SUITES) {
            assertTrue(suite.isAnnotationPresent(Warmup.class), suite.getSimpleName() + " lacks @Warmup");
            assertTrue(suite.isAnnotationPresent(Measurement.class), suite.getSimpleName() + " lacks @Measurement");
            assertTrue(suite.isAnnotationPresent(Fork.class), suite.getSimpleName() + " lacks @Fork");
        }
    }

    @Test
    void benchmarkJvmsGetTheServerJvmFlagsByDefault() {
        String flags = System.getProperty("bench.jvmFlags.default");
        assertTrue(flags != null, "surefire passes the pom's bench.jvmFlags.default");
        assertEquals(JvmSettings.DEFAULT_FLAGS, List.of(flags.trim().split("\\s+")));
    }
}
