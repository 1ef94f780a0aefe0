package dev.predictbench.results.probe;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * What a server can do for LLM/GenAI out of the box, found rather than asserted: the classes on its
 * runtime classpath. The classpath is the runnable jar, the jars its manifest's {@code Class-Path}
 * names (Javalin, Helidon, LangChain4j: {@code target/libs}), the jars nested in it (Spring Boot:
 * {@code BOOT-INF/lib}) and a Quarkus application's {@code lib} folder. A capability counts when one
 * of its marker classes is there.
 */
public final class GenAiScan {
    /** How the figure is made, for the run record's {@code sources}. */
    public static final String SOURCE = "marker classes of GenAI libraries (LangChain4j, Spring AI, Quarkus LangChain4j, "
            + "Helidon AI) on the server's runtime classpath: the runnable jar, its Class-Path, nested and lib-folder jars";

    /** Capability -> marker class (as a jar entry) -> the library's name as a reader knows it. */
    static final Map<String, Map<String, String>> MARKERS = markers();

    private GenAiScan() {
    }

    private static Map<String, Map<String, String>> markers() {
        Map<String, Map<String, String>> m = new LinkedHashMap<>();
        m.put("chat-model API", Map.of(
                "dev/langchain4j/model/chat/ChatModel.class", "LangChain4j",
                "org/springframework/ai/chat/model/ChatModel.class", "Spring AI"));
        m.put("LLM client (OpenAI-compatible)", Map.of(
                "dev/langchain4j/model/openai/OpenAiChatModel.class", "LangChain4j OpenAI",
                "org/springframework/ai/openai/OpenAiChatModel.class", "Spring AI OpenAI"));
        m.put("AI services / tools", Map.of(
                "dev/langchain4j/service/AiServices.class", "LangChain4j",
                "io/quarkiverse/langchain4j/RegisterAiService.class", "Quarkus LangChain4j",
                "io/helidon/integrations/langchain4j/Ai.class", "Helidon LangChain4j"));
        m.put("local embedding model", Map.of(
                "dev/langchain4j/model/embedding/onnx/allminilml6v2/AllMiniLmL6V2EmbeddingModel.class", "LangChain4j embeddings",
                "org/springframework/ai/transformers/TransformersEmbeddingModel.class", "Spring AI transformers"));
        m.put("vector store", Map.of(
                "dev/langchain4j/store/embedding/inmemory/InMemoryEmbeddingStore.class", "LangChain4j",
                "org/springframework/ai/vectorstore/SimpleVectorStore.class", "Spring AI"));
        m.put("RAG pipeline", Map.of(
                "dev/langchain4j/rag/RetrievalAugmentor.class", "LangChain4j",
                "org/springframework/ai/rag/advisor/RetrievalAugmentationAdvisor.class", "Spring AI"));
        return m;
    }

    /** How the figure is made for a Python stack, for the run record's {@code sources}. */
    public static final String PYTHON_SOURCE = "GenAI library modules (LangChain, the OpenAI SDK, sentence-transformers) the "
            + "app imports (app/**/*.py; the three Python stacks share one environment, so what is installed says nothing "
            + "about a stack, what it imports does)";

    /** Capability -> module a Python app imports (or a module below it) -> the library's name as a reader knows it. */
    static final Map<String, Map<String, String>> PYTHON_MARKERS = pythonMarkers();

    private static Map<String, Map<String, String>> pythonMarkers() {
        Map<String, Map<String, String>> m = new LinkedHashMap<>();
        m.put("chat-model API", Map.of("langchain_core.language_models", "LangChain"));
        m.put("LLM client (OpenAI-compatible)", Map.of("openai", "OpenAI SDK", "langchain_openai", "LangChain OpenAI"));
        m.put("AI services / tools", Map.of("langchain_core.tools", "LangChain", "langchain.tools", "LangChain"));
        m.put("local embedding model", Map.of("langchain_core.embeddings", "LangChain Embeddings",
                "sentence_transformers", "sentence-transformers"));
        m.put("vector store", Map.of("langchain_core.vectorstores", "LangChain"));
        m.put("RAG pipeline", Map.of("langchain_core.retrievers", "LangChain", "langchain.chains", "LangChain"));
        return m;
    }

    private static final java.util.regex.Pattern IMPORT = java.util.regex.Pattern.compile("^\\s*import\\s+(.+)$");
    private static final java.util.regex.Pattern FROM = java.util.regex.Pattern.compile("^\\s*from\\s+([\\w.]+)\\s+import\\s+\\(?([^)#]*)");

    /**
     * Scans a Python app's imports ({@code import x.y}, {@code from x.y import z}) in every {@code .py}
     * file under {@code app}.
     *
     * @return as {@link #scan(Path)}; empty when the folder is absent or imports no GenAI library
     */
    public static List<String> scanPython(Path app) throws IOException {
        Set<String> modules = new LinkedHashSet<>();
        if (Files.isDirectory(app)) {
            try (Stream<Path> walk = Files.walk(app)) {
                for (Path file : walk.filter(p -> p.toString().endsWith(".py")).sorted().toList()) {
                    for (String line : Files.readAllLines(file)) {
                        importedModules(line, modules);
                    }
                }
            }
        }
        List<String> found = new ArrayList<>();
        PYTHON_MARKERS.forEach((capability, markers) -> markers.entrySet().stream()
                .filter(e -> modules.stream().anyMatch(m -> m.equals(e.getKey()) || m.startsWith(e.getKey() + ".")))
                .map(Map.Entry::getValue)
                .sorted()
                .findFirst()
                .ifPresent(library -> found.add(capability + ": " + library)));
        return found;
    }

    /** The modules one line of Python imports: {@code from a import b, c} imports a, a.b and a.c as far as names go. */
    static void importedModules(String line, Set<String> into) {
        java.util.regex.Matcher from = FROM.matcher(line);
        if (from.find()) {
            into.add(from.group(1));
            for (String name : from.group(2).split(",")) {
                String n = name.trim().split("\\s+")[0];
                if (n.matches("\\w+")) {
                    into.add(from.group(1) + "." + n);
                }
            }
            return;
        }
        java.util.regex.Matcher imp = IMPORT.matcher(line);
        if (imp.find()) {
            for (String name : imp.group(1).split("#")[0].split(",")) {
                String n = name.trim().split("\\s+")[0];
                if (n.matches("[\\w.]+")) {
                    into.add(n);
                }
            }
        }
    }

    /**
     * Scans a runnable jar's classpath.
     *
     * @return {@code "<capability>: <library>"} for every capability found, in a fixed order; empty
     *         when the jar is absent or offers none
     */
    public static List<String> scan(Path runnableJar) throws IOException {
        Set<String> entries = new LinkedHashSet<>();
        for (Path jar : classpath(runnableJar)) {
            entriesOf(jar, entries);
        }
        List<String> found = new ArrayList<>();
        MARKERS.forEach((capability, classes) -> classes.entrySet().stream()
                .filter(e -> entries.contains(e.getKey()))
                .map(Map.Entry::getValue)
                .sorted()
                .findFirst()
                .ifPresent(library -> found.add(capability + ": " + library)));
        return found;
    }

    /**
     * The runnable jar of a server module, found by its build's layout: a Quarkus application's
     * {@code quarkus-app/quarkus-run.jar}, else the one {@code server-*.jar} in {@code target/}.
     */
    public static Path runnableJar(Path serverModule) throws IOException {
        Path quarkus = serverModule.resolve("target/quarkus-app/quarkus-run.jar");
        if (Files.isRegularFile(quarkus)) {
            return quarkus;
        }
        Path target = serverModule.resolve("target");
        if (!Files.isDirectory(target)) {
            return null;
        }
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(p -> p.getFileName().toString().matches("server-.*\\.jar")).sorted().findFirst().orElse(null);
        }
    }

    static List<Path> classpath(Path runnableJar) throws IOException {
        List<Path> jars = new ArrayList<>();
        if (runnableJar == null || !Files.isRegularFile(runnableJar)) {
            return jars;
        }
        jars.add(runnableJar);
        try (JarFile jar = new JarFile(runnableJar.toFile())) {
            Manifest mf = jar.getManifest();
            String cp = mf == null ? null : mf.getMainAttributes().getValue("Class-Path");
            if (cp != null) {
                for (String entry : cp.trim().split("\\s+")) {
                    Path p = runnableJar.getParent().resolve(entry).normalize();
                    if (entry.endsWith(".jar") && Files.isRegularFile(p)) {
                        jars.add(p);
                    }
                }
            }
        }
        Path quarkusLib = runnableJar.getParent().resolve("lib");
        if (runnableJar.getFileName().toString().equals("quarkus-run.jar") && Files.isDirectory(quarkusLib)) {
            try (Stream<Path> walk = Files.walk(quarkusLib)) {
                walk.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(jars::add);
            }
        }
        return jars;
    }

    private static void entriesOf(Path jar, Set<String> into) throws IOException {
        try (InputStream in = Files.newInputStream(jar)) {
            entriesOf(in, into);
        }
    }

    /** Entry names of a jar, and of the jars nested in it (Spring Boot's BOOT-INF/lib), one level deep. */
    private static void entriesOf(InputStream jar, Set<String> into) throws IOException {
        ZipInputStream zip = new ZipInputStream(jar);
        for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
            String name = e.getName();
            if (name.endsWith(".jar")) {
                Set<String> nested = new LinkedHashSet<>();
                ZipInputStream inner = new ZipInputStream(zip);
                for (ZipEntry n = inner.getNextEntry(); n != null; n = inner.getNextEntry()) {
                    nested.add(n.getName());
                }
                into.addAll(nested);
            } else {
                into.add(name.startsWith("BOOT-INF/classes/") ? name.substring("BOOT-INF/classes/".length()) : name);
            }
        }
    }
}
