package dev.predictbench.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonNumberSchema;
import dev.predictbench.model.ApiException;
import dev.predictbench.model.BreastCancerData;
import dev.predictbench.model.ErrorCode;
import dev.predictbench.model.PredictRequest;
import dev.predictbench.model.PredictService;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@code /predict}'s LangChain4j pipeline: a real tool, executed by LangChain4j from JSON arguments. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ToolCallPipelineTest {
    private PredictService service;
    private ToolCallPipeline pipeline;
    private List<List<Double>> rows;

    @BeforeAll
    void start() {
        service = PredictService.fromEnvironment();
        pipeline = new ToolCallPipeline(new ClassifierTool(service));
        rows = BreastCancerData.load().rows().stream()
                .map(row -> Arrays.stream(row.features()).boxed().toList())
                .toList();
    }

    @AfterAll
    void stop() {
        service.close();
    }

    @Test
    void toolSpecificationNamesTheToolAndDescribesInstancesAsRowsOfNumbers() {
        ToolSpecification spec = pipeline.specification();
        assertEquals(ClassifierTool.NAME, spec.name());
        assertTrue(spec.description().contains("malignant or benign"), spec.description());
        assertEquals(List.of("instances"), List.copyOf(spec.parameters().properties().keySet()));
        assertEquals(List.of("instances"), spec.parameters().required());
        JsonArraySchema instances = assertInstanceOf(JsonArraySchema.class, spec.parameters().properties().get("instances"));
        assertTrue(instances.description().contains("30 raw feature values"), instances.description());
        JsonArraySchema row = assertInstanceOf(JsonArraySchema.class, instances.items());
        assertInstanceOf(JsonNumberSchema.class, row.items());
    }

    @Test
    void handWrittenJsonArgumentsGiveTheSharedModelsPrediction() {
        List<Double> first = rows.getFirst();
        String arguments = "{\"instances\": [[" + first.stream().map(String::valueOf).collect(Collectors.joining(", ")) + "]]}";
        String result = pipeline.call(arguments);
        assertTrue(result.startsWith("{\"model\":"), result);
        assertEquals(service.predict(new PredictRequest(List.of(first))), pipeline.read(result));
    }

    @Test
    void everyDataSetRowGetsTheSamePredictionThroughTheToolAsDirectly() {
        for (List<Double> row : rows) {
            PredictRequest request = new PredictRequest(List.of(row));
            assertEquals(service.predict(request), pipeline.predict(request));
        }
    }

    @Test
    void aBatchGetsTheSamePredictionsInOrder() {
        PredictRequest request = new PredictRequest(rows.subList(0, 64));
        assertEquals(service.predict(request), pipeline.predict(request));
    }

    @Test
    void argumentsAreTheRequestAsJson() {
        String arguments = pipeline.arguments(new PredictRequest(List.of(List.of(1.5, -2.0))));
        assertEquals("{\"instances\":[[1.5,-2.0]]}", arguments);
    }

    @Test
    void contractErrorsThrownInsideTheToolComeOutWithTheirCode() {
        assertCode(ErrorCode.EMPTY_BATCH, new PredictRequest(List.of()));
        assertCode(ErrorCode.MISSING_FIELD, new PredictRequest(null));
        assertCode(ErrorCode.WRONG_FEATURE_COUNT, new PredictRequest(List.of(List.of(1.0, 2.0))));
        List<Double> overflow = new java.util.ArrayList<>(rows.getFirst());
        overflow.set(0, Double.POSITIVE_INFINITY);
        assertCode(ErrorCode.NON_FINITE_VALUE, new PredictRequest(List.of(overflow)));
    }

    private void assertCode(ErrorCode expected, PredictRequest request) {
        ApiException direct = assertThrows(ApiException.class, () -> service.predict(request));
        ApiException viaTool = assertThrows(ApiException.class, () -> pipeline.predict(request));
        assertEquals(expected, direct.code());
        assertEquals(direct.body(), viaTool.body());
    }
}
