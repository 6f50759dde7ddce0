package io.scrapeguard.auditor;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The verdict's thresholds. Where the clean canary has learned enough ({@code clean.min_gain} over
 * chance) the canaries decide: protection score and follow-rate gain; elsewhere integrity
 * (AR-filter accuracy on delivered deltas) and separability (perturbation-only probe) decide and
 * the report says efficacy was not measured. {@code canary.decides=false} keeps canaries
 * informative only.
 */
public record Thresholds(
        double integrityFail,
        double integrityWeak,
        double probeFail,
        double probeWeak,
        double controlMax,
        double scoreWeak,
        double minCleanGain,
        Boolean canaryDecides,
        double scoreFail,
        double minFollowGain) {

    public static Thresholds defaults() {
        return new Thresholds(0.5, 0.9, 0.5, 0.9, 0.35, 0.5, 0.1, null, 0.2, 0.2);
    }

    /** Keys accepted by {@link #with}. */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("integrity.fail", integrityFail);
        m.put("integrity.weak", integrityWeak);
        m.put("probe.fail", probeFail);
        m.put("probe.weak", probeWeak);
        m.put("control.max", controlMax);
        m.put("score.fail", scoreFail);
        m.put("score.weak", scoreWeak);
        m.put("follow.min_gain", minFollowGain);
        m.put("clean.min_gain", minCleanGain);
        m.put("canary.decides", canaryDecides == null ? "when-clean-learned" : canaryDecides);
        return m;
    }

    /** Whether canaries may decide at all (they still need the clean canary to learn). */
    boolean canariesMayDecide() {
        return canaryDecides == null || canaryDecides;
    }

    /** A copy with {@code key=value} applied (keys as in {@link #asMap}). */
    public Thresholds with(String assignment) {
        int eq = assignment.indexOf('=');
        if (eq < 0) {
            throw new IllegalArgumentException(
                    "threshold '" + assignment + "' is not key=value; keys: " + asMap().keySet());
        }
        String key = assignment.substring(0, eq).trim().toLowerCase(Locale.ROOT);
        String value = assignment.substring(eq + 1).trim();
        if (key.equals("canary.decides")) {
            return new Thresholds(
                    integrityFail,
                    integrityWeak,
                    probeFail,
                    probeWeak,
                    controlMax,
                    scoreWeak,
                    minCleanGain,
                    Boolean.parseBoolean(value),
                    scoreFail,
                    minFollowGain);
        }
        if (!asMap().containsKey(key)) {
            throw new IllegalArgumentException(
                    "unknown threshold '" + key + "'; keys: " + asMap().keySet());
        }
        double v;
        try {
            v = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("threshold " + key + ": not a number: " + value);
        }
        return new Thresholds(
                key.equals("integrity.fail") ? v : integrityFail,
                key.equals("integrity.weak") ? v : integrityWeak,
                key.equals("probe.fail") ? v : probeFail,
                key.equals("probe.weak") ? v : probeWeak,
                key.equals("control.max") ? v : controlMax,
                key.equals("score.weak") ? v : scoreWeak,
                key.equals("clean.min_gain") ? v : minCleanGain,
                canaryDecides,
                key.equals("score.fail") ? v : scoreFail,
                key.equals("follow.min_gain") ? v : minFollowGain);
    }
}
