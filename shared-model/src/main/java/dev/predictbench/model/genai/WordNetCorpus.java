package dev.predictbench.model.genai;

import dev.predictbench.model.OnnxPredictor;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The search corpus: the first {@value #SIZE} noun synsets of WordNet 3.0 in synset-offset order
 * (the order of WordNet's {@code data.noun}), each with its words and gloss. A reverse dictionary:
 * describe a thing, find its word. WordNet 3.0, Princeton University; the licence travels beside the
 * data ({@code wordnet-LICENSE.txt} and {@code NOTICE} in the resource folder).
 *
 * <p>What is embedded for an entry is its gloss as WordNet writes it ({@link Entry#text()}), so a
 * query that describes a thing meets the description of the thing.
 */
public final class WordNetCorpus {
    public static final String FOLDER = "/dev/predictbench/model/wordnet/";
    public static final String RESOURCE = FOLDER + "wordnet-noun-glosses-20k.tsv.gz";
    public static final String NAME = "wordnet-3.0-noun-glosses-first-20000";
    public static final int SIZE = 20_000;

    /**
     * One synset.
     *
     * @param index  its position in the corpus, 0-based: the index of its vector in {@link CorpusVectors}
     * @param synset WordNet's synset offset in {@code data.noun}, eight digits: a stable id
     * @param words  its lemmas, as WordNet lists them
     * @param gloss  its definition, with WordNet's examples when it has some
     */
    public record Entry(int index, String synset, List<String> words, String gloss) {
        /** The text whose embedding represents this entry. */
        public String text() {
            return gloss;
        }
    }

    private final List<Entry> entries;
    private final String sha256;

    private WordNetCorpus(List<Entry> entries, String sha256) {
        this.entries = entries;
        this.sha256 = sha256;
    }

    /** The corpus bundled in shared-model. */
    public static WordNetCorpus load() {
        byte[] gz;
        try (InputStream in = WordNetCorpus.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + RESOURCE);
            }
            gz = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        return new WordNetCorpus(parse(gz), OnnxPredictor.sha256(gz));
    }

    private static List<Entry> parse(byte[] gz) {
        List<Entry> entries = new ArrayList<>(SIZE);
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(new ByteArrayInputStream(gz)), StandardCharsets.UTF_8))) {
            String header = reader.readLine();
            if (!"synset_offset\twords\tgloss".equals(header)) {
                throw new IllegalStateException(RESOURCE + ": unexpected header " + header);
            }
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String[] cells = line.split("\t", -1);
                if (cells.length != 3) {
                    throw new IllegalStateException(RESOURCE + " line " + (entries.size() + 2) + ": " + cells.length
                            + " cells, expected 3");
                }
                entries.add(new Entry(entries.size(), cells[0], List.of(cells[1].split(", ")), cells[2]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        if (entries.size() != SIZE) {
            throw new IllegalStateException(RESOURCE + " has " + entries.size() + " entries, expected " + SIZE);
        }
        return List.copyOf(entries);
    }

    /** Every entry, by index. */
    public List<Entry> entries() {
        return entries;
    }

    /**
     * {@code n} glosses drawn at random with {@code new Random(seed)}, repeats allowed: the texts of
     * the GenAI workloads, so the load harness and the in-process benchmarks send the same ones.
     */
    public List<String> glossSample(long seed, int n) {
        java.util.Random random = new java.util.Random(seed);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(entries.get(random.nextInt(entries.size())).gloss());
        }
        return out;
    }

    public Entry entry(int index) {
        return entries.get(index);
    }

    public int size() {
        return entries.size();
    }

    /** SHA-256 of the bundled (gzipped) file: part of the key of the precomputed vectors. */
    public String sha256() {
        return sha256;
    }
}
