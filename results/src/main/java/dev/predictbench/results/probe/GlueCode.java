package dev.predictbench.results.probe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Counts a stack's glue: non-blank lines of Java that are not comments, in {@code src/main/java}
 * of its module (of Python in {@code app/} for a Python stack, whose shared part is
 * {@code servers/python/predictbench} as shared-model is the JVM stacks') and, for a stack hosted on another's glue, of the host's module too. Everything
 * that is not glue lives in shared-model, so this is what a user of the framework writes to serve
 * the model.
 *
 * @param lines code lines
 * @param files Java files
 */
public record GlueCode(int lines, int files) {
    /** How the figure is made, for the run record's {@code sources}. */
    public static final String SOURCE = "non-blank, non-comment lines of src/main/java/**/*.java (a Python app: app/**/*.py,"
            + " docstrings not counted) in servers/<stack>/ and, for a stack hosted on another's glue, in the host's module";

    /** The modules' counts added up. */
    public static GlueCode of(List<Path> modules) {
        int lines = 0;
        int files = 0;
        for (Path module : modules) {
            GlueCode one = of(module);
            lines += one.lines;
            files += one.files;
        }
        return new GlueCode(lines, files);
    }

    /**
     * Counts the module's {@code src/main/java}, or for a Python app its {@code app/**}{@code /*.py};
     * zero files when neither folder is there.
     */
    public static GlueCode of(Path serverModule) {
        Path src = serverModule.resolve("src/main/java");
        if (!Files.isDirectory(src)) {
            return ofPython(serverModule.resolve("app"));
        }
        try (Stream<Path> walk = Files.walk(src)) {
            List<Path> files = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
            int lines = 0;
            for (Path f : files) {
                lines += codeLines(Files.readString(f));
            }
            return new GlueCode(lines, files.size());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static GlueCode ofPython(Path app) {
        if (!Files.isDirectory(app)) {
            return new GlueCode(0, 0);
        }
        try (Stream<Path> walk = Files.walk(app)) {
            List<Path> files = walk.filter(p -> p.toString().endsWith(".py")).sorted().toList();
            int lines = 0;
            for (Path f : files) {
                lines += pythonCodeLines(Files.readString(f));
            }
            return new GlueCode(lines, files.size());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Lines of Python with code on them: not blank, not only a {@code #} comment, and not part of a
     * docstring (a string literal in triple quotes that is a statement of its own, which is Python's
     * documentation comment). A triple-quoted string used as a value (after {@code =}, {@code (} or
     * {@code return}) is code.
     */
    static int pythonCodeLines(String source) {
        int count = 0;
        String docstringEnd = null;
        for (String raw : source.split("\\R")) {
            String line = raw.strip();
            if (docstringEnd != null) {
                if (line.contains(docstringEnd)) {
                    docstringEnd = null;
                }
                continue;
            }
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String quote = line.startsWith("\"\"\"") ? "\"\"\"" : line.startsWith("'''") ? "'''" : null;
            if (quote == null && line.length() > 1 && "rRbBuU".indexOf(line.charAt(0)) >= 0) {
                String rest = line.substring(1);
                quote = rest.startsWith("\"\"\"") ? "\"\"\"" : rest.startsWith("'''") ? "'''" : null;
            }
            if (quote != null) {
                int open = line.indexOf(quote);
                if (line.indexOf(quote, open + 3) < 0) {
                    docstringEnd = quote;
                }
                continue;
            }
            count++;
        }
        return count;
    }

    /**
     * Lines with code on them. A line holding only a comment ({@code //}, or any part of a
     * {@code /* ... *}{@code /} block, Javadoc included) does not count; a line with code and a
     * trailing comment does. Comment markers inside string literals are rare enough in glue code to
     * be ignored, except that a {@code "//"} in a string does not end the line's code.
     */
    static int codeLines(String source) {
        int count = 0;
        boolean inBlock = false;
        for (String raw : source.split("\\R")) {
            String line = raw.strip();
            boolean code = false;
            int i = 0;
            while (i < line.length()) {
                if (inBlock) {
                    int end = line.indexOf("*/", i);
                    if (end < 0) {
                        i = line.length();
                    } else {
                        inBlock = false;
                        i = end + 2;
                    }
                } else if (line.startsWith("/*", i)) {
                    inBlock = true;
                    i += 2;
                } else if (line.startsWith("//", i)) {
                    break;
                } else if (line.charAt(i) == '"') {
                    code = true;
                    int close = i + 1;
                    while (close < line.length() && line.charAt(close) != '"') {
                        close += line.charAt(close) == '\\' ? 2 : 1;
                    }
                    i = close + 1;
                } else {
                    if (!Character.isWhitespace(line.charAt(i))) {
                        code = true;
                    }
                    i++;
                }
            }
            if (code) {
                count++;
            }
        }
        return count;
    }
}
