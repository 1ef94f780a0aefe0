package dev.predictbench.model;

/**
 * Request limits every server enforces: rows per {@code /predict} call and bytes per body.
 * Defaults 64 rows and 1 MiB; {@code PREDICTBENCH_MAX_BATCH} and {@code PREDICTBENCH_MAX_BODY_BYTES}
 * change them.
 */
public record Limits(int maxBatch, int maxBodyBytes) {
    public static final Limits DEFAULT = new Limits(64, 1 << 20);

    public Limits {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1, got " + maxBatch);
        }
        if (maxBodyBytes < 1024) {
            throw new IllegalArgumentException("maxBodyBytes must be at least 1024, got " + maxBodyBytes);
        }
    }

    public static Limits fromEnvironment() {
        return new Limits(Settings.intValue("PREDICTBENCH_MAX_BATCH", DEFAULT.maxBatch),
                Settings.intValue("PREDICTBENCH_MAX_BODY_BYTES", DEFAULT.maxBodyBytes));
    }

    /** The error for a body over {@link #maxBodyBytes()}, the same text on every server. */
    public ApiException bodyTooLarge() {
        return new ApiException(ErrorCode.BODY_TOO_LARGE,
                "request body is larger than the limit of " + maxBodyBytes + " bytes");
    }
}
