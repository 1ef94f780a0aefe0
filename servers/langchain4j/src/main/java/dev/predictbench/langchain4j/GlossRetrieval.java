package dev.predictbench.langchain4j;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.content.ContentMetadata;
import dev.langchain4j.rag.content.retriever.ContentRetriever;
import dev.langchain4j.rag.content.retriever.EmbeddingStoreContentRetriever;
import dev.langchain4j.rag.query.Query;
import dev.langchain4j.store.embedding.CosineSimilarity;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import dev.predictbench.model.ApiException;
import dev.predictbench.model.ErrorCode;
import dev.predictbench.model.genai.CorpusVectors;
import dev.predictbench.model.genai.EmbedRequest;
import dev.predictbench.model.genai.EmbedResponse;
import dev.predictbench.model.genai.GenAiEndpoint;
import dev.predictbench.model.genai.GenAiService;
import dev.predictbench.model.genai.GenAiValidator;
import dev.predictbench.model.genai.Neighbour;
import dev.predictbench.model.genai.SearchRequest;
import dev.predictbench.model.genai.SearchResponse;
import dev.predictbench.model.genai.SentenceEmbedder;
import dev.predictbench.model.genai.WordNetCorpus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code /embed} and {@code /search} the LangChain4j way: an {@link InMemoryEmbeddingStore} of
 * {@link TextSegment}s holding every WordNet gloss with its precomputed vector (nothing is embedded
 * again at start), searched by an {@link EmbeddingStoreContentRetriever} over
 * {@link SentenceEmbeddingModel} (shared-model's embedder). Validation and the response body are
 * {@link GenAiService}'s, so errors and bodies equal the other stacks'.
 *
 * <p>Two things LangChain4j does differently from shared-model are undone here, so the results are
 * the same entries in the same order with the same scores (within 1e-5, float rounding):
 * <ul>
 *   <li>the store's score is a relevance, {@code (cosine + 1) / 2} in double; LangChain4j's own
 *       inverse ({@link CosineSimilarity#fromRelevanceScore}, {@code 2s - 1}) gives the cosine back,
 *       rounded to float as shared-model's scores are;</li>
 *   <li>the store breaks no ties: its top-k heap drops an arbitrary one of equal scores, and the
 *       corpus has glosses that appear up to {@code mostCopies} times with identical vectors, so
 *       identical scores are real. Each retriever therefore asks for {@code k + mostCopies - 1}
 *       matches (enough to hold every entry tied at the k-th place), and the hits are sorted by
 *       score, then corpus index (kept in each segment's metadata), and cut to k.</li>
 * </ul>
 *
 * <p>k changes per request and a retriever's maximum is fixed when it is built, so one retriever per
 * k from 1 to {@code maxK} is built at start (they share the store and the model; building one is a
 * few fields, so the cache is cheap and keeps request paths free of construction).
 */
public final class GlossRetrieval implements GenAiEndpoint {
    /** The metadata key of a segment's corpus index. */
    static final String INDEX = "index";

    private final GenAiService service;
    private final GenAiValidator validator;
    private final EmbeddingModel model;
    private final int mostCopies;
    private final ContentRetriever[] retrievers;
    private final LongAdder textsEmbedded = new LongAdder();
    private final LongAdder searches = new LongAdder();

    public GlossRetrieval(GenAiService service) {
        this.service = service;
        this.validator = service.validator();
        this.model = new SentenceEmbeddingModel(service);
        WordNetCorpus corpus = service.corpus();
        CorpusVectors vectors = service.vectors();
        List<String> ids = new ArrayList<>(corpus.size());
        List<Embedding> embeddings = new ArrayList<>(corpus.size());
        List<TextSegment> segments = new ArrayList<>(corpus.size());
        Map<VectorKey, Integer> copies = new HashMap<>();
        int most = 1;
        for (WordNetCorpus.Entry entry : corpus.entries()) {
            float[] vector = vectors.vector(entry.index());
            ids.add(entry.synset());
            embeddings.add(Embedding.from(vector));
            segments.add(TextSegment.from(entry.text(), new Metadata().put(INDEX, entry.index())));
            most = Math.max(most, copies.merge(new VectorKey(vector), 1, Integer::sum));
        }
        this.mostCopies = most;
        EmbeddingStore<TextSegment> store = new InMemoryEmbeddingStore<>();
        store.addAll(ids, embeddings, segments);
        int maxK = service.limits().maxK();
        this.retrievers = new ContentRetriever[maxK + 1];
        for (int k = 1; k <= maxK; k++) {
            // No minScore: LangChain4j's default 0.0 is a cosine of -1, so no entry is left out.
            retrievers[k] = EmbeddingStoreContentRetriever.builder()
                    .embeddingStore(store)
                    .embeddingModel(model)
                    .maxResults(Math.min(k + mostCopies - 1, corpus.size()))
                    .build();
        }
    }

    /** Validates, then embeds each text through the {@link EmbeddingModel} (its {@code embedAll}). */
    @Override
    public EmbedResponse embed(EmbedRequest request) {
        List<String> texts = validator.validate(request);
        // LangChain4j's model runs inside the process's bound (or batcher), like GenAiService's own calls.
        List<Embedding> embeddings = service.bounded(
                () -> model.embedAll(texts.stream().map(TextSegment::from).toList()).content());
        textsEmbedded.add(texts.size());
        return new EmbedResponse(SentenceEmbedder.MODEL_NAME, SentenceEmbedder.DIMENSIONS,
                embeddings.stream().map(Embedding::vector).toList());
    }

    /** Validates, retrieves through LangChain4j, and answers with shared-model's body. */
    @Override
    public SearchResponse search(SearchRequest request) {
        GenAiValidator.ValidSearch valid = validator.validate(request);
        List<Neighbour> hits = service.bounded(() -> nearest(valid.query(), valid.k()));
        searches.increment();
        return service.respond(valid.query(), hits);
    }

    /** The k best entries for a query as LangChain4j's retriever finds them, best first, ties by index. */
    List<Neighbour> nearest(String query, int k) {
        List<Content> contents = retrievers[k].retrieve(Query.from(query));
        List<Neighbour> hits = new ArrayList<>(contents.size());
        for (Content content : contents) {
            double relevance = (Double) content.metadata().get(ContentMetadata.SCORE);
            float cosine = (float) CosineSimilarity.fromRelevanceScore(relevance);
            hits.add(new Neighbour(content.textSegment().metadata().getInteger(INDEX), cosine));
        }
        hits.sort(Comparator.comparing(Neighbour::score, Comparator.reverseOrder())
                .thenComparingInt(Neighbour::index));
        return List.copyOf(hits.subList(0, Math.min(k, hits.size())));
    }

    /**
     * A vector as a map key, equal by contents. (Not {@code FloatBuffer}: its hash casts each float
     * to int, so every unit vector hashes alike and the map degenerates.)
     */
    private record VectorKey(float[] vector) {
        @Override
        public boolean equals(Object o) {
            return o instanceof VectorKey other && Arrays.equals(vector, other.vector);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(vector);
        }
    }

    /** The largest number of corpus entries sharing one vector: how far past k each retriever looks. */
    int mostCopies() {
        return mostCopies;
    }

    @Override
    public long textsEmbedded() {
        return textsEmbedded.sum();
    }

    @Override
    public long searches() {
        return searches.sum();
    }
}
