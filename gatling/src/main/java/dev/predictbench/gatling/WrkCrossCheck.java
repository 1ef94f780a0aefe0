package dev.predictbench.gatling;

import dev.predictbench.contract.Contract;
import dev.predictbench.contract.Stacks;
import dev.predictbench.contract.launch.JvmSettings;
import dev.predictbench.contract.launch.ServerProcess;
import dev.predictbench.gatling.load.LoadMain;
import dev.predictbench.gatling.load.LoadProcess;
import dev.predictbench.gatling.load.StepOutcome;
import dev.predictbench.gatling.load.StepPlan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load client checked against an independent tool: on each stack's server (launched as the
 * runner launches it, pinned to the server CPUs), after a warm-up with wrk, the client's
 * closed-model throughput at 1, 16 and 64 connections, each followed at once by Debian's
 * {@code wrk} at the same connection count with the same body on the same server process, both
 * pinned to the load CPUs; the pair is repeated in turn (client first, then wrk first, and so on) and
 * the medians compared, since one server's throughput drifts between back-to-back seconds on a
 * shared machine. The client is one process warmed up before the first stack, as in a run.
 * Prints a Markdown table and writes it to {@code results/runs/crosscheck-<time>/crosscheck.md}.
 *
 * <p>{@code ./mvnw -Pcrosscheck verify -DskipTests [-Dbench.stacks=javalin,quarkus]}; settings
 * {@code crosscheck.warmup} (s, default 60), {@code crosscheck.seconds} (s per measurement, 5),
 * {@code crosscheck.repeats} (pairs per connection count, 4), {@code crosscheck.connections} (1,16,64).
 */
public final class WrkCrossCheck {
    private static final Pattern REQUESTS_PER_SECOND = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+([0-9]+)");

    private WrkCrossCheck() {
    }

    public static void main(String[] args) throws Exception {
        List<Stacks> stacks = Stacks.parse(System.getProperty("bench.stacks", "all"));
        double warmup = Double.parseDouble(System.getProperty("crosscheck.warmup", "60"));
        double seconds = Double.parseDouble(System.getProperty("crosscheck.seconds", "5"));
        int repeats = Integer.parseInt(System.getProperty("crosscheck.repeats", "4"));
        List<Integer> connections = Arrays.stream(System.getProperty("crosscheck.connections", "1,16,64").split(","))
                .map(String::trim).map(Integer::parseInt).toList();
        String serverCpus = System.getProperty("bench.serverCpus", "0");
        String loadCpus = System.getProperty("bench.loadCpus", "1");
        if (new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start().waitFor() > 1) {
            throw new IllegalStateException("wrk is not installed (Debian: apt-get install wrk)");
        }
        Path root = Stacks.repoRoot();
        boolean pinned = BenchRunner.CpuSets.pinSelf(loadCpus);
        JvmSettings jvm = pinned ? JvmSettings.defaults().pinnedTo(serverCpus) : JvmSettings.defaults();
        Path dir = root.resolve("results").resolve("runs").resolve("crosscheck-" + Instant.now().toString().replace(":", ""));
        Files.createDirectories(dir);
        String body = Workload.TABULAR.bodies(20261125L).getFirst();
        Path bodies = dir.resolve("body.jsonl");
        Files.writeString(bodies, body + "\n");
        Path script = dir.resolve("post.lua");
        Files.writeString(script, "wrk.method = \"POST\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\nwrk.body = [==["
                + body + "]==]\n");
        StringBuilder table = new StringBuilder("| stack | connections | load client, median (req/s) | wrk, median (req/s) "
                + "| difference | load client runs | wrk runs |\n| --- | ---: | ---: | ---: | ---: | --- | --- |\n");
        System.out.printf("cross-check: %s; server on CPUs %s, load client and wrk on CPUs %s%s; %s s warm-up with wrk, "
                + "then %s s per measurement%n", stacks.stream().map(Stacks::id).toList(), serverCpus, loadCpus,
                pinned ? "" : " (NOT pinned)", warmup, seconds);
        LoadProcess client = new LoadProcess(List.of(), true);
        for (Stacks stack : stacks) {
            Path stackDir = dir.resolve(stack.id());
            Files.createDirectories(stackDir);
            ServerProcess server = ServerProcess.start(stack, root, jvm, stackDir.resolve("server.log"), Map.of());
            try {
                server.awaitOk(Contract.READY, null, Duration.ofSeconds(120));
                String url = server.baseUri().resolve(Contract.PREDICT).toString();
                System.out.printf("%s: warming up with wrk for %s s%n", stack.id(), warmup);
                wrk(url, script, 64, warmup);
                for (int c : connections) {
                    List<Double> ours = new ArrayList<>();
                    List<Double> theirs = new ArrayList<>();
                    long errors = 0;
                    double non2xx = 0;
                    for (int r = 0; r < repeats; r++) {
                        StepPlan plan = StepPlan.closed("c" + c, c, 1, seconds, 1, 10);
                        LoadMain.Spec spec = new LoadMain.Spec(server.baseUri().getHost(), server.baseUri().getPort(),
                                Contract.PREDICT, bodies.toString(), Workload.TABULAR.marker(), false, server.pid(), 1,
                                stackDir.toString(), "c" + c + "-" + r, List.of(plan));
                        // In turn, each first every other time, so a server still warming favours neither.
                        double[] w = r % 2 == 1 ? wrk(url, script, c, seconds) : null;
                        StepOutcome ours1 = client.execute(spec, Math.round(seconds * 3 + 60)).getFirst();
                        ours.add(ours1.throughput());
                        errors += ours1.failed().total();
                        if (w == null) {
                            w = wrk(url, script, c, seconds);
                        }
                        theirs.add(w[0]);
                        non2xx += w[1];
                    }
                    double a = median(ours);
                    double b = median(theirs);
                    String row = String.format("| %s | %d | %.0f | %.0f | %+.1f%% | %s | %s |%n", stack.id(), c, a, b,
                            (a - b) / b * 100, runs(ours), runs(theirs));
                    System.out.print(row);
                    table.append(row);
                    if (errors > 0 || non2xx > 0) {
                        System.out.printf("  (errors: load client %d, wrk non-2xx %.0f)%n", errors, non2xx);
                    }
                }
            } finally {
                server.stop(Duration.ofSeconds(10));
            }
        }
        client.close();
        Path out = dir.resolve("crosscheck.md");
        Files.writeString(out, "Closed-model throughput on the same warmed server process: load client and wrk in turn, "
                + repeats + " pairs of " + seconds + " s at each connection count, after " + warmup + " s of wrk warm-up per "
                + "stack.\n\n" + table);
        System.out.print(table);
        System.out.println("written to " + root.relativize(out));
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static String runs(List<Double> values) {
        return String.join(", ", values.stream().map(v -> String.format("%.0f", v)).toList());
    }

    /** Runs wrk (one thread) and returns its requests per second and its non-2xx count. */
    private static double[] wrk(String url, Path script, int connections, double seconds) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("wrk", "-t1", "-c" + connections, "-d" + Math.round(seconds) + "s",
                "-s", script.toString(), url));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(Math.round(seconds) + 60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("wrk failed: " + out);
        }
        Matcher m = REQUESTS_PER_SECOND.matcher(out);
        if (!m.find()) {
            throw new IOException("no Requests/sec in wrk's output: " + out);
        }
        Matcher n = NON_2XX.matcher(out);
        return new double[] {Double.parseDouble(m.group(1)), n.find() ? Double.parseDouble(n.group(1)) : 0};
    }
}
