package dev.predictbench.equivalence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.predictbench.contract.Contract;
import dev.predictbench.contract.Stacks;
import dev.predictbench.contract.kit.ChatChecks;
import dev.predictbench.contract.kit.HttpProbe;
import dev.predictbench.contract.launch.LaunchedServer;
import dev.predictbench.contract.launch.ServerProcess;
import dev.predictbench.simulator.LlmSimulator;
import dev.predictbench.simulator.SimulatorConfig;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * The conformance kit's {@code /chat} checks ({@link ChatChecks}) against every stack in every
 * threading-model variant, each started as the runner starts it with the upstream simulator's URL
 * and a short upstream timeout. The default variant gets every check; the others, whose glue is
 * the same but whose threads differ, get what the threads change: the relay as tokens arrive, the
 * whole answer, many streams at once, the slow upstream and {@code /info}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChatConformanceIT {
    private final LlmSimulator simulator = LlmSimulator.start(SimulatorConfig.defaults().withPort(0));

    @AfterAll
    void stopSimulator() {
        simulator.close();
    }

    /** One stack in one variant: started by the container's first test, stopped by its last. */
    private final class Target implements ChatChecks {
        private final Stacks stack;
        private final String variant;
        private ServerProcess server;

        Target(Stacks stack, String variant) {
            this.stack = stack;
            this.variant = variant;
        }

        void start() {
            Map<String, String> env = new LinkedHashMap<>(ChatChecks.serverSettings(simulator));
            env.put(Stacks.VARIANT_ENV, variant);
            server = LaunchedServer.start(stack, "chat-" + variant, env);
        }

        void stop() {
            if (server != null) {
                server.close();
            }
        }

        @Override
        public URI baseUri() {
            if (server == null) {
                Assumptions.abort(stack.id() + " (" + variant + ") did not start");
            }
            return server.baseUri();
        }

        @Override
        public String expectedStack() {
            return stack.id();
        }

        @Override
        public LlmSimulator simulator() {
            return simulator;
        }
    }

    @TestFactory
    Stream<DynamicNode> everyStackAndVariantRelaysTheUpstream() {
        List<DynamicNode> containers = new ArrayList<>();
        for (Stacks stack : Stacks.values()) {
            for (String variant : stack.variants()) {
                containers.add(container(stack, variant, variant.equals(stack.defaultVariant())));
            }
        }
        return containers.stream();
    }

    private DynamicContainer container(Stacks stack, String variant, boolean all) {
        Target t = new Target(stack, variant);
        Map<String, Function<ChatChecks, Stream<DynamicTest>>> checks = new LinkedHashMap<>();
        checks.put("relay as tokens arrive", ChatChecks::chatStreamsTheUpstreamTokensAsTheyArrive);
        checks.put("whole answer", ChatChecks::chatAnswersWholeWithoutStream);
        checks.put("many streams at once", ChatChecks::chatHoldsManyStreamsAtOnce);
        checks.put("slow upstream", ChatChecks::chatSlowUpstreamTimesOut);
        checks.put("/info", ChatChecks::infoNamesTheVariantAndTheUpstreamClient);
        if (all) {
            checks.put("bad requests", ChatChecks::chatBadRequestsGetTheirContractErrors);
            checks.put("not JSON", ChatChecks::chatWithoutJsonIsUnsupportedMediaType);
            checks.put("upstream error status", ChatChecks::chatUpstreamErrorStatusIs502);
            checks.put("upstream cut off", ChatChecks::chatUpstreamCutOffEndsTheStreamWithAnError);
            checks.put("upstream refused", ChatChecks::chatRefusedUpstreamIs502AndTheServerRecovers);
        }
        Stream<DynamicNode> start = Stream.of(DynamicTest.dynamicTest("start with " + Stacks.VARIANT_ENV + "=" + variant, () -> {
            t.start();
            HttpProbe.Response info = t.http().get(Contract.INFO);
            var details = info.json().path("threading").path("details");
            var holder = details.path("chat").isObject() ? details : info.json();
            assertEquals(variant, holder.path("variant").asText(), "/info reports the variant it runs: " + info.text());
        }));
        // Each check's tests are made when the check runs, so after the start.
        Stream<DynamicNode> body = checks.entrySet().stream().map(check -> DynamicContainer.dynamicContainer(check.getKey(),
                Stream.of(0).flatMap(i -> check.getValue().apply(t))));
        Stream<DynamicNode> stop = Stream.of(DynamicTest.dynamicTest("stop", t::stop));
        return DynamicContainer.dynamicContainer(stack.id() + " " + variant, Stream.of(start, body, stop).flatMap(s -> s));
    }
}
