package dev.predictbench.springboot;

import dev.predictbench.contract.Contract;
import dev.predictbench.model.genai.EmbedRequest;
import dev.predictbench.model.genai.EmbedResponse;
import dev.predictbench.model.genai.GenAiService;
import dev.predictbench.model.genai.SearchRequest;
import dev.predictbench.model.genai.SearchResponse;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /embed} and {@code POST /search} on {@link GenAiService}, bound and refused like
 * {@code /predict}, on the Tomcat thread that took the request.
 */
@RestController
class GenAiController {
    private final GenAiService genAi;

    GenAiController(GenAiService genAi) {
        this.genAi = genAi;
    }

    @PostMapping(path = Contract.EMBED, consumes = MediaType.APPLICATION_JSON_VALUE)
    EmbedResponse embed(@RequestBody EmbedRequest request) {
        return genAi.embed(request);
    }

    @PostMapping(path = Contract.SEARCH, consumes = MediaType.APPLICATION_JSON_VALUE)
    SearchResponse search(@RequestBody SearchRequest request) {
        return genAi.search(request);
    }
}
