package dev.predictbench.gatling;

import dev.predictbench.results.gate.GateVerdict;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The A/B gate's own settings ({@code -Dgate.*}); the trials' steps take the {@code gate} profile
 * of {@link BenchSettings} ({@code -Dbench.*} still overrides them).
 *
 * @param baseline     the git ref whose servers are arm A ({@code main} by default; {@code HEAD} for A/A)
 * @param pairs        A/B pairs per stack after the lead-in trial
 * @param blocks       closed steps per arm and workload in each pair, the arms alternating (ABBA...)
 * @param openBlocks   open steps per arm and workload in each pair, likewise
 * @param closedRetries more measurements of a closed step that came out INVALID without errors (the last is kept)
 * @param remeasures   per stack, at most this many pairs too weak to judge (see {@link GateRunner#weakPair}) are measured again
 * @param orderSeed    seeds whether each stack's sequence starts ABBA or BAAB
 * @param slowdown     calibration: arm B's servers hold a busy loop at this share of their own CPU per call
 * @param familyAlpha  the false-positive rate allowed across all figures together
 * @param minPairs     fewer valid pairs than this leave a figure without a verdict
 * @param minEffects   the smallest change per figure kind that can fail the gate
 * @param offline      build the baseline with Maven offline ({@code -o}), as the candidate was
 * @param failOnNoVerdict whether a gate without a verdict for some figure fails the job (exit 3) or passes it
 */
record GateSettings(String baseline, int pairs, int blocks, int openBlocks, int closedRetries, int remeasures, long orderSeed, double slowdown, double familyAlpha, int minPairs,
                    Map<String, Double> minEffects, boolean offline, boolean failOnNoVerdict) {

    static GateSettings fromSystemProperties() {
        Map<String, Double> effects = new LinkedHashMap<>(GateVerdict.defaultMinEffects());
        for (String kind : effects.keySet()) {
            effects.put(kind, BenchSettings.dbl("gate.minEffect." + kind, effects.get(kind)));
        }
        GateSettings s = new GateSettings(BenchSettings.text("gate.baseline", "main"), BenchSettings.integer("gate.pairs", 5), BenchSettings.integer("gate.blocks", 4),
                BenchSettings.integer("gate.openBlocks", 2),
                BenchSettings.integer("gate.closedRetries", 2), BenchSettings.integer("gate.remeasures", 2), seedSetting(), BenchSettings.dbl("gate.slowdown", 0),
                BenchSettings.dbl("gate.familyAlpha", 0.01), BenchSettings.integer("gate.minPairs", 3), effects,
                Boolean.parseBoolean(BenchSettings.text("gate.offline", "false")), Boolean.parseBoolean(BenchSettings.text("gate.failOnNoVerdict", "true")));
        s.check();
        return s;
    }

    void check() {
        if (baseline.isBlank() || baseline.startsWith("-") || baseline.contains("..")) {
            throw new IllegalArgumentException("gate.baseline must name one git ref (a branch, tag or commit), got '" + baseline + "'");
        }
        if (pairs < 2 || pairs > 20) {
            throw new IllegalArgumentException("gate.pairs must be 2 to 20 (A/B pairs per stack; the recipe uses 5 or more), got "
                    + pairs);
        }
        if (blocks < 1 || blocks > 10 || openBlocks < 1 || openBlocks > 10) {
            throw new IllegalArgumentException("gate.blocks and gate.openBlocks must be 1 to 10 (closed and open steps per arm in a "
                    + "pair), got " + blocks + " and " + openBlocks);
        }
        if (closedRetries < 0 || closedRetries > 5) {
            throw new IllegalArgumentException("gate.closedRetries must be 0 to 5 (more measurements of an INVALID closed step), got "
                    + closedRetries);
        }
        if (remeasures < 0 || remeasures > pairs) {
            throw new IllegalArgumentException("gate.remeasures must be 0 to gate.pairs (" + pairs + ") (pairs too weak to judge "
                    + "measured again per stack), got " + remeasures);
        }
        if (minPairs < 2 || minPairs > pairs) {
            throw new IllegalArgumentException("gate.minPairs must be 2 to gate.pairs (" + pairs + "), got " + minPairs);
        }
        if (!(slowdown >= 0 && slowdown <= 4)) {
            throw new IllegalArgumentException("gate.slowdown must be 0 (off) to 4 (a share of the server CPU per request), got "
                    + slowdown);
        }
        if (!(familyAlpha > 0 && familyAlpha <= 0.2)) {
            throw new IllegalArgumentException("gate.familyAlpha must be above 0 and at most 0.2, got " + familyAlpha);
        }
        minEffects.forEach((k, v) -> {
            if (!(v >= 0 && v < 1)) {
                throw new IllegalArgumentException("gate.minEffect." + k + " must be 0 to below 1, got " + v);
            }
        });
    }

    /** {@code gate.orderSeed}, or the clock's milliseconds when unset (the seed is recorded either way). */
    private static long seedSetting() {
        String v = System.getProperty("gate.orderSeed");
        try {
            return v == null || v.isBlank() ? System.currentTimeMillis() : Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("gate.orderSeed must be a whole number, got '" + v + "'");
        }
    }

    String describe() {
        return String.format(Locale.ROOT, "baseline %s, %d pairs per stack, order seed %d%s", baseline, pairs, orderSeed,
                slowdown > 0 ? String.format(Locale.ROOT, ", CALIBRATION: arm B +%.0f%% of its own server CPU per call", slowdown * 100) : "");
    }
}
