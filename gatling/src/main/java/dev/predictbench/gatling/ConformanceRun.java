package dev.predictbench.gatling;

import dev.predictbench.contract.kit.ConformanceKit;
import dev.predictbench.contract.kit.GenAiChecks;
import dev.predictbench.results.RunRecord;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs the conformance kit (the same JUnit checks every server module runs in its build) against
 * a launched server before anything is measured: a server that fails is not benchmarked.
 */
public final class ConformanceRun {
    private static volatile URI target;
    private static volatile String stack;

    private ConformanceRun() {
    }

    /** The kit pointed at whatever {@link #check} was given. */
    public static class LaunchedServerConformance implements ConformanceKit {
        @Override
        public URI baseUri() {
            return target;
        }

        @Override
        public String expectedStack() {
            return stack;
        }
    }

    /** The kit with the GenAI checks, for a run that measures {@code /embed} and {@code /search}. */
    public static class LaunchedGenAiServerConformance extends LaunchedServerConformance implements GenAiChecks {
    }

    /**
     * Fuzzed bodies per launched server: the build's kit sends 10,000 to every server; before a
     * benchmark a smaller sample (about 5 s) is enough to refuse a server that breaks, and keeps
     * the smoke run short. {@code -Dpredictbench.fuzz.count} overrides it.
     */
    static final int RUNNER_FUZZ_COUNT = 2_000;

    /**
     * @param withGenAi also check {@code /embed} and {@code /search} (when the run measures them)
     */
    public static synchronized RunRecord.Conformance check(URI base, String stackId, boolean withGenAi) {
        if (System.getProperty("predictbench.fuzz.count") == null) {
            System.setProperty("predictbench.fuzz.count", String.valueOf(RUNNER_FUZZ_COUNT));
        }
        target = base;
        stack = stackId;
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(DiscoverySelectors.selectClass(
                        withGenAi ? LaunchedGenAiServerConformance.class : LaunchedServerConformance.class)).build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(request, listener);
        TestExecutionSummary summary = listener.getSummary();
        List<String> failures = new ArrayList<>();
        for (TestExecutionSummary.Failure f : summary.getFailures()) {
            String message = String.valueOf(f.getException().getMessage());
            failures.add(f.getTestIdentifier().getDisplayName() + ": "
                    + (message.length() > 300 ? message.substring(0, 300) + "..." : message));
        }
        long tests = summary.getTestsFoundCount();
        return new RunRecord.Conformance(failures.isEmpty() && tests > 0 && summary.getTestsSucceededCount() == tests,
                (int) tests, failures.size(), failures);
    }
}
