package dev.predictbench.model.genai;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The precomputed embeddings of every corpus entry, one unit vector per entry in corpus order, and
 * the exact nearest-neighbour search over them.
 *
 * <p>Computed once at build time by {@link CorpusEmbeddings} into shared-model's classes (never at a
 * server's start) and read here in one pass into one {@code float[]}. The file is little-endian:
 * the magic {@code PBVECS01}, the vector count and dimensions (int32 each), the SHA-256 of the model
 * and of the corpus file (32 bytes each), then the floats row by row. {@link #load} refuses a file
 * made from another model or corpus.
 *
 * <p>Search is a full scan: every score is a dot product, so results are exact, and ties are
 * broken by corpus index (the lower index first), so the order is the same on every run and stack.
 */
public final class CorpusVectors {
    /** Classpath location of the vectors of {@link WordNetCorpus} by {@link SentenceEmbedder}. */
    public static final String RESOURCE = WordNetCorpus.FOLDER + "wordnet-noun-glosses-20k.all-minilm-l6-v2.vectors";
    static final byte[] MAGIC = "PBVECS01".getBytes(StandardCharsets.US_ASCII);
    static final int HEADER_BYTES = MAGIC.length + 4 + 4 + 32 + 32;

    private final float[] data;
    private final int count;
    private final int dimensions;

    /** Vectors held row-major in {@code data} ({@code count * dimensions} floats); not copied. */
    CorpusVectors(float[] data, int count, int dimensions) {
        if (data.length != (long) count * dimensions) {
            throw new IllegalArgumentException(data.length + " floats are not " + count + " x " + dimensions);
        }
        this.data = data;
        this.count = count;
        this.dimensions = dimensions;
    }

    /** The bundled vectors, checked against the model and the corpus they must come from. */
    public static CorpusVectors load(WordNetCorpus corpus) {
        try (InputStream in = CorpusVectors.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + RESOURCE
                        + ": shared-model's build computes it (process-classes, CorpusEmbeddings)");
            }
            return read(in, SentenceEmbedder.MODEL_SHA256, corpus.sha256(), corpus.size());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    static CorpusVectors read(InputStream in, String modelSha256, String corpusSha256, int expectedCount)
            throws IOException {
        byte[] header = in.readNBytes(HEADER_BYTES);
        String problem = headerProblem(header, modelSha256, corpusSha256, expectedCount);
        if (problem != null) {
            throw new IllegalStateException(RESOURCE + " " + problem + ": rebuild shared-model");
        }
        ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        int count = h.getInt(MAGIC.length);
        int dimensions = h.getInt(MAGIC.length + 4);
        float[] data = new float[count * dimensions];
        // In 1 MiB chunks straight into the float[]: the file is never held twice.
        byte[] chunk = new byte[1 << 20];
        int filled = 0;
        while (filled < data.length) {
            int want = Math.min(chunk.length, (data.length - filled) * Float.BYTES);
            int got = in.readNBytes(chunk, 0, want);
            if (got != want) {
                throw new IllegalStateException(RESOURCE + " is truncated");
            }
            ByteBuffer.wrap(chunk, 0, got).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data, filled, got / Float.BYTES);
            filled += got / Float.BYTES;
        }
        if (in.read() != -1) {
            throw new IllegalStateException(RESOURCE + " has data after its last vector");
        }
        return new CorpusVectors(data, count, dimensions);
    }

    /** Null when the header is for this model and corpus, else what is wrong with it. */
    static String headerProblem(byte[] header, String modelSha256, String corpusSha256, int expectedCount) {
        if (header.length < HEADER_BYTES || !Arrays.equals(Arrays.copyOf(header, MAGIC.length), MAGIC)) {
            return "is not a vector file";
        }
        ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        int count = h.getInt(MAGIC.length);
        int dimensions = h.getInt(MAGIC.length + 4);
        HexFormat hex = HexFormat.of();
        String model = hex.formatHex(header, MAGIC.length + 8, MAGIC.length + 40);
        String corpus = hex.formatHex(header, MAGIC.length + 40, MAGIC.length + 72);
        if (!model.equals(modelSha256)) {
            return "was made by model sha256 " + model + ", not " + modelSha256;
        }
        if (!corpus.equals(corpusSha256)) {
            return "was made from corpus sha256 " + corpus + ", not " + corpusSha256;
        }
        if (count != expectedCount || dimensions != SentenceEmbedder.DIMENSIONS) {
            return "holds " + count + " x " + dimensions + " floats, expected " + expectedCount + " x "
                    + SentenceEmbedder.DIMENSIONS;
        }
        return null;
    }

    /** Writes the vectors with their header, atomically (a temporary file, then a move). */
    void write(Path file, String modelSha256, String corpusSha256) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN)
                .put(MAGIC).putInt(count).putInt(dimensions)
                .put(HexFormat.of().parseHex(modelSha256)).put(HexFormat.of().parseHex(corpusSha256));
        try (OutputStream out = Files.newOutputStream(tmp)) {
            out.write(header.array());
            ByteBuffer row = ByteBuffer.allocate(dimensions * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < count; i++) {
                row.clear();
                row.asFloatBuffer().put(data, i * dimensions, dimensions);
                out.write(row.array());
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public int size() {
        return count;
    }

    public int dimensions() {
        return dimensions;
    }

    /** A copy of entry {@code index}'s vector. */
    public float[] vector(int index) {
        return Arrays.copyOfRange(data, index * dimensions, (index + 1) * dimensions);
    }

    /**
     * The {@code k} entries most similar to {@code query} (a unit vector, e.g. from
     * {@link SentenceEmbedder#embed}), best first; equal scores in corpus order.
     *
     * @throws IllegalArgumentException when k is not in 1..size() or the query has the wrong length
     */
    public List<Neighbour> nearest(float[] query, int k) {
        checkQuery(query);
        if (k < 1 || k > count) {
            throw new IllegalArgumentException("k must be in 1.." + count + ", got " + k);
        }
        // The best k so far, sorted by score descending then index ascending. Entries arrive in index
        // order, so a later entry joins only when strictly better than the k-th and goes after every
        // kept entry with a score at least its own: ties stay in corpus order.
        float[] bestScores = new float[k];
        int[] bestIndices = new int[k];
        int kept = 0;
        for (int i = 0; i < count; i++) {
            float s = dot(query, i * dimensions);
            if (kept == k && s <= bestScores[k - 1]) {
                continue;
            }
            int at = kept < k ? kept : k - 1;
            while (at > 0 && bestScores[at - 1] < s) {
                bestScores[at] = bestScores[at - 1];
                bestIndices[at] = bestIndices[at - 1];
                at--;
            }
            bestScores[at] = s;
            bestIndices[at] = i;
            if (kept < k) {
                kept++;
            }
        }
        List<Neighbour> out = new ArrayList<>(kept);
        for (int j = 0; j < kept; j++) {
            out.add(new Neighbour(bestIndices[j], bestScores[j]));
        }
        return out;
    }

    /** Every entry's score against {@code query}, by index: the scan of {@link #nearest} without the selection. */
    public float[] scores(float[] query) {
        checkQuery(query);
        float[] out = new float[count];
        for (int i = 0; i < count; i++) {
            out[i] = dot(query, i * dimensions);
        }
        return out;
    }

    private void checkQuery(float[] query) {
        if (query.length != dimensions) {
            throw new IllegalArgumentException("query has " + query.length + " values, vectors have " + dimensions);
        }
    }

    /**
     * Four partial sums: the JIT does not vectorise a float reduction (it may not reorder the sum), so
     * independent accumulators are what lets the CPU overlap the multiply-adds. The order of additions
     * is fixed, so a score is the same on every run.
     */
    private float dot(float[] q, int offset) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int d = 0;
        for (; d + 3 < dimensions; d += 4) {
            s0 += q[d] * data[offset + d];
            s1 += q[d + 1] * data[offset + d + 1];
            s2 += q[d + 2] * data[offset + d + 2];
            s3 += q[d + 3] * data[offset + d + 3];
        }
        for (; d < dimensions; d++) {
            s0 += q[d] * data[offset + d];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
