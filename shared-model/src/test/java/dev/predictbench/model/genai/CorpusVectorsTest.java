package dev.predictbench.model.genai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusVectorsTest {
    private static final String MODEL = "ab".repeat(32);
    private static final String CORPUS = "cd".repeat(32);

    /** {@code count} random unit vectors of 384 dimensions, seeded. */
    static CorpusVectors random(int count, long seed) {
        Random random = new Random(seed);
        int dims = SentenceEmbedder.DIMENSIONS;
        float[] data = new float[count * dims];
        for (int i = 0; i < count; i++) {
            double norm = 0;
            for (int d = 0; d < dims; d++) {
                data[i * dims + d] = (float) random.nextGaussian();
                norm += data[i * dims + d] * data[i * dims + d];
            }
            for (int d = 0; d < dims; d++) {
                data[i * dims + d] /= (float) Math.sqrt(norm);
            }
        }
        return new CorpusVectors(data, count, dims);
    }

    @Test
    void nearestIsTheTopKOfAFullSortByScoreThenIndex() {
        CorpusVectors vectors = random(2000, 1);
        float[] query = random(1, 2).vector(0);
        float[] scores = vectors.scores(query);
        for (int k : new int[] {1, 3, 50, 2000}) {
            List<Integer> expected = IntStream.range(0, vectors.size()).boxed()
                    .sorted(Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparing(i -> i))
                    .limit(k).toList();
            List<Neighbour> actual = vectors.nearest(query, k);
            assertEquals(expected, actual.stream().map(Neighbour::index).toList(), "k=" + k);
            actual.forEach(n -> assertEquals(scores[n.index()], n.score()));
        }
    }

    @Test
    void equalScoresComeInCorpusOrder() {
        // Entries 3, 7 and 11 hold the same vector; the query is mostly that vector, a little of entry 5's.
        CorpusVectors base = random(16, 3);
        int dims = SentenceEmbedder.DIMENSIONS;
        float[] data = new float[16 * dims];
        for (int i = 0; i < 16; i++) {
            System.arraycopy(base.vector(i), 0, data, i * dims, dims);
        }
        for (int i : new int[] {3, 11}) {
            System.arraycopy(base.vector(7), 0, data, i * dims, dims);
        }
        CorpusVectors vectors = new CorpusVectors(data, 16, dims);
        float[] query = new float[dims];
        for (int d = 0; d < dims; d++) {
            query[d] = 0.8f * base.vector(7)[d] + 0.2f * base.vector(5)[d];
        }
        for (int run = 0; run < 3; run++) {
            List<Integer> order = vectors.nearest(query, 5).stream().map(Neighbour::index).toList();
            assertEquals(List.of(3, 7, 11), order.subList(0, 3).stream().sorted().toList(), "the three ties lead");
            assertEquals(List.of(3, 7, 11), order.subList(0, 3), "ties by index");
            assertEquals(5, order.get(3));
        }
        assertEquals(List.of(3, 7), vectors.nearest(query, 2).stream().map(Neighbour::index).toList(),
                "a cut through ties keeps the lower indices");
    }

    @Test
    void refusesKOutsideTheCorpusAndQueriesOfTheWrongLength() {
        CorpusVectors vectors = random(10, 4);
        assertThrows(IllegalArgumentException.class, () -> vectors.nearest(vectors.vector(0), 0));
        assertThrows(IllegalArgumentException.class, () -> vectors.nearest(vectors.vector(0), 11));
        assertThrows(IllegalArgumentException.class, () -> vectors.nearest(new float[3], 1));
    }

    @Test
    void writesAndReadsBackTheSameFloats(@TempDir Path dir) throws Exception {
        CorpusVectors vectors = random(25, 5);
        Path file = dir.resolve("v.vectors");
        vectors.write(file, MODEL, CORPUS);
        assertEquals(CorpusVectors.HEADER_BYTES + 25L * 384 * 4, Files.size(file));
        CorpusVectors back = CorpusVectors.read(new ByteArrayInputStream(Files.readAllBytes(file)), MODEL, CORPUS, 25);
        for (int i = 0; i < 25; i++) {
            assertEquals(java.util.Arrays.toString(vectors.vector(i)), java.util.Arrays.toString(back.vector(i)));
        }
    }

    @Test
    void refusesVectorsOfAnotherModelOrCorpusOrSize(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("v.vectors");
        random(25, 6).write(file, MODEL, CORPUS);
        byte[] bytes = Files.readAllBytes(file);
        for (var bad : List.<Runnable>of(
                () -> read(bytes, CORPUS, CORPUS, 25),
                () -> read(bytes, MODEL, MODEL, 25),
                () -> read(bytes, MODEL, CORPUS, 24),
                () -> read(java.util.Arrays.copyOf(bytes, bytes.length - 4), MODEL, CORPUS, 25),
                () -> read("not vectors at all, not at all, not at all, not at all, not at all, not at all".getBytes(), MODEL, CORPUS, 25))) {
            IllegalStateException e = assertThrows(IllegalStateException.class, bad::run);
            assertTrue(e.getMessage().contains(CorpusVectors.RESOURCE), e.getMessage());
        }
    }

    private static void read(byte[] bytes, String model, String corpus, int count) {
        try {
            CorpusVectors.read(new ByteArrayInputStream(bytes), model, corpus, count);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
