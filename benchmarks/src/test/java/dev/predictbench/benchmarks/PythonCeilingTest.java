package dev.predictbench.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.predictbench.contract.Stacks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Python ceiling's bookkeeping, and one short real run of the script (where the Python environment is built). */
class PythonCeilingTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aMeasurementBecomesAJmhResultWithTheMeanOfItsIterationsAndItsPinning() throws Exception {
        PythonCeiling.Timing timing = new PythonCeiling.Timing(3, 2, 2, 1.5);
        ObjectNode r = PythonCeiling.result("search", JSON.readTree("""
                {"workload": "search", "iterations": [200.0, 300.0], "requests": 750, "python": "3.11.7",
                 "implementation": "CPython", "onnxruntime": "1.30.0"}"""), timing, Path.of("/venv/bin/python"), "0");
        assertEquals(PythonCeiling.BENCHMARK, r.path("benchmark").asText());
        assertEquals("thrpt", r.path("mode").asText());
        assertEquals(1, r.path("threads").asInt());
        assertEquals("search", r.path("params").path("workload").asText());
        assertEquals(250.0, r.path("primaryMetric").path("score").asDouble(), 1e-9);
        assertEquals("ops/s", r.path("primaryMetric").path("scoreUnit").asText());
        assertEquals("-D" + BenchmarkMain.PINNED_PROPERTY + "=0", r.path("jvmArgs").get(0).asText());
        assertEquals("2 s", r.path("warmupTime").asText());
        assertEquals("1.5 s", r.path("measurementTime").asText());
        assertEquals("Python 3.11.7", r.path("jdkVersion").asText());
        assertThrows(IllegalStateException.class, () -> PythonCeiling.result("search",
                JSON.readTree("{\"iterations\": []}"), timing, Path.of("python"), null), "no iteration, no score");
    }

    @Test
    void theLoadsBodiesGoOnePerLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bodies.jsonl");
        byte[][] bodies = Payloads.loadBodies("search", Payloads.LOAD_SEED);
        PythonCeiling.writeBodies(file, bodies);
        List<String> lines = Files.readAllLines(file);
        assertEquals(bodies.length, lines.size());
        assertEquals(new String(bodies[7], java.nio.charset.StandardCharsets.UTF_8), lines.get(7));
        assertThrows(IllegalStateException.class, () -> PythonCeiling.writeBodies(file, new byte[][] {"{\n}".getBytes()}));
    }

    @Test
    void theScriptTimesTheTabularRequestInPython() throws Exception {
        Path root = Stacks.repoRoot();
        PythonCeiling.unavailable(root).ifPresent(reason -> Assumptions.abort("the Python ceiling cannot run here: " + reason));
        List<ObjectNode> results = PythonCeiling.run(root, List.of("tabular"), new PythonCeiling.Timing(0, 0.2, 1, 0.3), null);
        assertEquals(1, results.size());
        ObjectNode r = results.getFirst();
        assertTrue(r.path("primaryMetric").path("score").asDouble() > 0, r.toString());
        assertTrue(r.path("primaryMetric").path("requests").asLong() > 0, r.toString());
        assertTrue(r.path("jdkVersion").asText().startsWith("Python 3."), r.toString());
    }
}
