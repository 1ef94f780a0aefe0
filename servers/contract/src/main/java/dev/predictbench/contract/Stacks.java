package dev.predictbench.contract;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The registry of stacks: everything the build, the kit and the runner need to know about a stack
 * beyond its folder {@code servers/<id>/}. Adding a stack is that folder, its module line in the
 * root pom, and one constant here; the threading models {@code /info} may report, the codec
 * benchmark's stacks, the equivalence test's servers and the glue count are derived from it.
 */
public enum Stacks {
    JAVALIN("javalin", Launch.jar("servers/javalin/target/server-javalin.jar"), null,
            List.of(Threading.DEFAULT_POOL, new Threading("virtual-threads", Map.of(Stacks.VARIANT_ENV, "virtual"))), HttpLayer.NONE),
    SPRING_BOOT("spring-boot", Launch.jar("servers/spring-boot/target/server-spring-boot.jar"), null,
            List.of(Threading.DEFAULT_POOL,
                    new Threading("virtual-threads", Map.of(Stacks.VARIANT_ENV, "virtual"))),
            HttpLayer.NONE),
    // Quarkus does not expose Vert.x's invalidRequestHandler (quarkusio/quarkus#55082): Vert.x answers
    // a request that is not HTTP with a status and no body. Its HTTP layer also answers a target
    // outside its root path ("/") with 404 before any route or hook runs.
    QUARKUS("quarkus", Launch.jar("servers/quarkus/target/quarkus-app/quarkus-run.jar"), null,
            List.of(new Threading("event-loop+workers", Map.of()),
                    new Threading("event-loop+virtual-threads", Map.of(Stacks.VARIANT_ENV, "virtual")),
                    new Threading("event-loop+workers-for-inference", Map.of(Stacks.VARIANT_ENV, "reactive"))),
            new HttpLayer(true, Map.of("request target without a leading slash", 404))),
    HELIDON_SE("helidon-se", Launch.jar("servers/helidon-se/target/server-helidon-se.jar"), null,
            List.of(new Threading("virtual-threads", Map.of())), HttpLayer.NONE),
    // The LangChain4j stack is hosted on the Javalin glue: its own module adds the LangChain4j
    // retrieval and tool calling, the HTTP edge and JSON codec are Javalin's.
    LANGCHAIN4J("langchain4j", Launch.jar("servers/langchain4j/target/server-langchain4j.jar"), JAVALIN,
            List.of(Threading.DEFAULT_POOL, new Threading("virtual-threads", Map.of(Stacks.VARIANT_ENV, "virtual"))), HttpLayer.NONE),
    // The article's stacks, on ONNX Runtime for Python in the environment servers/python builds. FastAPI
    // runs under uvicorn (uvloop, httptools) with one worker process per CPU it may run on; each worker
    // runs its event loop and FastAPI's thread pool for the blocking inference endpoints.
    // uvicorn answers what httptools cannot parse with 400 and its own text/plain body, before the app runs:
    // also a request target past httptools' 64 KiB URL limit (414 in the contract) and a method llhttp does
    // not know (405 in the contract).
    FASTAPI("fastapi", Launch.python("servers/fastapi", "./app/serve.py"), null,
            List.of(new Threading("worker-processes+event-loop+thread-pool", Map.of())),
            new HttpLayer(true, Map.of("64 KiB query", 400, "64 KiB path", 400, "POST /predict with a 64 KiB query", 400,
                    "unknown method BREW /predict", 400), "text/plain")),
    // Flask under gunicorn with sync workers, 2 x the CPUs it may run on + 1 (gunicorn's documented formula):
    // each worker process runs one request at a time.
    // gunicorn answers what its parser refuses with its own text/html page before Flask runs: a request line
    // over its 4094-byte limit with 400 (414 in the contract), a transfer coding it does not implement with 501.
    FLASK("flask", Launch.python("servers/flask", "./app/serve.py"), null,
            List.of(new Threading("worker-processes", Map.of()),
                    new Threading("worker-processes+threads", Map.of(Stacks.VARIANT_ENV, "gthread"))),
            new HttpLayer(true, Map.of("64 KiB query", 400, "64 KiB path", 400, "POST /predict with a 64 KiB query", 400,
                    "transfer coding the server does not implement", 501), "text/html")),
    // LangChain on FastAPI (the article's LangChain row): servers/fastapi's glue as is (uvicorn, its workers, the
    // HTTP edge, errors, meters), with /predict a LangChain tool call and /embed and /search through LangChain's
    // Embeddings and vector store; so its threading and its HTTP layer's own answers are FastAPI's.
    LANGCHAIN("langchain", Launch.python("servers/langchain", "./app/serve.py"), FASTAPI,
            FASTAPI.threading(), FASTAPI.httpLayer());

    /**
     * How the launcher starts a stack's server: {@code java [flags] -jar <jar>} from the repository
     * root, or a command line run in a folder of its own (a Python server). Either way with
     * {@code HOST} and {@code PORT} in its environment, pinned to the server's CPU set.
     */
    public sealed interface Launch {
        /** The file the build leaves, relative to the repository root: absent means not built. */
        String artifact();

        static Launch jar(String jar) {
            return new Jar(jar);
        }

        /**
         * A Python app: {@code script} run from {@code directory} by the interpreter of the virtual
         * environment servers/python builds; without Python that build leaves {@link #PYTHON_UNAVAILABLE}.
         */
        static Launch python(String directory, String script, String... args) {
            List<String> argv = new java.util.ArrayList<>(List.of(PYTHON, script));
            argv.addAll(List.of(args));
            return new Command(directory, argv, PYTHON_UNAVAILABLE);
        }

        /** The Python stacks' interpreter, relative to the repository root (servers/python builds it). */
        String PYTHON = "servers/python/target/venv/bin/python";

        /** Written by servers/python's build, with the reason, when it could not build the environment. */
        String PYTHON_UNAVAILABLE = "servers/python/target/python-unavailable.txt";

        /** Whether this is a JVM stack (a runnable jar), as opposed to a command line such as a Python app. */
        default boolean isJar() {
            return this instanceof Jar;
        }

        /**
         * Why the stack cannot run on this machine, when its build left that reason (Python missing);
         * empty when it can run or its build has not said.
         */
        default Optional<String> unavailable(Path repoRoot) {
            return Optional.empty();
        }

        /** A runnable jar, relative to the repository root. */
        record Jar(String artifact) implements Launch {
        }

        /**
         * A command line, run in {@code directory} (relative to the repository root); an argument
         * starting with {@code ./} is a path in that folder, the program (the first argument) a path
         * relative to the repository root.
         *
         * @param unavailableMarker the file the build writes, with the reason, when it cannot build
         *                          what the command runs (null when there is none)
         */
        record Command(String directory, List<String> argv, String unavailableMarker) implements Launch {
            public Command {
                argv = List.copyOf(argv);
                if (argv.isEmpty()) {
                    throw new IllegalArgumentException("a command needs at least the program");
                }
            }

            /** The program: its presence says the stack is built. */
            @Override
            public String artifact() {
                return argv.getFirst();
            }

            @Override
            public Optional<String> unavailable(Path repoRoot) {
                if (unavailableMarker == null) {
                    return Optional.empty();
                }
                Path marker = repoRoot.resolve(unavailableMarker);
                try {
                    return Files.isRegularFile(marker) ? Optional.of(Files.readString(marker).strip()) : Optional.empty();
                } catch (java.io.IOException e) {
                    return Optional.of("cannot read " + marker + ": " + e.getMessage());
                }
            }
        }
    }

    /**
     * A way the stack runs requests: the model {@code /info} reports, and the environment that
     * selects it (empty for the framework's default).
     */
    public record Threading(String model, Map<String, String> environment) {
        /** A pool of platform threads, the framework's default. */
        static final Threading DEFAULT_POOL = new Threading("platform-thread-pool", Map.of());

        public Threading {
            environment = Map.copyOf(environment);
        }
    }

    /**
     * What the stack's HTTP layer answers itself, before any route or hook the glue can add; the
     * kit accepts exactly this and nothing else (never a hang, and the server must be ready after).
     *
     * @param answersWithoutBody whether it answers requests that are not HTTP (BAD_REQUEST,
     *                           URI_TOO_LONG, HEADERS_TOO_LARGE) with the right status and an empty
     *                           body, because its framework offers no hook to write one; for
     *                           BAD_REQUEST found after dispatch (a chunk size that is not hex) it
     *                           may close the connection without an answer
     * @param statuses           hostile requests (by name in the kit's corpus) it answers with
     *                           another status than the contract's, and its own body
     * @param ownBodyType        the media type of the page the layer writes itself for such answers
     *                           (uvicorn: text/plain, gunicorn: text/html); null when they have no body
     */
    public record HttpLayer(boolean answersWithoutBody, Map<String, Integer> statuses, String ownBodyType) {
        public static final HttpLayer NONE = new HttpLayer(false, Map.of());

        public HttpLayer {
            statuses = Map.copyOf(statuses);
        }

        public HttpLayer(boolean answersWithoutBody, Map<String, Integer> statuses) {
            this(answersWithoutBody, statuses, null);
        }

        /**
         * Whether an answer's body is the HTTP layer's own: empty, or (when {@link #ownBodyType} is set)
         * a page of that media type the layer writes itself, never the contract's JSON.
         */
        public boolean ownBody(int bodyLength, String contentType) {
            return bodyLength == 0 || ownBodyType != null && contentType != null
                    && contentType.toLowerCase(java.util.Locale.ROOT).startsWith(ownBodyType);
        }
    }

    private final String id;
    private final Launch launch;
    private final Stacks host;
    private final List<Threading> threading;
    private final HttpLayer httpLayer;

    Stacks(String id, Launch launch, Stacks host, List<Threading> threading, HttpLayer httpLayer) {
        this.id = id;
        this.launch = launch;
        this.host = host;
        this.threading = List.copyOf(threading);
        this.httpLayer = httpLayer;
    }

    /** The stack's name as in {@code /info} and run records (its module folder's name). */
    public String id() {
        return id;
    }

    /** The stack's module folder, relative to the repository root. */
    public String module() {
        return "servers/" + id;
    }

    public Launch launch() {
        return launch;
    }

    /** The stack whose glue this one runs on (its HTTP edge and JSON codec), if any. */
    public Optional<Stacks> host() {
        return Optional.ofNullable(host);
    }

    /** The modules that make up the stack's glue: its own and its host's. */
    public List<String> glueModules() {
        return host == null ? List.of(module()) : List.of(module(), host.module());
    }

    /** Whether the stack has a JSON layer of its own (a hosted stack uses its host's). */
    public boolean ownCodec() {
        return host == null;
    }

    /** The stack's ways of running requests, its framework's default first. */
    public List<Threading> threading() {
        return threading;
    }

    public HttpLayer httpLayer() {
        return httpLayer;
    }

    /** Whether the stack is a JVM stack (a runnable jar on the shared inference module). */
    public boolean isJvm() {
        return launch.isJar();
    }

    /** Why the stack cannot run on this machine (its build said so, e.g. no python3), if it cannot. */
    public Optional<String> unavailable(Path repoRoot) {
        return launch.unavailable(repoRoot);
    }

    /** The file the build leaves for this stack, relative to the repository root. */
    public String artifact() {
        return launch.artifact();
    }

    public Path artifact(Path repoRoot) {
        return repoRoot.resolve(launch.artifact());
    }

    /** The runnable jar of a JVM stack, relative to the repository root. */
    public String jar() {
        if (launch instanceof Launch.Jar jar) {
            return jar.artifact();
        }
        throw new IllegalStateException(id + " is not launched from a jar: " + launch);
    }

    public Path jar(Path repoRoot) {
        return repoRoot.resolve(jar());
    }

    /** The setting that picks a stack's threading-model variant at start-up. */
    public static final String VARIANT_ENV = "PREDICTBENCH_VARIANT";

    /**
     * The stack's threading-model variants, the framework's default first: the ways it can run a
     * handler, chosen at start-up by {@link #VARIANT_ENV}. The runner measures each on the I/O-bound
     * {@code llm} workload; every other workload runs the default.
     */
    public List<String> variants() {
        return switch (this) {
            case JAVALIN, LANGCHAIN4J, SPRING_BOOT -> List.of("platform", "virtual");
            case QUARKUS -> List.of("blocking", "reactive", "virtual");
            case HELIDON_SE -> List.of("virtual");
            case FASTAPI, LANGCHAIN -> List.of("async");
            case FLASK -> List.of("sync", "gthread");
        };
    }

    /** The variant the framework ships, what the stack runs when {@link #VARIANT_ENV} is not set. */
    public String defaultVariant() {
        return variants().getFirst();
    }

    /** Every threading model a stack of the registry may report in {@code /info}. */
    public static List<String> threadingModels() {
        return Arrays.stream(values()).flatMap(s -> s.threading.stream()).map(Threading::model)
                .collect(Collectors.toCollection(LinkedHashSet::new)).stream().toList();
    }

    /** The JVM stacks with a JSON layer of their own, as ids (the codec benchmark runs them in-process). */
    public static List<String> codecStacks() {
        return Arrays.stream(values()).filter(s -> s.ownCodec() && s.isJvm()).map(Stacks::id).toList();
    }

    /** The stack with this id, if the registry has one. */
    public static Optional<Stacks> find(String id) {
        String wanted = id.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(s -> s.id.equals(wanted)).findFirst();
    }

    public static Stacks byId(String id) {
        return find(id).orElseThrow(() -> new IllegalArgumentException("unknown stack '" + id + "'; known: " + ids()));
    }

    /** Stacks from a comma-separated list of ids; blank or "all" means every stack. */
    public static List<Stacks> parse(String list) {
        if (list == null || list.isBlank() || list.trim().equalsIgnoreCase("all")) {
            return List.of(values());
        }
        return Arrays.stream(list.split(",")).filter(s -> !s.isBlank()).map(Stacks::byId).distinct().toList();
    }

    public static String ids() {
        return Arrays.stream(values()).map(Stacks::id).collect(Collectors.joining(","));
    }

    /** The repository root: the nearest folder above {@code start} holding {@code mvnw}. */
    public static Path repoRoot(Path start) {
        for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("mvnw")) && Files.exists(p.resolve("servers"))) {
                return p;
            }
        }
        throw new IllegalStateException("no predict-bench checkout above " + start);
    }

    public static Path repoRoot() {
        return repoRoot(Path.of(System.getProperty("user.dir")));
    }
}
