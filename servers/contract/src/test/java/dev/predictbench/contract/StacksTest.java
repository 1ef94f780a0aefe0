package dev.predictbench.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The registry against the checkout: what Maven and the prose need besides the registry entry is
 * present for every stack, and each failure names what is missing.
 */
class StacksTest {
    private static final Path ROOT = Stacks.repoRoot(Path.of("").toAbsolutePath());

    @Test
    void everyStackHasItsModuleFolderAndItsModuleLineBeforeTheEquivalenceTest() throws IOException {
        String pom = Files.readString(ROOT.resolve("pom.xml"));
        int equivalence = pom.indexOf("<module>servers/equivalence</module>");
        assertTrue(equivalence > 0, "the root pom has no servers/equivalence module");
        List<String> missing = new ArrayList<>();
        for (Stacks stack : Stacks.values()) {
            if (!Files.isRegularFile(ROOT.resolve(stack.module()).resolve("pom.xml"))) {
                missing.add(stack.module() + "/pom.xml");
            }
            int line = pom.indexOf("<module>" + stack.module() + "</module>");
            if (line < 0 || line > equivalence) {
                missing.add("<module>" + stack.module() + "</module> before servers/equivalence in pom.xml");
            }
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void theReadmeLayoutNamesEveryStackFolder() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        String layout = readme.lines().filter(l -> l.strip().startsWith("javalin/")).findFirst().orElse("");
        List<String> missing = Arrays.stream(Stacks.values()).map(s -> s.id() + "/")
                .filter(folder -> !layout.contains(folder)).toList();
        assertEquals(List.of(), missing, "README.md's layout line of server folders lacks " + missing);
    }

    @Test
    void aCommandStackIsUnavailableExactlyWhenItsBuildLeftTheReason(@org.junit.jupiter.api.io.TempDir Path root)
            throws IOException {
        assertEquals(java.util.Optional.empty(), Stacks.FASTAPI.unavailable(root));
        Path marker = root.resolve(Stacks.Launch.PYTHON_UNAVAILABLE);
        Files.createDirectories(marker.getParent());
        Files.writeString(marker, "no 'python3' on PATH\n");
        assertEquals(java.util.Optional.of("no 'python3' on PATH"), Stacks.FASTAPI.unavailable(root));
        assertEquals(java.util.Optional.empty(), Stacks.JAVALIN.unavailable(root), "a jar stack has no such marker");
    }

    @Test
    void idsAreUniqueAndLookUpTheirStack() {
        for (Stacks stack : Stacks.values()) {
            assertEquals(stack, Stacks.byId(stack.id()));
            assertEquals(stack, Stacks.byId(" " + stack.id().toUpperCase() + " "));
        }
        assertEquals(Stacks.values().length, Arrays.stream(Stacks.values()).map(Stacks::id).distinct().count());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Stacks.byId("no-such-stack"));
        assertTrue(e.getMessage().contains("known: " + Stacks.ids()), e.getMessage());
        assertEquals(List.of(Stacks.JAVALIN, Stacks.QUARKUS), Stacks.parse("javalin, quarkus,javalin"));
        assertEquals(List.of(Stacks.values()), Stacks.parse(" all "));
    }

    @Test
    void derivedListsFollowTheEntries() {
        for (Stacks stack : Stacks.values()) {
            assertTrue(!stack.threading().isEmpty(), stack + " has no threading model");
            stack.threading().forEach(t -> assertTrue(Contract.THREADING_MODELS.contains(t.model()), t.model()));
            assertTrue(stack.host().flatMap(Stacks::host).isEmpty(), stack + ": a host is not hosted itself");
            assertEquals(stack.host().isEmpty() && stack.isJvm(), Stacks.codecStacks().contains(stack.id()), stack + " codec");
        }
        assertEquals(List.of("servers/langchain4j", "servers/javalin"), Stacks.LANGCHAIN4J.glueModules());
        assertEquals(List.of("servers/spring-boot"), Stacks.SPRING_BOOT.glueModules());
        assertEquals(Contract.THREADING_MODELS.stream().distinct().toList(), Contract.THREADING_MODELS);
    }

    @Test
    void aCommandLaunchNeedsAProgramAndAJarLaunchIsTheOnlyOneWithAJar() {
        assertThrows(IllegalArgumentException.class, () -> new Stacks.Launch.Command("servers/x", List.of(), "x"));
        Stacks.Launch command = new Stacks.Launch.Command("servers/flask", List.of("./venv/bin/gunicorn", "app:app"), null);
        assertEquals("./venv/bin/gunicorn", command.artifact(), "a command's program says whether it is built");
        assertTrue(Stacks.JAVALIN.isJvm());
        assertTrue(!Stacks.FASTAPI.isJvm());
        assertEquals("servers/python/target/venv/bin/python", Stacks.FASTAPI.artifact());
        assertEquals(Map.of(), Stacks.QUARKUS.threading().getFirst().environment());
        assertTrue(Stacks.JAVALIN.jar().endsWith(".jar"));
    }
}
