package dev.predictbench.gatling.load;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The load client as its own process: the runner starts it for each group of steps with bounded
 * memory, so that a generator that runs out of memory, of open files or crashes takes down only
 * itself and the steps it was measuring. It reads a {@link Spec}, runs the steps in order and
 * writes, after each step, the outcomes so far ({@code <prefix>-outcome.json}) and the step's
 * HdrHistogram log ({@code <prefix>-<step>.hlog}).
 */
public final class LoadMain {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What to run.
     *
     * @param host       the server's address
     * @param port       the server's port
     * @param path       the endpoint every request is sent to
     * @param bodiesFile request bodies, one per line (UTF-8 JSON, no newlines inside), used in order
     * @param marker     a string every good answer's body contains
     * @param events     time Server-Sent Events (time to first event, between events)
     * @param serverPid  the server process read from /proc at window boundaries (0: none)
     * @param seed       seeds the arrival schedule
     * @param outDir     where outcomes and histogram logs go
     * @param prefix     names the files
     * @param steps      in order
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Spec(String host, int port, String path, String bodiesFile, String marker, boolean events, long serverPid,
                       long seed, String outDir, String prefix, List<StepPlan> steps) {
    }

    private LoadMain() {
    }

    /**
     * {@code LoadMain <spec.json>} runs one spec; {@code LoadMain --agent} (or {@code --agent-warm},
     * which first warms the client up against a server of its own) answers {@code @@ready}, then
     * runs each {@code run <spec.json>} line of its standard input, answering {@code @@done <prefix>}
     * or {@code @@failed <prefix> <why>}, until {@code exit}.
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].startsWith("--agent")) {
            agent(args[0].equals("--agent-warm"));
            return;
        }
        if (args.length != 1) {
            System.err.println("usage: LoadMain <spec.json> | --agent | --agent-warm");
            System.exit(2);
        }
        Spec spec = JSON.readValue(Path.of(args[0]).toFile(), Spec.class);
        List<StepOutcome> outcomes = run(spec);
        System.out.println("load client: " + outcomes.size() + " step(s) done");
    }

    private static void agent(boolean warm) throws IOException {
        if (warm) {
            SelfWarmup.run();
        }
        System.out.println(LoadProcess.READY);
        java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            if (line.equals("exit")) {
                break;
            }
            if (!line.startsWith("run ")) {
                continue;
            }
            Spec spec = JSON.readValue(Path.of(line.substring(4)).toFile(), Spec.class);
            try {
                run(spec);
                System.out.println(LoadProcess.DONE + spec.prefix());
            } catch (IOException | RuntimeException e) {
                System.out.println(LoadProcess.FAILED + spec.prefix() + " " + String.valueOf(e).replace('\n', ' '));
            }
        }
    }

    /** Runs the spec's steps, writing outcomes after each; also used in-process by tests. */
    public static List<StepOutcome> run(Spec spec) throws IOException {
        List<byte[]> bodies = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(spec.bodiesFile()), StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                bodies.add(line.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (bodies.isEmpty()) {
            throw new IllegalArgumentException("no request bodies in " + spec.bodiesFile());
        }
        Path out = Path.of(spec.outDir());
        Files.createDirectories(out);
        LoadClient.Target target = new LoadClient.Target(new InetSocketAddress(spec.host(), spec.port()), spec.path(), bodies,
                spec.marker() == null ? new byte[0] : spec.marker().getBytes(StandardCharsets.UTF_8), spec.events());
        List<StepOutcome> outcomes = new ArrayList<>();
        try (LoadClient client = new LoadClient(target, spec.serverPid())) {
            long seed = spec.seed();
            for (StepPlan plan : spec.steps()) {
                System.out.printf("load client: step %s (%s) for %.1f to %.1f s%n", plan.name(),
                        plan.open() ? plan.rate() + " requests/s over " + plan.connections() + " connections"
                                : plan.concurrency() + " in flight", plan.seconds(), plan.maxSeconds());
                String log = spec.prefix() + "-" + plan.name() + ".hlog";
                // A step starts with an empty young generation: the client makes little garbage, so
                // its collector then stays out of the step instead of pausing it at a random moment.
                System.gc();
                StepOutcome o;
                try (OutputStream hlog = Files.newOutputStream(out.resolve(log))) {
                    o = client.run(plan, seed++, hlog);
                }
                o = o.withLog(log);
                outcomes.add(o);
                JSON.writerWithDefaultPrettyPrinter().writeValue(out.resolve(spec.prefix() + "-outcome.json").toFile(), outcomes);
                System.out.printf("load client: step %s: %.1f good answers/s, p50 %s us, p99 %s us (%d requests), "
                                + "%d failed, lag p99 %s us, %d late > 1 ms, %d waited for a connection, client CPU %s us/request, "
                                + "%d windows (%s)%n",
                        plan.name(), o.throughput(), o.latency().p50(), o.latency().p99(), o.latency().count(), o.failed().total(),
                        o.scheduleLag() == null ? "-" : o.scheduleLag().p99(), o.lateOver1ms(), o.connectionWaits(),
                        o.clientCpuMicrosPerRequest(), o.health().windowsNeeded(), o.health().stopped());
            }
        }
        return outcomes;
    }
}
