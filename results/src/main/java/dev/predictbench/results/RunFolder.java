package dev.predictbench.results;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A run's folder under {@code results/runs/}. It is built as {@code .partial-<id>} and renamed to
 * {@code <id>} ({@code <UTC timestamp>-<commit>}) only when the run record is complete, so an
 * interrupted run never looks finished and never replaces an earlier run; ids never collide.
 */
public final class RunFolder {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    public static final String RECORD = "run.json";

    private final Path runs;
    private final String id;
    private Path dir;
    private boolean complete;

    private RunFolder(Path runs, String id, Path dir) {
        this.runs = runs;
        this.id = id;
        this.dir = dir;
    }

    /** Creates {@code runs/.partial-<stamp>-<commit>} (with a numeric suffix if that id is taken). */
    public static RunFolder create(Path runs, String commit, Instant now) throws IOException {
        Files.createDirectories(runs);
        String base = STAMP.format(now) + "-" + (commit == null || commit.isBlank() ? "nogit" : commit);
        for (int n = 0; n < 1000; n++) {
            String id = n == 0 ? base : base + "-" + n;
            if (Files.exists(runs.resolve(id))) {
                continue;
            }
            try {
                return new RunFolder(runs, id, Files.createDirectory(runs.resolve(".partial-" + id)));
            } catch (FileAlreadyExistsException e) {
                // another run took it a moment ago: try the next id
            }
        }
        throw new IOException("no free run id under " + runs + " for " + base);
    }

    public String id() {
        return id;
    }

    /** Where to write the run's files now (the partial folder until {@link #complete()}). */
    public Path dir() {
        return dir;
    }

    public boolean isComplete() {
        return complete;
    }

    /** Writes the run record atomically into the folder. */
    public void write(RunRecord record) throws IOException {
        RunRecords.write(record, dir.resolve(RECORD));
    }

    /**
     * Renames the partial folder to its final name.
     *
     * @return the final folder
     * @throws IOException when the record is missing or the final name exists (nothing is replaced)
     */
    public Path complete() throws IOException {
        return rename(id);
    }

    /**
     * Renames the partial folder of a run that stopped before measuring everything to
     * {@code <id>-incomplete}: its record is there to read, but it is never the newest complete run.
     */
    public Path incomplete() throws IOException {
        return rename(id + INCOMPLETE);
    }

    /** The suffix of an incomplete run's folder. */
    public static final String INCOMPLETE = "-incomplete";

    private Path rename(String name) throws IOException {
        if (!Files.isRegularFile(dir.resolve(RECORD))) {
            throw new IOException("run " + id + " has no " + RECORD + "; not completing it");
        }
        Path target = runs.resolve(name);
        Files.move(dir, target, StandardCopyOption.ATOMIC_MOVE);
        dir = target;
        complete = true;
        return target;
    }
}
