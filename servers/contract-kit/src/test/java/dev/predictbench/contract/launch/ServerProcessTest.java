package dev.predictbench.contract.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.predictbench.contract.Stacks;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerProcessTest {
    private static final Path ROOT = Path.of("/checkout");
    private static final Path JAVA = Path.of("/jdk/bin/java");

    @Test
    void aJarIsStartedWithTheSharedJvmFlagsAndPinnedWhenThereIsACpuSet() {
        Stacks.Launch jar = Stacks.Launch.jar("servers/javalin/target/server-javalin.jar");
        assertEquals(List.of("/jdk/bin/java", "-Xmx1g", "-jar", "/checkout/servers/javalin/target/server-javalin.jar"),
                ServerProcess.command(jar, ROOT, new JvmSettings(JAVA, List.of("-Xmx1g"), null)));
        assertEquals(List.of("taskset", "-c", "1", "/jdk/bin/java", "-Xmx1g", "-jar",
                        "/checkout/servers/javalin/target/server-javalin.jar"),
                ServerProcess.command(jar, ROOT, new JvmSettings(JAVA, List.of("-Xmx1g"), "1")));
    }

    @Test
    void aCommandLineRunsAsGivenWithItsFolderPathsResolvedAndTheSamePinning() {
        Stacks.Launch command = new Stacks.Launch.Command("servers/flask",
                List.of("./target/venv/bin/gunicorn", "--workers", "2", "app:app"), null);
        assertEquals(List.of("taskset", "-c", "0-1", "/checkout/servers/flask/target/venv/bin/gunicorn", "--workers", "2",
                        "app:app"),
                ServerProcess.command(command, ROOT, new JvmSettings(JAVA, List.of("-Xmx1g"), "0-1")));
        assertEquals(List.of("python3", "-m", "app"), ServerProcess.command(
                new Stacks.Launch.Command("servers/x", List.of("python3", "-m", "app"), null), ROOT,
                new JvmSettings(JAVA, List.of(), null)));
        assertEquals(List.of("/checkout/servers/python/target/venv/bin/python", "/checkout/servers/fastapi/app/serve.py"),
                ServerProcess.command(Stacks.FASTAPI.launch(), ROOT, new JvmSettings(JAVA, List.of("-Xmx1g"), null)),
                "a relative program is a path from the repository root, the JVM's flags are not used");
    }
}
