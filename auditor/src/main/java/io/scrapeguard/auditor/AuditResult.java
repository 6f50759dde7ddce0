package io.scrapeguard.auditor;

import java.awt.image.BufferedImage;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything one audit found. A skipped audit carries its reason and the skip counts; the
 * measurement fields are then null. Pictures are rendered with the report and written beside the
 * HTML page.
 */
public record AuditResult(
        String id,
        Instant createdAt,
        Outcome outcome,
        String reason,
        AuditProfile profile,
        Thresholds thresholds,
        long seed,
        int pairs,
        int trainPairs,
        int testPairs,
        List<String> labels,
        String imageShape,
        Map<String, Integer> skipped,
        Integrity integrity,
        Separability separability,
        CanarySummary clean,
        CanarySummary protectedCanary,
        Efficacy efficacy,
        Map<String, Defence> defences,
        Verdict verdict,
        Map<String, Double> stageSeconds,
        Map<String, BufferedImage> pictures) {

    public enum Outcome {
        COMPLETED,
        SKIPPED,
        FAILED
    }

    /** Protection scores on final, peak and last-5 accuracy (seed means); chance = 1/K. */
    public record Efficacy(double chance, double scoreFinal, double scorePeak, double scoreLast5) {}

    /** The protected canary again, trained on defended (transformed) protected images. */
    public record Defence(String name, String description, double finalAccuracy,
            double peakAccuracy, double followRate, double protectionScoreFinal,
            CanaryCurve curve) {}

    public boolean completed() {
        return outcome == Outcome.COMPLETED;
    }

    static AuditResult notRun(String id, Outcome outcome, String reason, AuditProfile profile,
            Thresholds thresholds, long seed, int pairs, Map<String, Integer> skipped,
            Map<String, Double> stageSeconds) {
        return new AuditResult(id, Instant.now(), outcome, reason, profile, thresholds, seed,
                pairs, 0, 0, List.of(), null, skipped, null, null, null, null, null, Map.of(),
                null, stageSeconds, Map.of());
    }
}
