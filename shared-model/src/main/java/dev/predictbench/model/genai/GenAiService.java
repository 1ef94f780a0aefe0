package dev.predictbench.model.genai;

import dev.predictbench.model.DynamicBatcher;
import dev.predictbench.model.InflightLimit;
import dev.predictbench.model.InferenceOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * What every server calls for {@code POST /embed} and {@code POST /search}: validate, embed, search,
 * answer. One instance per process, shared by all request threads (no thread of its own: each call
 * runs on the caller's thread). Framework glue binds the JSON, calls {@link #embed(EmbedRequest)} or
 * {@link #search(SearchRequest)}, and turns an {@link dev.predictbench.model.ApiException} into the
 * contract's error, as for {@code /predict}.
 *
 * <p>A stack that retrieves its own way (LangChain4j: an {@code EmbeddingStore} over an
 * {@code EmbeddingModel}) takes the parts from here: {@link #embedTexts} to wrap as its embedding
 * model and {@link #bounded} around its requests' work, {@link #corpus()} and {@link #vectors()} to fill its store (entry {@code i}'s vector is
 * {@code vectors().vector(i)}), {@link #validator()} for the same rules, and
 * {@link #respond(String, List)} to answer with the same body.
 */
public final class GenAiService implements GenAiEndpoint, AutoCloseable {
    private final SentenceEmbedder embedder;
    private final WordNetCorpus corpus;
    private final CorpusVectors vectors;
    private final GenAiLimits limits;
    private final GenAiValidator validator;
    private final InflightLimit inflight;
    /** The batcher of model calls ({@code /embed} texts and {@code /search} queries together) when batching is on. */
    private final DynamicBatcher<List<String>, List<float[]>> batcher;
    private final LongAdder textsEmbedded = new LongAdder();
    private final LongAdder searches = new LongAdder();

    public GenAiService(SentenceEmbedder embedder, WordNetCorpus corpus, CorpusVectors vectors, GenAiLimits limits) {
        this(embedder, corpus, vectors, limits, InflightLimit.forProcess());
    }

    public GenAiService(SentenceEmbedder embedder, WordNetCorpus corpus, CorpusVectors vectors, GenAiLimits limits,
                        InflightLimit inflight) {
        if (vectors.size() != corpus.size() || vectors.dimensions() != SentenceEmbedder.DIMENSIONS) {
            throw new IllegalArgumentException(vectors.size() + " x " + vectors.dimensions() + " vectors for "
                    + corpus.size() + " entries of " + SentenceEmbedder.DIMENSIONS + " dimensions");
        }
        this.embedder = embedder;
        this.corpus = corpus;
        this.vectors = vectors;
        this.limits = limits;
        this.validator = new GenAiValidator(limits);
        this.inflight = inflight;
        this.batcher = inflight.batching().enabled()
                ? new DynamicBatcher<>("embedder", inflight, List::size, DynamicBatcher.rowwise(embedder::embedBatch))
                : null;
    }

    /**
     * The model, the corpus and its precomputed vectors from the classpath, with
     * {@link InferenceOptions#fromEnvironment()} and {@link GenAiLimits#fromEnvironment()}: what a
     * server does at start (about a second: the ONNX session and reading the vectors).
     */
    public static GenAiService fromEnvironment() {
        return load(InferenceOptions.fromEnvironment(), GenAiLimits.fromEnvironment());
    }

    /** The bundled model, corpus and vectors with the given settings. */
    public static GenAiService load(InferenceOptions options, GenAiLimits limits) {
        return load(options, limits, InflightLimit.forProcess());
    }

    /** The bundled model, corpus and vectors, bounded by the given in-flight limit (tests pass a small one). */
    public static GenAiService load(InferenceOptions options, GenAiLimits limits, InflightLimit inflight) {
        WordNetCorpus corpus = WordNetCorpus.load();
        CorpusVectors vectors = CorpusVectors.load(corpus);
        return new GenAiService(SentenceEmbedder.load(options), corpus, vectors, limits, inflight);
    }

    /**
     * Validates and embeds.
     *
     * @throws dev.predictbench.model.ApiException when the request breaks a rule of the contract
     */
    public EmbedResponse embed(EmbedRequest request) {
        List<String> texts = validator.validate(request);
        EmbedResponse response = new EmbedResponse(SentenceEmbedder.MODEL_NAME, SentenceEmbedder.DIMENSIONS,
                bounded(() -> embedTexts(texts)));
        textsEmbedded.add(texts.size());
        return response;
    }

    /**
     * Validates, embeds the query and returns the k most similar corpus entries.
     *
     * @throws dev.predictbench.model.ApiException when the request breaks a rule of the contract
     */
    public SearchResponse search(SearchRequest request) {
        GenAiValidator.ValidSearch valid = validator.validate(request);
        List<Neighbour> hits = bounded(() -> vectors.nearest(embedTexts(List.of(valid.query())).getFirst(), valid.k()));
        searches.increment();
        return respond(valid.query(), hits);
    }

    /**
     * The response for hits found by any means: the entries of {@code hits} in the given order, with
     * their scores as the shortest decimal of the 32-bit score. A stack that searches with its own
     * store passes its hits (corpus index and cosine similarity) here to answer the same body.
     */
    public SearchResponse respond(String query, List<Neighbour> hits) {
        List<SearchResult> results = new ArrayList<>(hits.size());
        for (Neighbour hit : hits) {
            WordNetCorpus.Entry entry = corpus.entry(hit.index());
            // Float.toString: the shortest decimal that round-trips the float, the same on every stack.
            results.add(new SearchResult(entry.synset(), entry.words(), entry.gloss(),
                    Double.parseDouble(Float.toString(hit.score()))));
        }
        return new SearchResponse(SentenceEmbedder.MODEL_NAME, query, results);
    }

    /**
     * Runs a request's inference work within the process's bound: unbatched, inside the in-flight
     * limit's {@link InflightLimit#call}; batched, as it is, because its model calls
     * ({@link #embedTexts}) wait in the batcher, which is then the bound (a permit held while waiting
     * for a batch would cap every batch at the permits). Work around the model call (the corpus scan)
     * then runs on the request's thread. A stack that embeds or searches through its own pieces wraps
     * them in this, and embeds with {@link #embedTexts}, to be bounded and batched alike.
     */
    public <T> T bounded(java.util.function.Supplier<T> work) {
        return batcher != null ? work.get() : inflight.call(work);
    }

    /**
     * The model call for texts, to be called inside {@link #bounded}: batched with other requests'
     * texts when batching is on, else each text embedded alone on this thread.
     */
    public List<float[]> embedTexts(List<String> texts) {
        return batcher != null ? batcher.call(texts) : embedder.embedAll(texts);
    }

    /** The batcher of model calls, when batching is on. */
    public java.util.Optional<DynamicBatcher<List<String>, List<float[]>>> batcher() {
        return java.util.Optional.ofNullable(batcher);
    }

    /** The bound on inference calls in flight (the same instance as the process's {@link PredictService} by default). */
    public InflightLimit inflight() {
        return inflight;
    }

    public SentenceEmbedder embedder() {
        return embedder;
    }

    public WordNetCorpus corpus() {
        return corpus;
    }

    public CorpusVectors vectors() {
        return vectors;
    }

    public GenAiValidator validator() {
        return validator;
    }

    public GenAiLimits limits() {
        return limits;
    }

    public InferenceOptions inferenceOptions() {
        return embedder.options();
    }

    /** Texts embedded by {@code /embed} since start (search queries not included). */
    public long textsEmbedded() {
        return textsEmbedded.sum();
    }

    /** Searches answered since start. */
    public long searches() {
        return searches.sum();
    }

    /** Closes the model; with batching on, says on stderr how the batches went (the server log keeps it). */
    @Override
    public void close() {
        if (batcher != null) {
            System.err.println("predict-bench: " + batcher.describe());
        }
        embedder.close();
    }
}
