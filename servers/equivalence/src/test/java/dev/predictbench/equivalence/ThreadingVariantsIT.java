package dev.predictbench.equivalence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.predictbench.contract.Contract;
import dev.predictbench.contract.GoldenCases;
import dev.predictbench.contract.Stacks;
import dev.predictbench.contract.kit.HttpProbe;
import dev.predictbench.contract.launch.JvmSettings;
import dev.predictbench.contract.launch.ServerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every threading variant the registry gives a stack beyond its default, started from the built
 * server with the variant's environment as the runner would: {@code /info} must report the
 * variant's model, and {@code /predict} must answer.
 */
class ThreadingVariantsIT {

    @TestFactory
    Stream<DynamicTest> everyVariantReportsItsModelWhenStartedWithItsEnvironment() {
        Path root = Stacks.repoRoot();
        return Stream.of(Stacks.values()).flatMap(stack -> stack.threading().stream().skip(1)
                .map(variant -> DynamicTest.dynamicTest(stack.id() + " " + variant.model(), () -> {
                    Path log = Path.of("target", "equivalence-logs", stack.id() + "-" + variant.model() + ".log");
                    try (ServerProcess server = ServerProcess.start(stack, root, JvmSettings.defaults(), log,
                            variant.environment())) {
                        server.awaitOk(Contract.READY, null, Duration.ofSeconds(240));
                        HttpProbe http = new HttpProbe(server.baseUri());
                        assertEquals(variant.model(), http.get(Contract.INFO).json().path("threading").path("model").asText(),
                                "GET /info with " + variant.environment());
                        assertEquals(200, http.postJson(Contract.PREDICT, new ObjectMapper().writeValueAsString(
                                Map.of("instances", List.of(GoldenCases.golden().getFirst().instance())))).status());
                    }
                })));
    }
}
