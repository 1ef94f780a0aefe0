package dev.predictbench.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MainTest {

    @Test
    void parsesEveryOption() throws Exception {
        SimulatorConfig config = Main.parse(new String[] {"--port", "8099", "--host=0.0.0.0", "--ttft-ms", "0",
                "--itl-ms", "7", "--tokens", "3", "--threads", "2"});
        assertEquals(new SimulatorConfig("0.0.0.0", 8099, 0, 7, 3, 2), config);
        assertEquals(SimulatorConfig.defaults(), Main.parse(new String[0]));
    }

    @Test
    void rejectsBadValues() {
        for (String[] args : List.of(new String[] {"--port", "abc"}, new String[] {"--port", "70000"},
                new String[] {"--port", "-1"}, new String[] {"--ttft-ms", "-5"}, new String[] {"--itl-ms", "1.5"},
                new String[] {"--tokens", "0"}, new String[] {"--threads", "0"}, new String[] {"--threads"},
                new String[] {"--host", " "}, new String[] {"--colour", "red"}, new String[] {"stray"})) {
            Main.UsageException e = assertThrows(Main.UsageException.class, () -> Main.parse(args), String.join(" ", args));
            assertTrue(e.getMessage().length() > 5);
        }
    }

    private static Process launch(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).start();
    }

    @Test
    void badArgumentExitsWith2AndSaysWhy() throws Exception {
        Process process = launch("--tokens", "many");
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, process.exitValue());
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(err.contains("--tokens must be an integer"), err);
        assertTrue(err.contains("usage:"), err);
    }

    @Test
    void printsItsPortAndServes() throws Exception {
        Process process = launch("--port", "0", "--ttft-ms", "0", "--itl-ms", "0", "--tokens", "4");
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertTrue(line != null && line.matches("llm-simulator listening on \\d+"), line);
            int port = Integer.parseInt(line.substring(line.lastIndexOf(' ') + 1));
            try (HttpClient client = HttpClient.newHttpClient()) {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                        .POST(HttpRequest.BodyPublishers.ofString(Sim.body("cli", false))).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, response.statusCode());
                assertTrue(response.body().contains(Json.quote(Script.completion("cli", 4))));
            }
        } finally {
            process.destroy();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        }
    }
}
