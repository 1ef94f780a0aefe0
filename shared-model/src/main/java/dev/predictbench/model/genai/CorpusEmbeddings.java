package dev.predictbench.model.genai;

import dev.predictbench.model.InferenceOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The build step that computes {@link CorpusVectors}: every {@link WordNetCorpus} entry's text
 * embedded by {@link SentenceEmbedder}, written under shared-model's class folder so it ships in the
 * jar. shared-model's pom runs it at {@code process-classes}.
 *
 * <p>It does nothing when the file is there with a header naming the same model and corpus (so a
 * rebuild costs a JVM start and two hashes); otherwise it embeds the entries on every core, each
 * thread calling the one shared session with the servers' {@link InferenceOptions#DEFAULT} (one
 * ONNX Runtime thread per call). Each vector is exactly {@code embed(entry.text())}, whatever thread
 * computed it, so the file is the same on every run on the same machine.
 *
 * <p>Run by hand: {@code java -cp <shared-model runtime classpath> dev.predictbench.model.genai.CorpusEmbeddings <classes folder>}.
 */
public final class CorpusEmbeddings {
    private CorpusEmbeddings() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: CorpusEmbeddings <output classes folder>");
            System.exit(2);
        }
        Path file = Path.of(args[0], CorpusVectors.RESOURCE.substring(1));
        WordNetCorpus corpus = WordNetCorpus.load();
        if (upToDate(file, corpus)) {
            System.out.println("[corpus-embeddings] up to date: " + file);
            return;
        }
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        long start = System.nanoTime();
        CorpusVectors vectors;
        try (SentenceEmbedder embedder = SentenceEmbedder.load(InferenceOptions.DEFAULT)) {
            vectors = embed(embedder, corpus, threads);
        }
        vectors.write(file, SentenceEmbedder.MODEL_SHA256, corpus.sha256());
        System.out.printf("[corpus-embeddings] %d entries embedded on %d threads in %.1f s: %s%n",
                corpus.size(), threads, (System.nanoTime() - start) / 1e9, file);
    }

    static boolean upToDate(Path file, WordNetCorpus corpus) throws IOException {
        if (!Files.isRegularFile(file) || Files.size(file)
                != CorpusVectors.HEADER_BYTES + (long) corpus.size() * SentenceEmbedder.DIMENSIONS * Float.BYTES) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] header = in.readNBytes(CorpusVectors.HEADER_BYTES);
            return CorpusVectors.headerProblem(header, SentenceEmbedder.MODEL_SHA256, corpus.sha256(), corpus.size()) == null;
        }
    }

    /** Every entry's embedding, computed by {@code threads} threads sharing one embedder. */
    static CorpusVectors embed(SentenceEmbedder embedder, WordNetCorpus corpus, int threads)
            throws InterruptedException, ExecutionException {
        int dims = SentenceEmbedder.DIMENSIONS;
        float[] data = new float[corpus.size() * dims];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < corpus.size(); i = next.getAndIncrement()) {
                        System.arraycopy(embedder.embed(corpus.entry(i).text()), 0, data, i * dims, dims);
                        if (done.incrementAndGet() % 5000 == 0) {
                            System.out.println("[corpus-embeddings] " + done.get() + " / " + corpus.size());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return new CorpusVectors(data, corpus.size(), dims);
    }
}
