package dev.predictbench.model;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.Locale;

/**
 * ONNX Runtime session options, set once here for every server so no stack can tune its own.
 *
 * <p>The default is one intra-op and one inter-op thread: a server already runs requests in
 * parallel, and an inference pool per request would compete with the server's own threads.
 * Settings {@code PREDICTBENCH_ORT_INTRA_OP_THREADS}, {@code PREDICTBENCH_ORT_INTER_OP_THREADS}
 * and {@code PREDICTBENCH_ORT_OPT_LEVEL} ({@code NO_OPT}, {@code BASIC_OPT}, {@code EXTENDED_OPT},
 * {@code ALL_OPT}) change them; {@link #describe()} is what goes into {@code /info} and run records.
 */
public record InferenceOptions(int intraOpThreads, int interOpThreads, OrtSession.SessionOptions.OptLevel optLevel) {

    public static final InferenceOptions DEFAULT =
            new InferenceOptions(1, 1, OrtSession.SessionOptions.OptLevel.ALL_OPT);

    public InferenceOptions {
        if (intraOpThreads < 1 || interOpThreads < 1) {
            throw new IllegalArgumentException("ONNX Runtime thread counts must be at least 1, got intra="
                    + intraOpThreads + " inter=" + interOpThreads);
        }
    }

    /** The options given by environment variables or system properties, else the defaults. */
    public static InferenceOptions fromEnvironment() {
        return new InferenceOptions(
                Settings.intValue("PREDICTBENCH_ORT_INTRA_OP_THREADS", DEFAULT.intraOpThreads),
                Settings.intValue("PREDICTBENCH_ORT_INTER_OP_THREADS", DEFAULT.interOpThreads),
                OrtSession.SessionOptions.OptLevel.valueOf(
                        Settings.string("PREDICTBENCH_ORT_OPT_LEVEL", DEFAULT.optLevel.name()).toUpperCase(Locale.ROOT)));
    }

    /**
     * New ONNX Runtime session options with these settings, for shared-model's sessions (the tabular
     * model and the sentence embedder); the caller closes them once its session is created.
     */
    public OrtSession.SessionOptions toSessionOptions() throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(intraOpThreads);
        options.setInterOpNumThreads(interOpThreads);
        options.setOptimizationLevel(optLevel);
        options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        return options;
    }

    /** A one-line description for {@code /info} and run records. */
    public String describe() {
        return "onnxruntime intraOpThreads=" + intraOpThreads + " interOpThreads=" + interOpThreads
                + " optLevel=" + optLevel;
    }
}
