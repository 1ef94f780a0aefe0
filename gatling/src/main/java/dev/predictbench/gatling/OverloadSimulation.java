package dev.predictbench.gatling;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.listFeeder;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.predictbench.results.RunRecord;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Overload: an open-model arrival rate (Poisson) above what the server can serve, for a bounded
 * time, every request with a timeout; then, once the last answer is in, the recovery to normal
 * latency ({@link RecoveryProbe}, run in {@link #after()} before Gatling writes its report, so the
 * generator is idle). Gatling's statistics give sent, served (2xx, the only OK) and the served
 * latency; this class counts every answered status, and splits the unanswered requests into
 * timeouts (no answer within the request timeout) and connection errors (failed sooner).
 *
 * <p>System properties: {@code baseUrl}, {@code bench.workload}, {@code bench.seed},
 * {@code bench.overloadRate} (requests/s), {@code bench.overloadSeconds}, {@code bench.overloadTimeout}
 * (s), {@code bench.unloadedP99Micros}, {@code bench.recoveryFactor}, {@code bench.recoverySeconds},
 * {@code bench.recoveryWindowRequests}, {@code bench.serverPid}, {@code bench.timeline},
 * {@code bench.overloadOut} (where the counts and the recovery go, JSON).
 */
public class OverloadSimulation extends Simulation {
    public static final String STEP = "overload";
    public static final String END = "end";

    /** What the simulation adds to Gatling's statistics. */
    public record Outcome(Map<String, Long> statuses, long timeouts, long connectionErrors, RunRecord.Recovery recovery) {
    }

    private final String baseUrl = System.getProperty("baseUrl", "http://127.0.0.1:8080");
    private final Workload workload = Workload.byId(System.getProperty("bench.workload", "tabular"));
    private final long seed = Long.getLong("bench.seed", 20261125L);
    /** The generator's connections to the server at most (see the protocol below). */
    static final int MAX_CONNECTIONS = 4096;

    private final double rate = Double.parseDouble(System.getProperty("bench.overloadRate", "1000"));
    private final double seconds = Double.parseDouble(System.getProperty("bench.overloadSeconds", "3"));
    private final Duration timeout = Duration.ofMillis(Math.round(
            Double.parseDouble(System.getProperty("bench.overloadTimeout", "5")) * 1000));
    private final Timeline timeline = new Timeline(Long.getLong("bench.serverPid", 0L));
    private final Path timelineFile = Path.of(System.getProperty("bench.timeline", "target/gatling-timeline-overload.json"));
    private final Path outFile = Path.of(System.getProperty("bench.overloadOut", "target/overload-outcome.json"));
    private final List<String> bodies = workload.bodies(seed);

    private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    private final Set<Long> answered = ConcurrentHashMap.newKeySet();
    private final LongAdder timeouts = new LongAdder();
    private final LongAdder connectionErrors = new LongAdder();

    {
        HttpProtocolBuilder protocol = http.baseUrl(baseUrl)
                .contentTypeHeader("application/json")
                .acceptHeader("application/json")
                .shareConnections()
                // A bound on the generator's sockets: an open model at twice the saturation rate with
                // a 5 s timeout would otherwise open rate x timeout connections and run the runner out
                // of open files (seen at 12,000 requests/s). Past it requests wait for a connection,
                // inside their timeout, as behind any client's connection pool.
                .maxConnectionsPerHost(MAX_CONNECTIONS)
                .disableCaching()
                .disableWarmUp();
        long timeoutNanos = timeout.toNanos();
        ScenarioBuilder load = scenario(STEP)
                .feed(listFeeder(bodies.stream().map(b -> Map.<String, Object>of("body", b)).toList()).circular())
                .exec(session -> session.set("t0", System.nanoTime()))
                .exec(http(STEP).post(workload.path())
                        .body(StringBody("#{body}"))
                        .requestTimeout(timeout)
                        .check(status().transformWithSession((code, session) -> {
                            statuses.computeIfAbsent(code, c -> new LongAdder()).increment();
                            answered.add(session.userId());
                            return code;
                        }).is(200)))
                .exec(session -> {
                    if (!answered.remove(session.userId())) {
                        // No status: the request timed out or the connection failed before an answer.
                        if (System.nanoTime() - session.getLong("t0") >= timeoutNanos * 0.99) {
                            timeouts.increment();
                        } else {
                            connectionErrors.increment();
                        }
                    }
                    return session;
                });
        PopulationBuilder chain = mark(STEP)
                .andThen(load.injectOpen(constantUsersPerSec(rate).during(Duration.ofMillis(Math.round(seconds * 1000))).randomized())
                        .andThen(mark(END)));
        setUp(chain).protocols(protocol);
    }

    private PopulationBuilder mark(String label) {
        return scenario("mark " + label).exec(session -> {
            timeline.mark(label);
            return session;
        }).injectOpen(atOnceUsers(1));
    }

    @Override
    public void after() {
        List<Timeline.Mark> marks = timeline.marks();
        long started = marks.stream().filter(m -> m.label().equals(STEP)).mapToLong(Timeline.Mark::nanos).findFirst()
                .orElse(System.nanoTime());
        long loadEnd = started + Math.round(seconds * 1e9);
        RunRecord.Recovery recovery = RecoveryProbe.run(URI.create(baseUrl), workload.path(), bodies,
                Double.parseDouble(System.getProperty("bench.unloadedP99Micros", "1000")),
                Double.parseDouble(System.getProperty("bench.recoveryFactor", "2")),
                Double.parseDouble(System.getProperty("bench.recoverySeconds", "10")),
                Integer.getInteger("bench.recoveryWindowRequests", 200), loadEnd);
        Map<String, Long> counts = new TreeMap<>();
        statuses.forEach((code, n) -> counts.put(Integer.toString(code), n.sum()));
        try {
            Files.createDirectories(outFile.toAbsolutePath().getParent());
            new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(outFile.toFile(),
                    new Outcome(counts, timeouts.sum(), connectionErrors.sum(), recovery));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + outFile, e);
        }
        timeline.write(timelineFile);
    }
}
