package dev.predictbench.contract.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.predictbench.contract.Contract;
import dev.predictbench.contract.GoldenCases;
import dev.predictbench.contract.Stacks;
import dev.predictbench.model.BreastCancerData;
import dev.predictbench.model.InferenceOptions;
import dev.predictbench.model.ModelCard;
import dev.predictbench.model.OnnxPredictor;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The tabular contract: health, the model card, /info, /openapi, and /predict with golden and bad requests. */
public interface PredictChecks extends KitTarget {
    @Test
    default void liveAndReadyAnswerUp() throws Exception {
        for (String path : List.of(Contract.LIVE, Contract.READY)) {
            HttpProbe.Response r = http().get(path);
            assertEquals(200, r.status(), path);
            Kit.assertJson(r);
            assertEquals("UP", r.json().path("status").asText(), path);
        }
    }

    @Test
    default void modelAnswersTheSharedModelsCard() throws Exception {
        HttpProbe.Response r = http().get(Contract.MODEL);
        assertEquals(200, r.status());
        Kit.assertJson(r);
        ModelCard expected;
        try (OnnxPredictor predictor = OnnxPredictor.loadDefault(InferenceOptions.DEFAULT)) {
            expected = predictor.card();
        }
        assertEquals(Kit.JSON.readTree(Kit.JSON.writeValueAsString(expected)), r.json(), "GET /model must be the committed model card");
    }

    @Test
    default void infoNamesStackFrameworkRuntimeAndThreadingModel() throws Exception {
        HttpProbe.Response r = http().get(Contract.INFO);
        assertEquals(200, r.status());
        Kit.assertJson(r);
        JsonNode info = r.json();
        assertEquals(expectedStack(), info.path("stack").asText());
        assertTrue(info.path("framework").asText().matches(".*\\d+\\.\\d+.*"),
                "framework must name a version: " + info.path("framework"));
        // The runtime: a JVM stack names its JVM ("jvm"), a Python stack its interpreter ("python"), never both.
        boolean jvmStack = Stacks.find(expectedStack()).map(Stacks::isJvm).orElse(true);
        String runtime = jvmStack ? "jvm" : "python";
        assertTrue(info.path(runtime).asText().matches(".*\\d+.*"), runtime + " must name a version: " + info.path(runtime));
        assertTrue(info.path(jvmStack ? "python" : "jvm").isMissingNode(), "only the runtime it runs on: " + info);
        List<String> models = Stacks.find(expectedStack())
                .map(s -> s.threading().stream().map(Stacks.Threading::model).toList())
                .orElse(Contract.THREADING_MODELS);
        assertTrue(models.contains(info.path("threading").path("model").asText()),
                "threading.model must be one of " + models + " (the stack's registry entry): " + info.path("threading"));
        assertFalse(info.path("threading").path("predictThread").asText().isBlank(), "threading.predictThread");
    }

    @Test
    default void firstDataSetRowIsMalignantWithProbabilitiesSummingToOne() throws Exception {
        HttpProbe.Response r = http().postJson(Contract.PREDICT, BadRequests.instances(BadRequests.validRow()));
        assertEquals(200, r.status(), r.text());
        Kit.assertJson(r);
        JsonNode body = r.json();
        assertEquals("breast-cancer-wisconsin", body.path("model").asText());
        assertFalse(body.path("version").asText().isBlank());
        JsonNode prediction = body.path("predictions").get(0);
        assertEquals("malignant", prediction.path("label").asText());
        double sum = 0;
        for (JsonNode p : Kit.iterable(prediction.path("probabilities").elements())) {
            sum += p.asDouble();
        }
        assertEquals(1.0, sum, 1e-6);
    }

    @Test
    default void goldenRowsOneAtATimeGetTheGoldenPredictions() throws Exception {
        for (GoldenCases.Case c : GoldenCases.golden()) {
            HttpProbe.Response r = http().postJson(Contract.PREDICT, Kit.JSON.writeValueAsString(
                    Map.of("instances", List.of(c.instance()))));
            assertEquals(200, r.status(), r.text());
            Kit.assertPrediction(c, r.json().path("predictions").get(0));
        }
    }

    @Test
    default void goldenRowsAsOneBatchGetTheGoldenPredictionsInOrder() throws Exception {
        List<GoldenCases.Case> cases = GoldenCases.golden();
        List<double[]> rows = cases.stream().map(GoldenCases.Case::instance).toList();
        HttpProbe.Response r = http().postJson(Contract.PREDICT, Kit.JSON.writeValueAsString(Map.of("instances", rows)));
        assertEquals(200, r.status(), r.text());
        JsonNode predictions = r.json().path("predictions");
        assertEquals(cases.size(), predictions.size());
        for (int i = 0; i < cases.size(); i++) {
            Kit.assertPrediction(cases.get(i), predictions.get(i));
        }
    }

    @Test
    default void acceptsJsonWithACharsetParameterAndTheLargestBatch() throws Exception {
        String body = BadRequests.instances(Collections.nCopies(64, BadRequests.validRow()).toArray(String[]::new));
        HttpProbe.Response r = http().send("POST", Contract.PREDICT, "application/json; charset=utf-8",
                body.getBytes(java.nio.charset.StandardCharsets.UTF_8), false);
        assertEquals(200, r.status(), r.text());
        assertEquals(64, r.json().path("predictions").size());
    }

    @Test
    default void acceptsIntegersAndNegativeNumbersAsFeatureValues() throws Exception {
        String row = BadRequests.row(BreastCancerData.FEATURES.size(), "-3", 0).replace("10.38", "10");
        HttpProbe.Response r = http().postJson(Contract.PREDICT, BadRequests.instances(row));
        assertEquals(200, r.status(), r.text());
    }

    @TestFactory
    default Stream<DynamicTest> everyBadRequestGetsItsErrorCodeAndTheServerStaysReady() {
        return eachGetsItsContractError(BadRequests.all());
    }

    @Test
    default void openapiAnswersWithADocumentOfPredict() throws Exception {
        HttpProbe.Response r = http().get(Contract.OPENAPI);
        assertEquals(200, r.status());
        assertTrue(r.text().contains("openapi"), "not an OpenAPI document");
        assertTrue(r.text().contains("/predict"), "the document must describe /predict");
    }
}
