package dev.predictbench.langchain4j;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.predictbench.model.genai.SentenceEmbedder;
import java.util.ArrayList;
import java.util.List;

/**
 * shared-model's {@link SentenceEmbedder} as a LangChain4j {@link EmbeddingModel}: the same
 * all-MiniLM-L6-v2 session every stack uses, so LangChain4j's retrieval is fed by the same model.
 *
 * <p>Not LangChain4j's own {@code AllMiniLmL6V2EmbeddingModel}: that one starts a thread pool of one
 * thread per core beside the server's (and a second ONNX session). Here each text is embedded on the
 * calling thread, one after the other, by the one shared session.
 */
public final class SentenceEmbeddingModel implements EmbeddingModel {
    private final SentenceEmbedder embedder;

    public SentenceEmbeddingModel(SentenceEmbedder embedder) {
        this.embedder = embedder;
    }

    /** Every other way in ({@code embed(String)}, {@code embed(TextSegment)}, requests) ends here. */
    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> textSegments) {
        List<Embedding> embeddings = new ArrayList<>(textSegments.size());
        for (TextSegment segment : textSegments) {
            embeddings.add(Embedding.from(embedder.embed(segment.text())));
        }
        return Response.from(embeddings);
    }

    /** Known, so LangChain4j's default (embedding the word "test") never runs. */
    @Override
    public int dimension() {
        return SentenceEmbedder.DIMENSIONS;
    }

    @Override
    public String modelName() {
        return SentenceEmbedder.MODEL_NAME;
    }
}
