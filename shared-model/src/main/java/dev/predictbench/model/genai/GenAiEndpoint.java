package dev.predictbench.model.genai;

/**
 * What answers {@code POST /embed} and {@code POST /search}, and what it has done (for the
 * metrics). Both calls validate their request and throw the contract's
 * {@link dev.predictbench.model.ApiException}. {@link GenAiService} is the plain implementation; a
 * stack built on an LLM framework puts that framework's retrieval in its place (the LangChain4j
 * stack's {@code GlossRetrieval}), so one HTTP glue can host either.
 */
public interface GenAiEndpoint {
    EmbedResponse embed(EmbedRequest request);

    SearchResponse search(SearchRequest request);

    /** Texts embedded by {@code /embed} since start. */
    long textsEmbedded();

    /** Searches answered since start. */
    long searches();
}
