package dev.predictbench.langchain4j;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.predictbench.model.genai.GenAiService;
import dev.predictbench.model.genai.SentenceEmbedder;
import java.util.ArrayList;
import java.util.List;

/**
 * shared-model's embedding model call ({@link GenAiService#embedTexts}) as a LangChain4j
 * {@link EmbeddingModel}: the same all-MiniLM-L6-v2 session every stack uses, so LangChain4j's
 * retrieval is fed by the same model, and batched with other requests when batching is on.
 *
 * <p>Not LangChain4j's own {@code AllMiniLmL6V2EmbeddingModel}: that one starts a thread pool of one
 * thread per core beside the server's (and a second ONNX session). Here the texts are embedded on the
 * calling thread (or in the batch it joins) by the one shared session.
 */
public final class SentenceEmbeddingModel implements EmbeddingModel {
    private final GenAiService service;

    public SentenceEmbeddingModel(GenAiService service) {
        this.service = service;
    }

    /** Every other way in ({@code embed(String)}, {@code embed(TextSegment)}, requests) ends here. */
    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> textSegments) {
        List<Embedding> embeddings = new ArrayList<>(textSegments.size());
        for (float[] vector : service.embedTexts(textSegments.stream().map(TextSegment::text).toList())) {
            embeddings.add(Embedding.from(vector));
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
