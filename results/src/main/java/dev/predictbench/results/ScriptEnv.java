package dev.predictbench.results;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes {@code results/target/scripts.env} at package time: the java of the build's JDK toolchain
 * and this module's runtime classpath, as shell variables. {@code scripts/compare} and
 * {@code scripts/report} source it, so they run on the same JDK 21+ as the build (not the machine's
 * default java, which may be older) without starting Maven, and keep the tools' own exit codes.
 */
public final class ScriptEnv {
    private ScriptEnv() {
    }

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String text = "# written by ./mvnw package (results module): the toolchain's java and this module's classpath\n"
                + "PREDICTBENCH_JAVA=" + quote(java) + "\n"
                + "PREDICTBENCH_CLASSPATH=" + quote(System.getProperty("java.class.path")) + "\n";
        RunRecords.writeAtomically(file, text);
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
