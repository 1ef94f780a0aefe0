package dev.predictbench.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.predictbench.model.PredictResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Every codec the benchmark times does the job: same request bound, same response JSON, strict. */
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

    @ParameterizedTest
    @FieldSource("STACKS")
    void rejectsUnknownFieldsAndStringNumbers(String stack) {
        StackCodec codec = StackCodec.forStack(stack);
        assertThrows(Exception.class, () -> codec.read("{\"instances\":[[1.0]],\"extra\":1}".getBytes()));
        assertThrows(Exception.class, () -> codec.read("{\"instances\":[[\"1.0\"]]}".getBytes()));
    }

}
