package dev.predictbench.contract;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.predictbench.model.BreastCancerData;
import dev.predictbench.model.InferenceOptions;
import dev.predictbench.model.OnnxPredictor;
import dev.predictbench.model.Prediction;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Inputs every server must answer the same way, and the answers.
 *
 * <p>{@link #inputs(long, int)} gives a seeded mix of real data-set rows and random valid rows
 * (each feature uniform between its smallest and largest value in the data set); the equivalence
 * test and the load generators use it so every stack gets the same requests in the same order.
 * {@code golden-predictions.json} pins shared-model's answers for {@link #GOLDEN_SEED}: the kit
 * compares a server's answers with it. Regenerate it after a model change with
 * {@code ./mvnw -pl servers/contract -am test -Dgolden.write=true -Dtest=GoldenCasesTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
public final class GoldenCases {
    public static final String RESOURCE = "/dev/predictbench/contract/golden-predictions.json";
    public static final long GOLDEN_SEED = 20261125L;
    public static final int GOLDEN_COUNT = 48;

    /** One input row with the prediction shared-model gives for it. */
    public record Case(double[] instance, Prediction expected) {
    }

    private GoldenCases() {
    }

    /** {@code count} rows from {@code seed}: even positions are data-set rows, odd ones random valid rows. */
    public static List<double[]> inputs(long seed, int count) {
        List<BreastCancerData.Row> rows = BreastCancerData.load().rows();
        int features = BreastCancerData.FEATURES.size();
        double[] min = new double[features];
        double[] max = new double[features];
        java.util.Arrays.fill(min, Double.MAX_VALUE);
        java.util.Arrays.fill(max, -Double.MAX_VALUE);
        for (var row : rows) {
            for (int f = 0; f < features; f++) {
                min[f] = Math.min(min[f], row.features()[f]);
                max[f] = Math.max(max[f], row.features()[f]);
            }
        }
        Random random = new Random(seed);
        List<double[]> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (i % 2 == 0) {
                out.add(rows.get(random.nextInt(rows.size())).features().clone());
            } else {
                double[] row = new double[features];
                for (int f = 0; f < features; f++) {
                    // Rounded to 4 decimals like the data set, so the JSON text is the value.
                    row[f] = Math.round((min[f] + random.nextDouble() * (max[f] - min[f])) * 1e4) / 1e4;
                }
                out.add(row);
            }
        }
        return out;
    }

    /** The committed golden cases. */
    public static List<Case> golden() {
        try (InputStream in = GoldenCases.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing " + RESOURCE);
            }
            return List.of(new ObjectMapper().readValue(in, Case[].class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What shared-model answers now for the golden inputs. */
    public static List<Case> compute() {
        List<double[]> inputs = inputs(GOLDEN_SEED, GOLDEN_COUNT);
        try (OnnxPredictor predictor = OnnxPredictor.loadDefault(InferenceOptions.DEFAULT)) {
            List<Case> cases = new ArrayList<>();
            for (double[] input : inputs) {
                float[] row = new float[input.length];
                for (int i = 0; i < row.length; i++) {
                    row[i] = (float) input[i];
                }
                cases.add(new Case(input, predictor.predict(new float[][] {row}).getFirst()));
            }
            return cases;
        }
    }

    static String toJson(List<Case> cases) throws IOException {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(cases) + "\n";
    }

    static void write(Path file) throws IOException {
        Files.writeString(file, toJson(compute()));
    }
}
