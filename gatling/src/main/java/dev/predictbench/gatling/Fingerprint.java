package dev.predictbench.gatling;

import dev.predictbench.contract.launch.JvmSettings;
import dev.predictbench.results.RunRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The environment a run happened in, read from the machine: what a comparison checks first. */
public final class Fingerprint {
    private Fingerprint() {
    }

    public static RunRecord.Environment read(Path repoRoot, JvmSettings server, BenchSettings settings,
                                             Map<String, String> stackVersions) {
        String cpuModel = "unknown";
        int cpus = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name") && cpuModel.equals("unknown")) {
                    cpuModel = line.substring(line.indexOf(':') + 1).trim();
                }
                if (line.startsWith("processor")) {
                    cpus++;
                }
            }
        } catch (IOException e) {
            cpus = Runtime.getRuntime().availableProcessors();
        }
        long memory = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    memory = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            // not Linux: leave 0
        }
        List<String> flags = new ArrayList<>();
        server.flags().forEach(f -> flags.add("server: " + f));
        dev.predictbench.gatling.load.LoadProcess.JVM_FLAGS.forEach(f -> flags.add("load client: " + f));
        Map<String, String> versions = new LinkedHashMap<>(stackVersions);
        String ort = ai.onnxruntime.OrtEnvironment.class.getPackage().getImplementationVersion();
        versions.put("onnxruntime", ort == null ? "see pom.xml" : ort);
        String status = git(repoRoot, "status", "--porcelain", "--untracked-files=no");
        return new RunRecord.Environment(cpuModel, cpus, memory, osName(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                System.getProperty("java.vendor") + " " + System.getProperty("java.runtime.version"),
                flags, settings.serverCpus(), settings.loadCpus(), commit(repoRoot),
                status == null ? null : !status.isBlank(), versions);
    }

    /** The short commit, or "nogit" outside a git checkout. */
    /**
     * The version line of the JDK the servers run on ({@code java -version}'s first line with the
     * runtime's build), or the runner's own when that is the same java.
     */
    public static String javaVersion(JvmSettings server) {
        try {
            Process p = new ProcessBuilder(server.java().toString(), "-XshowSettings:properties", "-version")
                    .redirectErrorStream(true).start();
            String vendor = null;
            String version = null;
            try (java.io.BufferedReader r = p.inputReader()) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    String t = line.trim();
                    if (t.startsWith("java.vendor = ")) {
                        vendor = t.substring(14);
                    } else if (t.startsWith("java.runtime.version = ")) {
                        version = t.substring(23);
                    }
                }
            }
            p.waitFor();
            return version == null ? server.java().toString() : (vendor == null ? "" : vendor + " ") + version;
        } catch (IOException | RuntimeException e) {
            return server.java() + " (version unknown: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return server.java().toString();
        }
    }

    public static String commit(Path repoRoot) {
        String c = git(repoRoot, "rev-parse", "--short=12", "HEAD");
        return c == null || c.isBlank() ? "nogit" : c.trim();
    }

    private static String osName() {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
                if (line.startsWith("PRETTY_NAME=")) {
                    return line.substring(12).replace("\"", "");
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return System.getProperty("os.name");
    }

    /** A git command's output in {@code dir}, or null when it failed. */
    static String git(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
