package dev.predictbench.simulator;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the simulator from the command line: {@code java -jar llm-simulator.jar [--port 0] [--host
 * 127.0.0.1] [--ttft-ms 300] [--itl-ms 100] [--tokens 16] [--threads 1]}. Prints one line
 * {@code llm-simulator listening on <port>} once it listens, then serves until the process is stopped.
 * A bad argument prints what is wrong and the usage on stderr and exits with status 2.
 */
public final class Main {

    static final int EXIT_USAGE = 2;

    static final String USAGE = """
            usage: java -jar llm-simulator.jar [options]
              --port <n>      port to listen on, 0 = any free port (default 0)
              --host <addr>   address to bind (default 127.0.0.1)
              --ttft-ms <n>   time to first token in ms (default 300)
              --itl-ms <n>    inter-token latency in ms (default 100)
              --tokens <n>    tokens per completion (default 16)
              --threads <n>   event-loop threads (default 1)
              --help          this text""";

    /** A command line the simulator cannot run with; the message says why. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message, null, false, false);
        }
    }

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h")) {
                System.out.println(USAGE);
                return;
            }
        }
        SimulatorConfig config;
        try {
            config = parse(args);
        } catch (UsageException e) {
            usageError(System.err, e.getMessage());
            System.exit(EXIT_USAGE);
            return;
        }
        LlmSimulator simulator;
        try {
            simulator = LlmSimulator.start(config);
        } catch (RuntimeException e) {
            System.err.println("llm-simulator: cannot listen on " + config.host() + ":" + config.port() + ": " + e);
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(simulator::close, "llm-simulator-shutdown"));
        System.out.println("llm-simulator listening on " + simulator.port());
        System.out.flush();
        new CountDownLatch(1).await();
    }

    static void usageError(PrintStream err, String message) {
        err.println("llm-simulator: " + message);
        err.println(USAGE);
    }

    /** The config a command line asks for; options are {@code --name value} or {@code --name=value}. */
    static SimulatorConfig parse(String[] args) throws UsageException {
        String host = SimulatorConfig.DEFAULT_HOST;
        long port = 0;
        long ttft = SimulatorConfig.DEFAULT_TTFT_MS;
        long itl = SimulatorConfig.DEFAULT_ITL_MS;
        long tokens = SimulatorConfig.DEFAULT_TOKENS;
        long threads = SimulatorConfig.DEFAULT_THREADS;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name;
            String value;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            } else {
                name = arg;
                if (i + 1 >= args.length) {
                    throw new UsageException(arg.startsWith("--")
                            ? "option " + arg + " needs a value" : "unexpected argument '" + arg + "'");
                }
                value = args[++i];
            }
            switch (name) {
                case "--port" -> port = number(name, value, 0, 65_535);
                case "--host" -> {
                    if (value.isBlank()) {
                        throw new UsageException("--host must not be empty");
                    }
                    host = value;
                }
                case "--ttft-ms" -> ttft = number(name, value, 0, SimulatorConfig.MAX_DELAY_MS);
                case "--itl-ms" -> itl = number(name, value, 0, SimulatorConfig.MAX_DELAY_MS);
                case "--tokens" -> tokens = number(name, value, 1, SimulatorConfig.MAX_TOKENS);
                case "--threads" -> threads = number(name, value, 1, SimulatorConfig.MAX_THREADS);
                default -> throw new UsageException(name.startsWith("--")
                        ? "unknown option " + name : "unexpected argument '" + name + "'");
            }
        }
        return new SimulatorConfig(host, (int) port, ttft, itl, (int) tokens, (int) threads);
    }

    private static long number(String name, String value, long min, long max) throws UsageException {
        try {
            long number = Long.parseLong(value.strip());
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new UsageException(name + " must be an integer in " + min + ".." + max + ", was '" + value + "'");
    }
}
