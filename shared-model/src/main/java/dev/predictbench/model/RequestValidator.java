package dev.predictbench.model;

import java.util.List;

/**
 * The validation rules every server applies to a bound {@link PredictRequest}, in this order, each
 * with its {@link ErrorCode}: missing {@code instances}, an empty batch, a batch over the limit, a
 * row that is not an array, a null value, a wrong number of features, a non-finite value.
 */
public final class RequestValidator {
    private final int featureCount;
    private final Limits limits;

    public RequestValidator(int featureCount, Limits limits) {
        this.featureCount = featureCount;
        this.limits = limits;
    }

    /**
     * Checks the request and converts it to the float rows the model takes.
     *
     * @throws ApiException naming the first rule the request breaks
     */
    public float[][] validate(PredictRequest request) {
        if (request == null || request.instances() == null) {
            throw new ApiException(ErrorCode.MISSING_FIELD, "field 'instances' is required: an array of rows of "
                    + featureCount + " numbers");
        }
        List<List<Double>> instances = request.instances();
        if (instances.isEmpty()) {
            throw new ApiException(ErrorCode.EMPTY_BATCH, "'instances' is empty: send at least one row");
        }
        if (instances.size() > limits.maxBatch()) {
            throw new ApiException(ErrorCode.BATCH_TOO_LARGE, "'instances' has " + instances.size()
                    + " rows; the limit is " + limits.maxBatch());
        }
        float[][] rows = new float[instances.size()][];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = row(instances.get(r), r);
        }
        return rows;
    }

    private float[] row(List<Double> values, int r) {
        if (values == null) {
            throw new ApiException(ErrorCode.MISTYPED_FIELD, "instances[" + r + "] is null; expected an array of "
                    + featureCount + " numbers");
        }
        if (values.size() != featureCount) {
            throw new ApiException(ErrorCode.WRONG_FEATURE_COUNT, "instances[" + r + "] has " + values.size()
                    + " values; the model takes " + featureCount);
        }
        float[] row = new float[featureCount];
        for (int f = 0; f < featureCount; f++) {
            Double value = values.get(f);
            if (value == null) {
                throw new ApiException(ErrorCode.MISTYPED_FIELD, "instances[" + r + "][" + f
                        + "] is null; expected a number");
            }
            float v = value.floatValue();
            if (!Double.isFinite(value) || !Float.isFinite(v)) {
                throw new ApiException(ErrorCode.NON_FINITE_VALUE, "instances[" + r + "][" + f
                        + "] is not a finite number (the model takes 32-bit floats, |x| < 3.4e38)");
            }
            row[f] = v;
        }
        return row;
    }
}
