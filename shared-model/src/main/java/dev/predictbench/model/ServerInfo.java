package dev.predictbench.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * The body of {@code GET /info}: which stack this is, on what, and how it runs requests.
 *
 * @param stack     the stack's module name (javalin, spring-boot, quarkus, helidon-se, langchain4j)
 * @param framework the framework's name and version, e.g. "Javalin 7.2.3"
 * @param host      the HTTP server underneath when it is another framework (LangChain4j on Javalin)
 * @param jvm       vendor, version and VM name of the running JVM
 * @param threading how requests are run: {@code model} is one of {@code platform-thread-pool},
 *                  {@code virtual-threads}, {@code event-loop+workers}; the rest describes sizes
 * @param inference the ONNX Runtime session options (one setting for every stack)
 * @param limits    the request limits in force
 * @param guards    the bound on in-flight inference and the opt-in protection in force
 * @param batching  whether model calls are batched across requests, and the batcher's sizes
 * @param calibration the extra CPU each inference call spends in a calibration run; absent otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServerInfo(String stack, String framework, String host, String jvm, Threading threading,
                         String inference, Limits limits, Guards guards, BatchSettings batching,
                         CalibrationWork.Info calibration) {

    /** The load-shedding and protection settings: the in-flight limit, and whether the API key and rate limit are on. */
    public record Guards(InflightLimit.Settings inflight, Protection.Settings protection) {
    }

    /** How a stack runs {@code /predict}. */
    public record Threading(String model, String predictThread, Map<String, Object> details) {
    }

    public static ServerInfo of(String stack, String framework, String host, Threading threading,
                                PredictService service, Protection protection) {
        return new ServerInfo(stack, framework, host, currentJvm(), threading, service.inferenceOptions().describe(),
                service.limits(), new Guards(service.inflight().settings(), protection.settings()),
                service.inflight().batching(), service.inflight().calibration().info());
    }

    /** "Eclipse Adoptium 25.0.1+8-LTS (OpenJDK 64-Bit Server VM)". */
    public static String currentJvm() {
        return System.getProperty("java.vendor") + " " + System.getProperty("java.runtime.version")
                + " (" + System.getProperty("java.vm.name") + ")";
    }
}
