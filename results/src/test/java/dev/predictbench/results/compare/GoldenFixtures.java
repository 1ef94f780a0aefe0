package dev.predictbench.results.compare;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.predictbench.results.RunRecords;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Run records for the comparison tests: the golden record, edited, written to a folder. */
final class GoldenFixtures {
    private GoldenFixtures() {
    }

    /** The golden record, changed by {@code edit}, written to {@code dir/name.json}. */
    static Path fixture(Path dir, String name, Consumer<ObjectNode> edit) throws IOException {
        ObjectNode root;
        try (InputStream in = GoldenFixtures.class.getResourceAsStream("/dev/predictbench/results/run-v1.json")) {
            root = (ObjectNode) RunRecords.mapper().readTree(in);
        }
        edit.accept(root);
        Path file = dir.resolve(name + ".json");
        Files.writeString(file, RunRecords.mapper().writeValueAsString(root));
        return file;
    }

    /** The record's first stack. */
    static ObjectNode stack(ObjectNode run) {
        return (ObjectNode) run.path("stacks").get(0);
    }
}
