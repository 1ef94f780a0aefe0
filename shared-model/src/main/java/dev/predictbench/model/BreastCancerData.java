package dev.predictbench.model;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The Breast Cancer Wisconsin (Diagnostic) data set the default model is trained on, bundled so
 * tests, the conformance kit and load generators send real rows. UCI Machine Learning Repository
 * (CC BY 4.0), as shipped in scikit-learn 1.2.1 (BSD-3-Clause); see NOTICE beside the CSV.
 */
public final class BreastCancerData {
    public static final String RESOURCE = "/dev/predictbench/model/data/breast-cancer-wisconsin.csv";

    /** The 30 feature names in column order (scikit-learn's names). */
    public static final List<String> FEATURES = List.of(
            "mean radius", "mean texture", "mean perimeter", "mean area", "mean smoothness",
            "mean compactness", "mean concavity", "mean concave points", "mean symmetry", "mean fractal dimension",
            "radius error", "texture error", "perimeter error", "area error", "smoothness error",
            "compactness error", "concavity error", "concave points error", "symmetry error", "fractal dimension error",
            "worst radius", "worst texture", "worst perimeter", "worst area", "worst smoothness",
            "worst compactness", "worst concavity", "worst concave points", "worst symmetry", "worst fractal dimension");

    /** One row: raw feature values as written in the file (parsed as doubles) and the class index. */
    public record Row(double[] features, int label) {
        public float[] floats() {
            float[] out = new float[features.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) features[i];
            }
            return out;
        }
    }

    private final List<String> classNames;
    private final List<Row> rows;

    private BreastCancerData(List<String> classNames, List<Row> rows) {
        this.classNames = classNames;
        this.rows = rows;
    }

    /** Reads the bundled CSV: a header {@code 569,30,malignant,benign}, then 30 values and a class index per line. */
    public static BreastCancerData load() {
        try (InputStream in = BreastCancerData.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + RESOURCE);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String[] header = reader.readLine().split(",");
            int count = Integer.parseInt(header[0]);
            int features = Integer.parseInt(header[1]);
            List<String> classes = List.of(header).subList(2, header.length);
            List<Row> rows = new ArrayList<>(count);
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",");
                double[] values = new double[features];
                for (int i = 0; i < features; i++) {
                    values[i] = Double.parseDouble(cells[i]);
                }
                rows.add(new Row(values, Integer.parseInt(cells[features].trim())));
            }
            if (rows.size() != count || features != FEATURES.size()) {
                throw new IllegalStateException("data set header says " + count + " rows of " + features
                        + " features, file has " + rows.size());
            }
            return new BreastCancerData(classes, List.copyOf(rows));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /** Class names by index: 0 = malignant, 1 = benign. */
    public List<String> classNames() {
        return classNames;
    }

    public List<Row> rows() {
        return rows;
    }
}
