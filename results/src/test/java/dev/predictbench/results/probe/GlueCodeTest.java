package dev.predictbench.results.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GlueCodeTest {
    @Test
    void countsCodeLinesButNotBlankLinesOrComments() {
        String source = """
                package a;

                /**
                 * Javadoc.
                 */
                final class A { // a trailing comment keeps its line
                    // a line comment
                    /* a block */ int x = 1;
                    String s = "// not a comment";
                    /* a block
                       over two lines */
                }
                """;
        assertEquals(5, GlueCode.codeLines(source));
    }

    @Test
    void countsPythonCodeButNotCommentsOrDocstrings() {
        String source = String.join("\n",
                "\"\"\"The module's docstring,",
                "over two lines.\"\"\"",
                "import os  # a trailing comment keeps its line",
                "",
                "# a comment",
                "def f():",
                "    '''One line.'''",
                "    return os.sep",
                "TEXT = \"\"\"a value in triple quotes",
                "counts as code\"\"\"",
                "");
        assertEquals(5, GlueCode.pythonCodeLines(source), "import, def, return and both lines of the assigned value");
    }

    @Test
    void aModuleWithoutJavaCountsItsPythonApp(@TempDir Path module) throws IOException {
        Files.createDirectories(module.resolve("app/sub"));
        Files.writeString(module.resolve("app/main.py"), "import sub\n\n# no\nx = 1\n");
        Files.writeString(module.resolve("app/sub/__init__.py"), "\"\"\"Docs.\"\"\"\n");
        Files.writeString(module.resolve("app/notes.txt"), "not python\n");
        assertEquals(new GlueCode(2, 2), GlueCode.of(module));
    }

    @Test
    void countsEveryJavaFileUnderSrcMainJavaOnly(@TempDir Path module) throws IOException {
        Files.createDirectories(module.resolve("src/main/java/a"));
        Files.createDirectories(module.resolve("src/test/java/a"));
        Files.writeString(module.resolve("src/main/java/a/A.java"), "class A {\n}\n");
        Files.writeString(module.resolve("src/main/java/a/B.java"), "class B {}\n");
        Files.writeString(module.resolve("src/test/java/a/ATest.java"), "class ATest {}\n");
        assertEquals(new GlueCode(3, 2), GlueCode.of(module));
        assertEquals(new GlueCode(0, 0), GlueCode.of(module.resolve("nothing")));
    }

    @Test
    void aHostedStackCountsItsHostsGlueToo(@TempDir Path servers) throws IOException {
        Path host = servers.resolve("host");
        Path hosted = servers.resolve("hosted");
        Files.createDirectories(host.resolve("src/main/java"));
        Files.createDirectories(hosted.resolve("src/main/java"));
        Files.writeString(host.resolve("src/main/java/H.java"), "class H {\n  int x;\n}\n");
        Files.writeString(hosted.resolve("src/main/java/S.java"), "class S {}\n");
        assertEquals(new GlueCode(4, 2), GlueCode.of(List.of(hosted, host)));
        assertEquals(new GlueCode(1, 1), GlueCode.of(List.of(hosted)));
    }
}
