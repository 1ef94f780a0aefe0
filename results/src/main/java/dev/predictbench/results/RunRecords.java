package dev.predictbench.results;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Reads and writes {@code run.json}. Writing is atomic; reading accepts every schema version up to the current one. */
public final class RunRecords {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            // Newer minor additions must not break older readers of the same schema version.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private RunRecords() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static String toJson(RunRecord record) throws IOException {
        return MAPPER.writeValueAsString(record) + "\n";
    }

    /** Writes the record to a temporary file beside {@code file} and moves it into place atomically. */
    public static void write(RunRecord record, Path file) throws IOException {
        writeAtomically(file, toJson(record));
    }

    /** Writes text to a temporary file beside {@code file} and moves it into place atomically. */
    public static void writeAtomically(Path file, String text) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, text);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * A finished run's folder: named by its id (not {@code .partial-*}, not {@code *-incomplete}) and
     * holding its record. An incomplete run is read when named, never taken for the newest run.
     */
    public static boolean finished(Path folder) {
        String name = folder.getFileName().toString();
        return !name.startsWith(".") && !name.endsWith(RunFolder.INCOMPLETE) && Files.isRegularFile(folder.resolve(RunFolder.RECORD));
    }

    /**
     * Reads a run record of any schema version this code knows.
     *
     * @throws IOException when the file is not a run record or is from a newer schema
     */
    public static RunRecord read(Path file) throws IOException {
        JsonNode tree = MAPPER.readTree(file.toFile());
        if (tree == null || !tree.has("schemaVersion")) {
            throw new IOException(file + " is not a run record (no schemaVersion)");
        }
        int version = tree.path("schemaVersion").asInt();
        if (version > RunRecord.SCHEMA_VERSION) {
            throw new IOException(file + " has schema version " + version + "; this predict-bench reads up to "
                    + RunRecord.SCHEMA_VERSION + ": update predict-bench");
        }
        // Version 1 is the first; later versions add an upgrade step here for each older one.
        return MAPPER.treeToValue(tree, RunRecord.class);
    }
}
