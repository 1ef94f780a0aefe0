package dev.predictbench.equivalence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.predictbench.contract.Contract;
import dev.predictbench.contract.Stacks;
import dev.predictbench.contract.kit.HttpProbe;
import dev.predictbench.contract.launch.JvmSettings;
import dev.predictbench.contract.launch.ServerProcess;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link EquivalenceIT}'s checks with batching on ({@code PREDICTBENCH_BATCHING=on}) on every
 * JVM stack (the batcher is the shared inference module's), the requests sent 16 at a time so that they are batched together, against the answers of
 * an unbatched Javalin server: probabilities within 1e-6, embeddings and search scores within 1e-5
 * (a batched matrix product adds in another order), the same labels and entries.
 */
class BatchedEquivalenceIT extends EquivalenceIT {
    /** The JVM stacks: the batcher is the shared inference module's. */
    @Override
    List<Stacks> stacks() {
        return super.stacks().stream().filter(Stacks::isJvm).toList();
    }

    @Override
    Map<String, String> environment() {
        return Map.of("PREDICTBENCH_BATCHING", "on");
    }

    @Override
    int concurrency() {
        return 16;
    }

    @Override
    double embeddingTolerance() {
        return 1e-5;
    }

    @Override
    ServerProcess startReference(Path root, JvmSettings jvm) {
        return ServerProcess.start(Stacks.JAVALIN, root, jvm, log("javalin-reference-unbatched"),
                Map.of("PREDICTBENCH_BATCHING", "off"));
    }

    /** Stops the servers, then reads what each logged at its stop: requests were in fact batched together. */
    @Override
    @org.junit.jupiter.api.AfterAll
    void stopEveryServer() {
        super.stopEveryServer();
        for (var server : servers.entrySet()) {
            String log;
            try {
                log = java.nio.file.Files.readString(server.getValue().log());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("embedder batcher: (\\d+) model calls, (\\d+) rows")
                    .matcher(log);
            assertTrue(m.find(), server.getKey().id() + " logged no batcher line at its stop");
            assertTrue(Long.parseLong(m.group(2)) > Long.parseLong(m.group(1)),
                    server.getKey().id() + " never batched two texts together: " + m.group());
        }
    }

    @Test
    void everyStackReportsBatchingOnAndTheReferenceOff() throws Exception {
        for (var server : servers.entrySet()) {
            JsonNode batching = new HttpProbe(server.getValue().baseUri()).get(Contract.INFO).json().path("batching");
            assertTrue(batching.path("enabled").asBoolean(), server.getKey().id() + ": " + batching);
            assertTrue(batching.path("maxBatch").asInt() > 1, server.getKey().id() + ": " + batching);
        }
        JsonNode off = new HttpProbe(reference.baseUri()).get(Contract.INFO).json().path("batching");
        assertEquals(false, off.path("enabled").asBoolean(true), off.toString());
    }
}
