package dev.predictbench.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.predictbench.contract.GoldenCases;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The ceilings answer the load's bodies as the servers do. Nothing is timed here. */
class CeilingBenchmarkTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void tabularBodiesAreTheLoadRunnersOneRowRequests() throws Exception {
        byte[][] bodies = Payloads.loadBodies("tabular", Payloads.LOAD_SEED);
        assertEquals(Payloads.LOAD_BODIES, bodies.length);
        List<double[]> rows = GoldenCases.inputs(Payloads.LOAD_SEED, Payloads.LOAD_BODIES);
        for (int i : new int[] {0, 1, 999}) {
            JsonNode instances = JSON.readTree(bodies[i]).path("instances");
            assertEquals(1, instances.size());
            double[] sent = new double[instances.get(0).size()];
            for (int j = 0; j < sent.length; j++) {
                sent[j] = instances.get(0).get(j).asDouble();
            }
            assertTrue(Arrays.equals(rows.get(i), sent), "body " + i);
        }
    }

    @Test
    void genAiBodiesAreSeededGlossesTheSameForEmbedAndSearch() throws Exception {
        byte[][] embed = Payloads.loadBodies("embed", Payloads.LOAD_SEED);
        byte[][] search = Payloads.loadBodies("search", Payloads.LOAD_SEED);
        assertEquals(Payloads.LOAD_BODIES, embed.length);
        assertEquals(Payloads.LOAD_BODIES, search.length);
        for (int i = 0; i < embed.length; i++) {
            JsonNode e = JSON.readTree(embed[i]);
            JsonNode s = JSON.readTree(search[i]);
            assertEquals(1, e.path("texts").size());
            assertEquals(e.path("texts").get(0).asText(), s.path("query").asText());
            assertEquals(5, s.path("k").asInt());
        }
        assertTrue(Arrays.stream(embed).map(b -> new String(b, StandardCharsets.UTF_8)).distinct().count() > 900,
                "glosses drawn across the corpus, not one text repeated");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tabular", "embed", "search"})
    void answersEachBodyInTurnWithTheEndpointsResponse(String workload) throws Exception {
        CeilingBenchmark benchmark = new CeilingBenchmark();
        benchmark.workload = workload;
        benchmark.start();
        try {
            JsonNode first = JSON.readTree(benchmark.requestToResponse());
            JsonNode second = JSON.readTree(benchmark.requestToResponse());
            switch (workload) {
                case "tabular" -> {
                    assertEquals(1, first.path("predictions").size());
                    assertTrue(first.path("predictions").get(0).has("label"));
                }
                case "embed" -> {
                    assertEquals(1, first.path("embeddings").size());
                    assertEquals(384, first.path("embeddings").get(0).size());
                }
                default -> {
                    assertEquals(5, first.path("results").size());
                    assertTrue(first.path("results").get(0).has("words"));
                    assertTrue(!first.path("query").equals(second.path("query")), "the next body, not the same one again");
                }
            }
        } finally {
            benchmark.stop();
        }
    }
}
