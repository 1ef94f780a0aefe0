package dev.predictbench.contract;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The stacks the harness knows: each is a module under {@code servers/} whose build leaves one jar
 * started with {@code java -jar}. Adding a sixth stack means adding one constant here.
 */
public enum Stacks {
    JAVALIN("javalin", "servers/javalin/target/server-javalin.jar", false, Map.of()),
    SPRING_BOOT("spring-boot", "servers/spring-boot/target/server-spring-boot.jar", false, Map.of()),
    // Quarkus does not expose Vert.x's invalidRequestHandler (quarkusio/quarkus#55082), and its HTTP
    // layer answers a target outside its root path ("/") with 404 before any route or hook runs.
    QUARKUS("quarkus", "servers/quarkus/target/quarkus-app/quarkus-run.jar", true,
            Map.of("request target without a leading slash", 404)),
    HELIDON_SE("helidon-se", "servers/helidon-se/target/server-helidon-se.jar", false, Map.of()),
    LANGCHAIN4J("langchain4j", "servers/langchain4j/target/server-langchain4j.jar", false, Map.of());

    private final String id;
    private final String jar;
    private final boolean httpLayerAnswersWithoutBody;
    private final Map<String, Integer> httpLayerStatuses;

    Stacks(String id, String jar, boolean httpLayerAnswersWithoutBody, Map<String, Integer> httpLayerStatuses) {
        this.id = id;
        this.jar = jar;
        this.httpLayerAnswersWithoutBody = httpLayerAnswersWithoutBody;
        this.httpLayerStatuses = httpLayerStatuses;
    }

    /**
     * Hostile requests (by name) that the stack's HTTP layer answers itself, before any route or
     * hook, with another status than the contract's and an empty body: see
     * {@code KitTarget.httpLayerStatuses()} in contract-kit.
     */
    public Map<String, Integer> httpLayerStatuses() {
        return httpLayerStatuses;
    }

    /**
     * Whether the stack's framework answers a request that is not HTTP with only a status (no hook
     * for a body): see {@code KitTarget.httpLayerAnswersWithoutBody()} in contract-kit.
     */
    public boolean httpLayerAnswersWithoutBody() {
        return httpLayerAnswersWithoutBody;
    }

    /** The stack's name as in {@code /info} and run records (its module folder's name). */
    public String id() {
        return id;
    }

    /** The runnable jar, relative to the repository root. */
    public String jar() {
        return jar;
    }

    public Path jar(Path repoRoot) {
        return repoRoot.resolve(jar);
    }

    /** The stack with this id, if the registry has one. */
    public static java.util.Optional<Stacks> find(String id) {
        String wanted = id.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(s -> s.id.equals(wanted)).findFirst();
    }

    public static Stacks byId(String id) {
        String wanted = id.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(s -> s.id.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown stack '" + id + "'; known: " + ids()));
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
