package dev.predictbench.results;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a run measures: subjects, each a stack with a variant. The batching variant (the shared
 * inference module's dynamic micro-batcher switched on through {@code PREDICTBENCH_BATCHING}) is
 * the stack's id with {@link #BATCHING_SUFFIX}; the stack as it is (batching off) keeps its plain id,
 * so records of runs without the setting read as they always did. The run record's
 * {@code settings.stacks} names stacks, its {@code stacks[].stack} names subjects.
 */
public final class Subjects {
    /** The run setting's values: each stack as it is, with batching, or both one after the other. */
    public static final List<String> BATCHING = List.of("off", "on", "both");
    public static final String BATCHING_SUFFIX = "+batching";
    /** The server setting the runner passes, and its values. */
    public static final String BATCHING_ENV = "PREDICTBENCH_BATCHING";

    private Subjects() {
    }

    /** The subject ids of {@code stacks} for a batching setting (null, as in records made before it: off), per stack off first. */
    public static List<String> ids(List<String> stacks, String batching) {
        List<String> out = new ArrayList<>();
        for (String s : stacks) {
            if (!"on".equals(batching)) {
                out.add(s);
            }
            if ("on".equals(batching) || "both".equals(batching)) {
                out.add(s + BATCHING_SUFFIX);
            }
        }
        return out;
    }

    /** The stack a subject runs. */
    public static String stack(String subject) {
        return batching(subject) ? subject.substring(0, subject.length() - BATCHING_SUFFIX.length()) : subject;
    }

    /** Whether the subject asked its server to batch. */
    public static boolean batching(String subject) {
        return subject.endsWith(BATCHING_SUFFIX);
    }

    /**
     * What the server said about batching in {@code /info} ({@code batching.enabled}), or null when
     * its {@code /info} has no such object (servers from before the batcher): unknown.
     */
    public static Boolean reportedBatching(Map<String, Object> info) {
        Map<?, ?> b = batchingInfo(info);
        return b != null && b.get("enabled") instanceof Boolean enabled ? enabled : null;
    }

    /** The {@code batching} object of {@code /info}, or null. */
    public static Map<?, ?> batchingInfo(Map<String, Object> info) {
        return info != null && info.get("batching") instanceof Map<?, ?> m ? m : null;
    }
}
