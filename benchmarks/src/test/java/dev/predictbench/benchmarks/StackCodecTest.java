package dev.predictbench.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.predictbench.model.PredictResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every codec the benchmark times does the job: same request bound, same response bytes, strict. */
class StackCodecTest {
    static final java.util.List<String> STACKS = StackCodec.STACKS;

    @ParameterizedTest
    @FieldSource("STACKS")
    void readsTheRequestEveryStackIsSent(String stack) throws Exception {
        assertEquals(Payloads.request(8), StackCodec.forStack(stack).read(Payloads.requestBody(8)));
    }

    @ParameterizedTest
    @FieldSource("STACKS")
    void writesTheSameResponseJson(String stack) throws Exception {
        PredictResponse response = Payloads.response(8);
        ObjectMapper plain = new ObjectMapper();
        JsonNode expected = plain.valueToTree(response);
        assertEquals(expected, plain.readTree(StackCodec.forStack(stack).write(response)));
    }

    /** Byte for byte, field order and number format included: Jackson 3 (Spring) writes what Jackson 2 writes. */
    @ParameterizedTest
    @FieldSource("STACKS")
    void writesTheSameBytesAsJavalin(String stack) throws Exception {
        PredictResponse response = Payloads.response(8);
        byte[] javalin = StackCodec.forStack("javalin").write(response);
        byte[] written = StackCodec.forStack(stack).write(response);
        assertArrayEquals(javalin, written, () -> new String(written, StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @FieldSource("STACKS")
    void rejectsUnknownFieldsAndStringNumbers(String stack) {
        StackCodec codec = StackCodec.forStack(stack);
        assertThrows(Exception.class, () -> codec.read("{\"instances\":[[1.0]],\"extra\":1}".getBytes()));
        assertThrows(Exception.class, () -> codec.read("{\"instances\":[[\"1.0\"]]}".getBytes()));
    }

    /**
     * The Jackson 3 the Spring Boot codec runs (Boot's BOM manages it here, as in the server) is the
     * one shared-model compiles StrictJackson3 against (the root pom's jackson3.version).
     */
    @Test
    void jackson3IsTheVersionSpringBootManages() {
        String pinned = System.getProperty("jackson3.version");
        assertNotNull(pinned, "surefire passes the pom's jackson3.version");
        assertEquals(pinned, StackCodec.SpringBoot.jsonMapper().version().toString(),
                "set jackson3.version in the root pom to the Jackson 3 that Spring Boot's BOM manages");
    }

    /** The rest of the contract's strict rules that a /predict body can break, on every stack's codec. */
    @ParameterizedTest
    @ValueSource(strings = {
            "{\"instances\":[[1.0]],\"instances\":[[2.0]]}",
            "{\"instances\":[[1.0]]} {}",
            "{\"instances\":[[\"NaN\"]]}",
            "{\"instances\":[[true]]}",
            "{\"instances\":[[null]],",
            "{\"instances\":[1.0]}",
            "{\"instances\":\"\"}",
            "[]",
            ""})
    void rejectsWhatTheContractRefusesOnEveryStack(String body) {
        for (String stack : STACKS) {
            StackCodec codec = StackCodec.forStack(stack);
            assertThrows(Exception.class, () -> codec.read(body.getBytes(StandardCharsets.UTF_8)), stack + ": " + body);
        }
    }
}
