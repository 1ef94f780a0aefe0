package dev.predictbench.model;

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
    private final LongAdder rowsPredicted = new LongAdder();

    public PredictService(OnnxPredictor predictor, Limits limits) {
        this(predictor, limits, InflightLimit.forProcess());
    }

    public PredictService(OnnxPredictor predictor, Limits limits, InflightLimit inflight) {
        this.predictor = predictor;
        this.limits = limits;
        this.inflight = inflight;
        this.validator = new RequestValidator(predictor.card().featureCount(), limits);
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
        PredictResponse response = new PredictResponse(predictor.card().name(), predictor.card().version(),
                inflight.call(() -> predictor.predict(rows)));
        rowsPredicted.add(rows.length);
        return response;
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

    @Override
    public void close() {
        predictor.close();
    }
}
