package dev.predictbench.results.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenAiScanTest {
    @TempDir
    Path dir;

    @Test
    void findsCapabilitiesInAPythonAppsImportsOnly() throws IOException {
        Path app = dir.resolve("app");
        Files.createDirectories(app.resolve("chain"));
        Files.writeString(app.resolve("main.py"), String.join("\n",
                "import os, json",
                "from fastapi import FastAPI",
                "from langchain_core.tools import tool  # the tool call",
                "from langchain_core import vectorstores",
                ""));
        Files.writeString(app.resolve("chain/embed.py"), "from langchain_core.embeddings import (\n    Embeddings,\n)\n");
        Files.writeString(app.resolve("notes.txt"), "import openai\n");
        assertEquals(List.of("AI services / tools: LangChain", "local embedding model: LangChain Embeddings",
                "vector store: LangChain"), GenAiScan.scanPython(app));
        assertEquals(List.of(), GenAiScan.scanPython(dir.resolve("none")));
        Files.createDirectories(dir.resolve("plain"));
        Files.writeString(dir.resolve("plain/main.py"), "import langchain_core_extra\nfrom fastapi import FastAPI\n");
        assertEquals(List.of(), GenAiScan.scanPython(dir.resolve("plain")), "a module whose name only starts alike");
    }

    @Test
    void findsCapabilitiesInClassPathJarsOfTheManifest() throws IOException {
        Files.createDirectories(dir.resolve("libs"));
        jar(dir.resolve("libs/langchain4j-core.jar"), null, "dev/langchain4j/model/chat/ChatModel.class",
                "dev/langchain4j/store/embedding/inmemory/InMemoryEmbeddingStore.class");
        jar(dir.resolve("server.jar"), "libs/langchain4j-core.jar", "a/Main.class");
        assertEquals(List.of("chat-model API: LangChain4j", "vector store: LangChain4j"), GenAiScan.scan(dir.resolve("server.jar")));
    }

    @Test
    void findsCapabilitiesInNestedJars() throws IOException {
        ByteArrayOutputStream nested = new ByteArrayOutputStream();
        try (JarOutputStream j = new JarOutputStream(nested)) {
            j.putNextEntry(new ZipEntry("org/springframework/ai/chat/model/ChatModel.class"));
            j.closeEntry();
        }
        Path boot = dir.resolve("boot.jar");
        try (JarOutputStream j = new JarOutputStream(Files.newOutputStream(boot))) {
            j.putNextEntry(new ZipEntry("BOOT-INF/lib/spring-ai-model.jar"));
            j.write(nested.toByteArray());
            j.closeEntry();
        }
        assertEquals(List.of("chat-model API: Spring AI"), GenAiScan.scan(boot));
    }

    @Test
    void aServerWithoutGenAiLibrariesOffersNone() throws IOException {
        jar(dir.resolve("plain.jar"), null, "io/javalin/Javalin.class");
        assertEquals(List.of(), GenAiScan.scan(dir.resolve("plain.jar")));
        assertEquals(List.of(), GenAiScan.scan(dir.resolve("absent.jar")));
    }

    private static void jar(Path file, String classPath, String... entries) throws IOException {
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (classPath != null) {
            mf.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
        }
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream j = new JarOutputStream(out, mf)) {
            for (String e : entries) {
                j.putNextEntry(new ZipEntry(e));
                j.closeEntry();
            }
        }
    }
}
