package dev.predictbench.model.training;

import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.predictbench.model.BreastCancerData;
import dev.predictbench.model.ModelCard;
import dev.predictbench.model.OnnxPredictor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.ONNXExportable;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.classification.sgd.fm.FMClassificationTrainer;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.evaluation.CrossValidation;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.util.Util;

/**
 * Trains the served tabular classifier and writes {@code model.onnx} and {@code model-card.json}.
 *
 * <p>Deterministic: a fixed-seed shuffle holds out 20% of the Breast Cancer Wisconsin rows; two
 * candidates that Tribuo can export to ONNX (logistic regression and a factorization machine, both
 * trained by SGD with fixed seeds) are compared by 5-fold cross-validation on the training split
 * only, and the better one (logistic regression on a tie: fewer parameters) is trained on the
 * whole training split, scored once on the held-out split, and exported. SGD needs standardised
 * features, so the mean and standard deviation of the training split become the first two nodes of
 * the ONNX graph: clients send raw values. Tribuo's provenance metadata (which holds timestamps)
 * is replaced by fixed fields, so the same inputs give the same bytes and sha256.
 *
 * <p>Run: {@code ./mvnw -pl shared-model -Pgenerate-model process-test-classes}
 */
public final class ModelGenerator {
    public static final String NAME = "breast-cancer-wisconsin";
    public static final String VERSION = "1.0.0";
    public static final long SPLIT_SEED = 42L;
    public static final long TRAIN_SEED = 1L;
    public static final double HELD_OUT_SHARE = 0.2;
    public static final int EPOCHS = 30;
    public static final String INPUT = "features";
    public static final String OUTPUT = "probabilities";

    private static final String LR = "logistic-regression";
    private static final String FM = "factorization-machine";

    /** Everything a training run produces, in memory. */
    public record Trained(Model<Label> model, Standardizer scaler, List<BreastCancerData.Row> train,
                          List<BreastCancerData.Row> heldOut, Map<String, Double> cvAccuracy, String algorithm,
                          double heldOutAccuracy, List<String> classes, byte[] onnx, ModelCard card) {

        /** Tribuo's own probabilities for a raw row, in {@link #classes()} order. */
        public double[] tribuoProbabilities(double[] raw) {
            var prediction = model.predict(example(scaler.apply(raw), null));
            double[] out = new double[classes.size()];
            for (int c = 0; c < out.length; c++) {
                out[c] = prediction.getOutputScores().get(classes.get(c)).getScore();
            }
            return out;
        }
    }

    /** Per-feature mean and standard deviation of the training split. */
    public record Standardizer(double[] mean, double[] std) {
        static Standardizer fit(List<BreastCancerData.Row> rows) {
            int n = rows.getFirst().features().length;
            double[] mean = new double[n];
            double[] std = new double[n];
            for (var row : rows) {
                for (int i = 0; i < n; i++) {
                    mean[i] += row.features()[i];
                }
            }
            for (int i = 0; i < n; i++) {
                mean[i] /= rows.size();
            }
            for (var row : rows) {
                for (int i = 0; i < n; i++) {
                    double d = row.features()[i] - mean[i];
                    std[i] += d * d;
                }
            }
            for (int i = 0; i < n; i++) {
                std[i] = Math.sqrt(std[i] / rows.size());
                if (std[i] == 0) {
                    std[i] = 1;
                }
            }
            return new Standardizer(mean, std);
        }

        /** What the ONNX graph computes in float32: (x - mean) * (1 / std). */
        double[] apply(double[] raw) {
            double[] out = new double[raw.length];
            for (int i = 0; i < raw.length; i++) {
                float centered = (float) raw[i] - (float) mean[i];
                out[i] = centered * (float) (1.0 / std[i]);
            }
            return out;
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: ModelGenerator <output folder>");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        Trained trained = train();
        Files.createDirectories(out);
        Files.write(out.resolve(OnnxPredictor.MODEL_FILE), trained.onnx());
        Files.writeString(out.resolve(OnnxPredictor.CARD_FILE), cardJson(trained.card()));
        System.out.printf("%s: %s, cross-validated accuracy %s, held-out accuracy %.4f on %d rows%n",
                out, trained.algorithm(), trained.cvAccuracy(), trained.heldOutAccuracy(), trained.heldOut().size());
        System.out.println("sha256 " + trained.card().sha256());
    }

    /** Trains, selects, evaluates and exports, entirely in memory. */
    public static Trained train() {
        BreastCancerData data = BreastCancerData.load();
        List<BreastCancerData.Row> rows = new ArrayList<>(data.rows());
        Collections.shuffle(rows, new Random(SPLIT_SEED));
        int heldOutSize = (int) Math.round(rows.size() * HELD_OUT_SHARE);
        List<BreastCancerData.Row> heldOut = List.copyOf(rows.subList(0, heldOutSize));
        List<BreastCancerData.Row> train = List.copyOf(rows.subList(heldOutSize, rows.size()));
        Standardizer scaler = Standardizer.fit(train);
        MutableDataset<Label> trainSet = dataset(train, scaler, data.classNames(), "training split");

        Map<String, Supplier<Trainer<Label>>> candidates = new LinkedHashMap<>();
        candidates.put(LR, () -> new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(0.1, 0.1), EPOCHS, 1000, 1, TRAIN_SEED));
        candidates.put(FM, () -> new FMClassificationTrainer(new LogMulticlass(), new AdaGrad(0.1, 0.1), EPOCHS, 1000, 1,
                TRAIN_SEED, 4, 0.1));
        Map<String, Double> cv = new LinkedHashMap<>();
        String best = null;
        for (var candidate : candidates.entrySet()) {
            var folds = new CrossValidation<Label, LabelEvaluation>(candidate.getValue().get(), trainSet,
                    new LabelEvaluator(), 5, TRAIN_SEED).evaluate();
            double accuracy = folds.stream().mapToDouble(f -> f.getA().accuracy()).average().orElseThrow();
            cv.put(candidate.getKey(), round(accuracy));
            if (best == null || accuracy > cv.get(best)) {
                best = candidate.getKey();
            }
        }

        Model<Label> model = candidates.get(best).get().train(trainSet);
        MutableDataset<Label> testSet = dataset(heldOut, scaler, data.classNames(), "held-out split");
        double heldOutAccuracy = new LabelEvaluator().evaluate(model, testSet).accuracy();

        List<String> classes = new ArrayList<>();
        for (var pair : model.getOutputIDInfo()) {
            classes.add(pair.getB().getLabel());
        }
        byte[] onnx = export(model, scaler);
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("library", "Tribuo " + org.tribuo.Tribuo.VERSION);
        training.put("trainer", candidates.get(best).get().toString());
        training.put("preprocessing", "standardisation by the training split's mean and standard deviation, "
                + "inside the ONNX graph (Sub, Mul) before the model");
        training.put("selection", "5-fold cross-validation accuracy on the training split; logistic regression on a tie");
        training.put("generator", "./mvnw -pl shared-model -Pgenerate-model process-test-classes");
        ModelCard card = new ModelCard(NAME, VERSION, OnnxPredictor.sha256(onnx),
                "Classifies a breast mass as malignant or benign from 30 measurements of cell nuclei "
                        + "in a digitised image of a fine needle aspirate.",
                best.equals(LR) ? "logistic regression (multinomial, SGD with AdaGrad)"
                        : "factorization machine (SGD with AdaGrad, 4 factors)",
                new ModelCard.Dataset("Breast Cancer Wisconsin (Diagnostic)",
                        "UCI Machine Learning Repository, https://doi.org/10.24432/C5DW2B, via scikit-learn 1.2.1",
                        "CC BY 4.0", data.rows().size()),
                BreastCancerData.FEATURES, classes,
                List.of(new ModelCard.TensorSpec(INPUT, "float32", List.of(-1L, (long) BreastCancerData.FEATURES.size()))),
                List.of(new ModelCard.TensorSpec(OUTPUT, "float32", List.of(-1L, (long) classes.size()))),
                new ModelCard.Evaluation(round(heldOutAccuracy), heldOut.size(), train.size(), SPLIT_SEED, cv),
                training);
        return new Trained(model, scaler, train, heldOut, cv, best, heldOutAccuracy, classes, onnx, card);
    }

    private static MutableDataset<Label> dataset(List<BreastCancerData.Row> rows, Standardizer scaler,
                                                 List<String> classNames, String description) {
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> dataset = new MutableDataset<>(new SimpleDataSourceProvenance(description, factory), factory);
        for (var row : rows) {
            dataset.add(example(scaler.apply(row.features()), new Label(classNames.get(row.label()))));
        }
        return dataset;
    }

    /** Feature names f00..f29 sort in column order, so Tribuo's feature ids follow the columns. */
    private static Example<Label> example(double[] values, Label label) {
        String[] names = new String[values.length];
        for (int i = 0; i < names.length; i++) {
            names[i] = String.format("f%02d", i);
        }
        return new ArrayExample<>(label == null ? LabelFactory.UNKNOWN_LABEL : label, names, values);
    }

    /** Tribuo's ONNX export, with the standardisation put in front and the metadata made deterministic. */
    static byte[] export(Model<Label> model, Standardizer scaler) {
        OnnxMl.ModelProto exported = ((ONNXExportable) model).exportONNXModel("dev.predictbench", 1);
        OnnxMl.GraphProto graph = exported.getGraph();
        OnnxMl.ValueInfoProto tribuoInput = graph.getInput(0);
        String scaled = tribuoInput.getName();
        int n = scaler.mean().length;
        float[] mean = new float[n];
        float[] inverseStd = new float[n];
        for (int i = 0; i < n; i++) {
            mean[i] = (float) scaler.mean()[i];
            inverseStd[i] = (float) (1.0 / scaler.std()[i]);
        }
        OnnxMl.GraphProto.Builder g = graph.toBuilder()
                .setName(NAME)
                .clearNode()
                .addNode(node("Sub", "standardise_centre", List.of(INPUT, "feature_mean"), "centred"))
                .addNode(node("Mul", "standardise_scale", List.of("centred", "feature_inverse_std"), scaled))
                .addAllNode(graph.getNodeList())
                .addInitializer(floats("feature_mean", mean))
                .addInitializer(floats("feature_inverse_std", inverseStd))
                .setInput(0, tribuoInput.toBuilder().setName(INPUT));
        String tribuoOutput = graph.getOutput(0).getName();
        for (int i = 0; i < g.getNodeCount(); i++) {
            var node = g.getNode(i);
            for (int o = 0; o < node.getOutputCount(); o++) {
                if (node.getOutput(o).equals(tribuoOutput)) {
                    g.setNode(i, node.toBuilder().setOutput(o, OUTPUT));
                }
            }
        }
        g.setOutput(0, graph.getOutput(0).toBuilder().setName(OUTPUT));
        return exported.toBuilder()
                .setGraph(g)
                .setDocString("predict-bench " + NAME + " " + VERSION)
                .clearMetadataProps()
                .addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey("name").setValue(NAME))
                .addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey("version").setValue(VERSION))
                .build()
                .toByteArray();
    }

    private static OnnxMl.NodeProto node(String op, String name, List<String> inputs, String output) {
        return OnnxMl.NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs).addOutput(output).build();
    }

    private static OnnxMl.TensorProto floats(String name, float[] values) {
        var tensor = OnnxMl.TensorProto.newBuilder().setName(name)
                .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).addDims(values.length);
        for (float v : values) {
            tensor.addFloatData(v);
        }
        return tensor.build();
    }

    private static double round(double v) {
        return Math.round(v * 1e6) / 1e6;
    }

    static String cardJson(ModelCard card) throws IOException {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(card) + "\n";
    }

    static {
        // Tribuo logs each SGD epoch at INFO; the generator's own summary is enough.
        java.util.logging.Logger.getLogger("org.tribuo").setLevel(java.util.logging.Level.WARNING);
        Util.class.getName();
    }
}
