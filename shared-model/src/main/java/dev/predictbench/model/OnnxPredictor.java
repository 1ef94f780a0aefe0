package dev.predictbench.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A classifier served from an ONNX file: one ONNX Runtime session per model, shared by all threads
 * (ONNX Runtime's {@code run} is thread-safe), with the {@link InferenceOptions} set once.
 *
 * <p>The graph takes raw feature values as a float32 {@code [n, features]} tensor (any scaling is
 * inside the graph) and gives class probabilities as float32 {@code [n, classes]} in the order of
 * {@link ModelCard#classes()}. Rows passed to {@link #predict} must already be valid: see
 * {@link RequestValidator}.
 */
public final class OnnxPredictor implements AutoCloseable {
    /** Classpath folder of the model every server serves unless told otherwise. */
    public static final String DEFAULT_MODEL_RESOURCE = "/dev/predictbench/model/breast-cancer/";
    public static final String MODEL_FILE = "model.onnx";
    public static final String CARD_FILE = "model-card.json";

    private final OrtEnvironment env;
    private final OrtSession session;
    private final ModelCard card;
    private final InferenceOptions options;
    private final String inputName;
    private final int featureCount;
    private final List<String> classes;

    private OnnxPredictor(byte[] model, ModelCard card, InferenceOptions options) {
        String actual = sha256(model);
        if (!actual.equals(card.sha256())) {
            throw new IllegalStateException("model file does not match its card: sha256 " + actual
                    + ", card says " + card.sha256());
        }
        this.card = card;
        this.options = options;
        this.featureCount = card.featureCount();
        this.classes = List.copyOf(card.classes());
        this.env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions sessionOptions = options.toSessionOptions()) {
            this.session = env.createSession(model, sessionOptions);
            this.inputName = session.getInputNames().iterator().next();
            checkShapes();
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not load model " + card.name() + ": " + e.getMessage(), e);
        }
    }

    /** The model shipped in this module (Breast Cancer Wisconsin classifier). */
    public static OnnxPredictor loadDefault(InferenceOptions options) {
        return new OnnxPredictor(resource(DEFAULT_MODEL_RESOURCE + MODEL_FILE),
                readCard(resource(DEFAULT_MODEL_RESOURCE + CARD_FILE)), options);
    }

    /** A model from a folder holding {@value #MODEL_FILE} and {@value #CARD_FILE}. */
    public static OnnxPredictor load(Path folder, InferenceOptions options) {
        try {
            return new OnnxPredictor(Files.readAllBytes(folder.resolve(MODEL_FILE)),
                    readCard(Files.readAllBytes(folder.resolve(CARD_FILE))), options);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model from " + folder, e);
        }
    }

    /**
     * The model named by {@code PREDICTBENCH_MODEL_DIR} (a folder as for {@link #load}), else the
     * default, with {@link InferenceOptions#fromEnvironment()}.
     */
    public static OnnxPredictor fromEnvironment() {
        InferenceOptions options = InferenceOptions.fromEnvironment();
        String dir = Settings.string("PREDICTBENCH_MODEL_DIR", null);
        return dir == null ? loadDefault(options) : load(Path.of(dir), options);
    }

    public ModelCard card() {
        return card;
    }

    public InferenceOptions options() {
        return options;
    }

    /**
     * Predicts a batch of valid rows (each of {@code card().featureCount()} finite values).
     *
     * @return one prediction per row, in order
     */
    public List<Prediction> predict(float[][] rows) {
        return toPredictions(run(rows), rows.length);
    }

    /** Raw probabilities, row-major {@code [rows.length * classes]}: the inference alone. */
    public float[] probabilities(float[][] rows) {
        return run(rows);
    }

    private float[] run(float[][] rows) {
        FloatBuffer input = FloatBuffer.allocate(rows.length * featureCount);
        for (float[] row : rows) {
            if (row.length != featureCount) {
                throw new IllegalArgumentException("row has " + row.length + " values, model wants " + featureCount);
            }
            input.put(row);
        }
        input.flip();
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, input, new long[] {rows.length, featureCount});
             OrtSession.Result result = session.run(Map.of(inputName, tensor))) {
            OnnxTensor output = (OnnxTensor) result.get(0);
            FloatBuffer probs = output.getFloatBuffer();
            float[] out = new float[probs.remaining()];
            probs.get(out);
            if (out.length != rows.length * classes.size()) {
                throw new IllegalStateException("model returned " + out.length + " values for " + rows.length
                        + " rows of " + classes.size() + " classes");
            }
            return out;
        } catch (OrtException e) {
            throw new IllegalStateException("inference failed: " + e.getMessage(), e);
        }
    }

    private List<Prediction> toPredictions(float[] probs, int rowCount) {
        int n = classes.size();
        List<Prediction> predictions = new ArrayList<>(rowCount);
        for (int r = 0; r < rowCount; r++) {
            Map<String, Double> byClass = new LinkedHashMap<>(n * 2);
            int best = 0;
            for (int c = 0; c < n; c++) {
                float p = probs[r * n + c];
                // Float.toString gives the shortest decimal that round-trips the float: the same
                // digits on every server, without the noise of widening to double.
                byClass.put(classes.get(c), Double.parseDouble(Float.toString(p)));
                if (p > probs[r * n + best]) {
                    best = c;
                }
            }
            predictions.add(new Prediction(classes.get(best), byClass));
        }
        return predictions;
    }

    private void checkShapes() throws OrtException {
        NodeInfo input = session.getInputInfo().get(inputName);
        if (input.getInfo() instanceof TensorInfo info) {
            long[] shape = info.getShape();
            if (shape.length != 2 || shape[1] != featureCount) {
                throw new IllegalStateException("model input " + inputName + " has shape "
                        + java.util.Arrays.toString(shape) + ", card lists " + featureCount + " features");
            }
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("could not close ONNX Runtime session", e);
        }
    }

    static ModelCard readCard(byte[] json) {
        try {
            return new ObjectMapper().readValue(json, ModelCard.class);
        } catch (IOException e) {
            throw new UncheckedIOException("model card is not valid JSON", e);
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = OnnxPredictor.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }

    /** Lower-case hex SHA-256 of the bytes. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
