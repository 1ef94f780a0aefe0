package dev.predictbench.contract.launch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How every server JVM is started, defined once: the same {@code java} and the same flags for
 * every stack, optionally pinned to a CPU set with {@code taskset}. The defaults give each server a
 * fixed 512 MiB heap on G1 so no stack gets more memory than another; {@code -Dbench.jvmFlags="..."}
 * (space-separated) replaces them. Whatever is used goes into the run record.
 *
 * @param java   the {@code java} executable (by default the one running this code, which Maven's
 *               toolchain chose)
 * @param flags  JVM flags placed before {@code -jar}
 * @param cpuSet a {@code taskset -c} CPU list, or null for no pinning
 */
public record JvmSettings(Path java, List<String> flags, String cpuSet) {
    public static final List<String> DEFAULT_FLAGS = List.of(
            "-Xms512m", "-Xmx512m", "-XX:+UseG1GC", "--enable-native-access=ALL-UNNAMED");

    public JvmSettings {
        flags = List.copyOf(flags);
    }

    /** The running JVM's {@code java}, flags from {@code bench.jvmFlags} or the defaults, no pinning. */
    public static JvmSettings defaults() {
        String flags = System.getProperty("bench.jvmFlags");
        return new JvmSettings(Path.of(System.getProperty("java.home"), "bin", "java"),
                flags == null || flags.isBlank() ? DEFAULT_FLAGS : Arrays.asList(flags.trim().split("\\s+")), null);
    }

    public JvmSettings pinnedTo(String cpus) {
        return new JvmSettings(java, flags, cpus);
    }

    /** The whole command line for a jar. */
    public List<String> command(Path jar) {
        List<String> command = new ArrayList<>(List.of(java.toString()));
        command.addAll(flags);
        command.add("-jar");
        command.add(jar.toString());
        return pinned(command);
    }

    /** A command line as given, pinned to the CPU set when there is one (a server that is not a jar). */
    public List<String> pinned(List<String> argv) {
        List<String> command = new ArrayList<>();
        if (cpuSet != null && !cpuSet.isBlank()) {
            command.addAll(List.of("taskset", "-c", cpuSet));
        }
        command.addAll(argv);
        return command;
    }
}
