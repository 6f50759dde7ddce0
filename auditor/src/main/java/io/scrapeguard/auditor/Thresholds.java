package io.scrapeguard.auditor;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The verdict's thresholds. Integrity (AR-filter accuracy on published deltas) and separability
 * (perturbation-only probe accuracy) decide on every profile; the canaries' protection score
 * decides only where the profile's canary can show efficacy ({@code paper}), unless configured.
 */
public record Thresholds(
        double integrityFail,
        double integrityWeak,
        double probeFail,
        double probeWeak,
        double controlMax,
        double scoreWeak,
        double minCleanGain,
        Boolean canaryDecides) {

    public static Thresholds defaults() {
        return new Thresholds(0.5, 0.9, 0.5, 0.9, 0.35, 0.5, 0.1, null);
    }

    /** Keys accepted by {@link #with}. */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("integrity.fail", integrityFail);
        m.put("integrity.weak", integrityWeak);
        m.put("probe.fail", probeFail);
        m.put("probe.weak", probeWeak);
        m.put("control.max", controlMax);
        m.put("score.weak", scoreWeak);
        m.put("clean.min_gain", minCleanGain);
        m.put("canary.decides", canaryDecides == null ? "profile" : canaryDecides);
        return m;
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
            return new Thresholds(integrityFail, integrityWeak, probeFail, probeWeak, controlMax,
                    scoreWeak, minCleanGain, Boolean.parseBoolean(value));
        }
        double v;
        try {
            v = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("threshold " + key + ": not a number: " + value);
        }
        return switch (key) {
            case "integrity.fail" -> new Thresholds(v, integrityWeak, probeFail, probeWeak,
                    controlMax, scoreWeak, minCleanGain, canaryDecides);
            case "integrity.weak" -> new Thresholds(integrityFail, v, probeFail, probeWeak,
                    controlMax, scoreWeak, minCleanGain, canaryDecides);
            case "probe.fail" -> new Thresholds(integrityFail, integrityWeak, v, probeWeak,
                    controlMax, scoreWeak, minCleanGain, canaryDecides);
            case "probe.weak" -> new Thresholds(integrityFail, integrityWeak, probeFail, v,
                    controlMax, scoreWeak, minCleanGain, canaryDecides);
            case "control.max" -> new Thresholds(integrityFail, integrityWeak, probeFail,
                    probeWeak, v, scoreWeak, minCleanGain, canaryDecides);
            case "score.weak" -> new Thresholds(integrityFail, integrityWeak, probeFail,
                    probeWeak, controlMax, v, minCleanGain, canaryDecides);
            case "clean.min_gain" -> new Thresholds(integrityFail, integrityWeak, probeFail,
                    probeWeak, controlMax, scoreWeak, v, canaryDecides);
            default -> throw new IllegalArgumentException(
                    "unknown threshold '" + key + "'; keys: " + asMap().keySet());
        };
    }
}
