package dev.predictbench.model;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * What every server calls for {@code POST /predict}: validate, infer, answer. One instance per
 * process, shared by all request threads. Framework glue binds the JSON, calls
 * {@link #predict(PredictRequest)}, and turns an {@link ApiException} into the contract's error.
 */
public final class PredictService implements AutoCloseable {
    private final OnnxPredictor predictor;
    private final RequestValidator validator;
    private final Limits limits;
    private final InflightLimit inflight;
    /** The batcher of model calls when batching is on, else null (each call runs alone within the limit). */
    private final DynamicBatcher<List<float[]>, List<Prediction>> batcher;
    private final LongAdder rowsPredicted = new LongAdder();

    public PredictService(OnnxPredictor predictor, Limits limits) {
        this(predictor, limits, InflightLimit.forProcess());
    }

    public PredictService(OnnxPredictor predictor, Limits limits, InflightLimit inflight) {
        this.predictor = predictor;
        this.limits = limits;
        this.inflight = inflight;
        this.validator = new RequestValidator(predictor.card().featureCount(), limits);
        this.batcher = inflight.batching().enabled()
                ? new DynamicBatcher<>("tabular", inflight, List::size,
                        DynamicBatcher.rowwise(all -> predictor.predict(all.toArray(float[][]::new))))
                : null;
    }

    /** The model and limits given by the environment (see {@link OnnxPredictor#fromEnvironment()}, {@link Limits}). */
    public static PredictService fromEnvironment() {
        return new PredictService(OnnxPredictor.fromEnvironment(), Limits.fromEnvironment());
    }

    /**
     * Validates and predicts.
     *
     * @throws ApiException when the request breaks a rule of the contract, or (503) when the
     *                      {@linkplain InflightLimit in-flight limit} sheds it
     */
    public PredictResponse predict(PredictRequest request) {
        float[][] rows = validator.validate(request);
        List<Prediction> predictions = batcher != null ? batcher.call(java.util.Arrays.asList(rows)) : inflight.call(() -> predictor.predict(rows));
        requireFiniteOutput(predictions);
        rowsPredicted.add(rows.length);
        return new PredictResponse(predictor.card().name(), predictor.card().version(), predictions);
    }

    /**
     * A row of finite values can still be one the model cannot score: values near the float limit
     * (3.0e38 in one feature) overflow its standardization and give NaN
     * probabilities, which are no answer (and which JSON cannot carry). That is the client's input,
     * so a 400 NON_FINITE_VALUE naming the row, the same on every stack.
     */
    private static void requireFiniteOutput(List<Prediction> predictions) {
        for (int r = 0; r < predictions.size(); r++) {
            for (double p : predictions.get(r).probabilities().values()) {
                if (!Double.isFinite(p)) {
                    throw new ApiException(ErrorCode.NON_FINITE_VALUE, "instances[" + r + "]: the model's output is not a "
                            + "finite number for these values (a value so large that the model's 32-bit arithmetic "
                            + "overflows); send values in the range of the data the model was trained on");
                }
            }
        }
    }

    public ModelCard card() {
        return predictor.card();
    }

    public Limits limits() {
        return limits;
    }

    /** The bound on inference calls in flight, shared with the GenAI service of the same process. */
    public InflightLimit inflight() {
        return inflight;
    }

    public InferenceOptions inferenceOptions() {
        return predictor.options();
    }

    /** Rows predicted since start: what the servers' prediction counters report. */
    public long rowsPredicted() {
        return rowsPredicted.sum();
    }

    /** The batcher of model calls, when batching is on. */
    public java.util.Optional<DynamicBatcher<List<float[]>, List<Prediction>>> batcher() {
        return java.util.Optional.ofNullable(batcher);
    }

    /** Closes the model; with batching on, says on stderr how the batches went (the server log keeps it). */
    @Override
    public void close() {
        if (batcher != null) {
            System.err.println("predict-bench: " + batcher.describe());
        }
        predictor.close();
    }
}
