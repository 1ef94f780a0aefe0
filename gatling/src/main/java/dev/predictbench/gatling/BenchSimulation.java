package dev.predictbench.gatling;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.listFeeder;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What every predict-bench simulation shares: settings from system properties (so the runner and a
 * person pointing at a remote server use the same classes), the seeded feeder, the checked request,
 * and the chain of steps. Before each step a one-user "mark" scenario records a {@link Timeline}
 * mark (server CPU and RSS, generator CPU); within a step, requests are named by the window they
 * start in, so Gatling's statistics give one entry per window. A warm-up step runs first and is
 * excluded from results by its name.
 *
 * <p>System properties: {@code baseUrl} (default http://127.0.0.1:8080), {@code bench.workload}
 * (tabular), {@code bench.warmup} seconds (10; 0 for none), {@code bench.warmupConcurrency} (16),
 * {@code bench.window} seconds (5), {@code bench.windows} per step (3), {@code bench.seed},
 * {@code bench.serverPid} (0: unknown, no /proc figures), {@code bench.timeline} (where marks go).
 */
public abstract class BenchSimulation extends Simulation {
    public static final String WARMUP = "warmup";

    /** One step of load: its name and how to inject it for a given time. */
    protected record Step(String name,
                          java.util.function.BiFunction<io.gatling.javaapi.core.ScenarioBuilder, Duration, PopulationBuilder> inject) {
    }

    protected final String baseUrl = System.getProperty("baseUrl", "http://127.0.0.1:8080");
    protected final Workload workload = Workload.byId(System.getProperty("bench.workload", "tabular"));
    protected final Duration warmup = seconds(System.getProperty("bench.warmup", "10"));
    protected final int warmupConcurrency = Integer.getInteger("bench.warmupConcurrency", 16);
    protected final Duration window = seconds(System.getProperty("bench.window", "5"));
    protected final int windows = Integer.getInteger("bench.windows", 3);
    protected final long seed = Long.getLong("bench.seed", 20261125L);
    protected final Timeline timeline = new Timeline(Long.getLong("bench.serverPid", 0L));
    private final java.util.Map<String, Long> stepStarts = new java.util.concurrent.ConcurrentHashMap<>();
    private final Path timelineFile = Path.of(System.getProperty("bench.timeline",
            "target/gatling-timeline-" + getClass().getSimpleName() + ".json"));

    protected final HttpProtocolBuilder protocol = http.baseUrl(baseUrl)
            .contentTypeHeader("application/json")
            .acceptHeader("application/json")
            // Keep-alive connections reused across virtual users, as a real client pool would.
            .shareConnections()
            .disableCaching()
            .disableWarmUp();

    private final List<Map<String, Object>> bodies = workload.bodies(seed).stream()
            .map(b -> Map.<String, Object>of("body", b)).toList();

    /** The steps to measure, in order. */
    protected abstract List<Step> steps();

    /** Builds the whole chain: warm-up, then each step after its mark. */
    protected final void build() {
        List<PopulationBuilder> chain = new ArrayList<>();
        if (!warmup.isZero()) {
            chain.add(mark(WARMUP));
            chain.add(load(WARMUP, 1).injectClosed(constantConcurrentUsers(warmupConcurrency).during(warmup)));
        }
        Duration stepLength = window.multipliedBy(windows);
        for (Step step : steps()) {
            chain.add(mark(step.name()));
            chain.add(step.inject().apply(load(step.name(), windows), stepLength));
        }
        chain.add(mark("end"));
        PopulationBuilder head = chain.getLast();
        for (int i = chain.size() - 2; i >= 0; i--) {
            head = chain.get(i).andThen(head);
        }
        setUp(head).protocols(protocol);
    }

    /**
     * One step's load. Each request is named for the window it starts in ({@code c16#2}), counted
     * in fixed window lengths from the step's first request, so Gatling's statistics come out per window
     * without chaining a scenario per window (each hand-over between chained scenarios costs
     * Gatling about a second of idle time).
     */
    private io.gatling.javaapi.core.ScenarioBuilder load(String step, int windowCount) {
        long windowNanos = window.toNanos();
        ChainBuilder request = io.gatling.javaapi.core.CoreDsl.exec(http(session -> {
                    if (step.equals(WARMUP)) {
                        return step;
                    }
                    long now = System.nanoTime();
                    long elapsed = now - stepStarts.computeIfAbsent(step, s -> now);
                    return step + "#" + Math.min(windowCount, 1 + elapsed / windowNanos);
                }).post(workload.path())
                .body(StringBody("#{body}"))
                .check(status().is(200), jsonPath(workload.mustHave()).exists()));
        return scenario(step).feed(listFeeder(bodies).circular()).exec(request);
    }

    private PopulationBuilder mark(String label) {
        return scenario("mark " + label).exec(session -> {
            timeline.mark(label);
            return session;
        }).injectOpen(atOnceUsers(1));
    }

    /** A closed-model step: {@code users} always in flight. */
    protected Step closed(int users) {
        return new Step("c" + users, (scn, length) -> scn.injectClosed(constantConcurrentUsers(users).during(length)));
    }

    /** An open-model step: Poisson arrivals (randomized intervals) at {@code perSecond}. */
    protected Step poisson(double perSecond) {
        return new Step("r" + Math.round(perSecond),
                (scn, length) -> scn.injectOpen(constantUsersPerSec(perSecond).during(length).randomized()));
    }

    @Override
    public void after() {
        timeline.write(timelineFile);
    }

    /** Comma-separated numbers from a system property. */
    protected static List<Double> numbers(String property, String defaults) {
        return Arrays.stream(System.getProperty(property, defaults).split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).map(Double::parseDouble).toList();
    }

    private static Duration seconds(String s) {
        return Duration.ofMillis(Math.round(Double.parseDouble(s) * 1000));
    }
}
