package dev.predictbench.langchain4j;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.agent.tool.ToolSpecifications;
import dev.langchain4j.exception.ToolExecutionException;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.service.tool.DefaultToolExecutor;
import dev.langchain4j.service.tool.ToolExecutionResult;
import dev.predictbench.model.ApiException;
import dev.predictbench.model.PredictRequest;
import dev.predictbench.model.PredictResponse;
import dev.predictbench.model.json.StrictJson;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * {@code /predict} the LangChain4j way: the request becomes a tool call with JSON arguments, as a
 * chat model would emit it, LangChain4j's {@link DefaultToolExecutor} binds the arguments to the
 * {@link ClassifierTool} method and runs it, and the tool's JSON result is the response.
 *
 * <p>The executor is built as LangChain4j's AI services build theirs for {@code @Tool} methods
 * (argument and execution failures thrown, not returned as text), so that a contract error thrown
 * inside the tool comes back out as the contract's {@link ApiException}. Left to its defaults, the
 * executor would catch it and hand its message back as the tool's text result, meant for a model.
 */
public final class ToolCallPipeline {
    private final ToolSpecification specification;
    private final DefaultToolExecutor executor;
    private final ObjectMapper json = StrictJson.newMapper();

    public ToolCallPipeline(ClassifierTool tool) {
        Method method = toolMethod();
        this.specification = ToolSpecifications.toolSpecificationFrom(method);
        this.executor = DefaultToolExecutor.builder()
                .object(tool)
                .originalMethod(method)
                .methodToInvoke(method)
                .wrapToolArgumentsExceptions(true)
                .propagateToolExecutionExceptions(true)
                .build();
    }

    /** What a chat model would be told about the tool. */
    public ToolSpecification specification() {
        return specification;
    }

    /** Answers {@code /predict} through a tool call; throws the tool's {@link ApiException} as is. */
    public PredictResponse predict(PredictRequest request) {
        return read(call(arguments(request)));
    }

    /** The request as the tool call's JSON arguments: {@code {"instances": [[...], ...]}}. */
    String arguments(PredictRequest request) {
        try {
            return json.writeValueAsString(request);
        } catch (JsonProcessingException e) {
            // Not the client's JSON (that was bound already): a server fault, never a 400.
            throw new IllegalStateException("cannot write tool arguments", e);
        }
    }

    /** Runs the tool through LangChain4j and returns its result as LangChain4j renders it for a model. */
    String call(String arguments) {
        ToolExecutionRequest call = ToolExecutionRequest.builder().name(specification.name()).arguments(arguments).build();
        try {
            ToolExecutionResult result = executor.executeWithContext(call, InvocationContext.builder().build());
            return result.resultText();
        } catch (ToolExecutionException e) {
            // The executor wraps what the tool threw; a contract error must reach the client as such.
            if (e.getCause() instanceof ApiException api) {
                throw api;
            }
            throw e;
        }
    }

    PredictResponse read(String toolResult) {
        try {
            return json.readValue(toolResult, PredictResponse.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("tool result is not a PredictResponse: " + toolResult, e);
        }
    }

    private static Method toolMethod() {
        return Arrays.stream(ClassifierTool.class.getMethods())
                .filter(method -> method.isAnnotationPresent(Tool.class))
                .findFirst().orElseThrow();
    }
}
