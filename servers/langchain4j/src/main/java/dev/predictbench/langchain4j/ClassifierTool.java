package dev.predictbench.langchain4j;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.predictbench.model.PredictRequest;
import dev.predictbench.model.PredictResponse;
import dev.predictbench.model.PredictService;
import java.util.List;

/**
 * The classifier as a LangChain4j tool: what an agent would be given to classify tumours. The
 * annotations are what LangChain4j turns into the tool's specification (name, description, JSON
 * schema of the arguments); {@link ToolCallPipeline} executes it from JSON arguments.
 */
public final class ClassifierTool {
    /** The tool's name, as a model would call it. */
    public static final String NAME = "classify_breast_tumours";

    private final PredictService service;

    public ClassifierTool(PredictService service) {
        this.service = service;
    }

    /** Validation and inference are shared-model's: a contract violation throws its {@code ApiException}. */
    @Tool(name = NAME, value = "Classifies breast tumour samples (Breast Cancer Wisconsin, Diagnostic) as "
            + "malignant or benign, with each class's probability.")
    public PredictResponse classify(
            @P(name = "instances", description = "Rows to classify: each row is the 30 raw feature values "
                    + "(mean radius ... worst fractal dimension) in the model card's order.")
            List<List<Double>> instances) {
        return service.predict(new PredictRequest(instances));
    }
}
