package io.scrapeguard.auditor;

import java.awt.image.BufferedImage;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything one audit found. The top-level measurements describe the {@code native} pipeline;
 * {@code scrapers} holds one row per pipeline (native first), {@code threatModel} the pipelines
 * whose worst verdict is {@code verdict}; canary fields are null where no canaries ran at native
 * size. A skipped audit carries its reason and the skip counts; the measurement fields are then
 * null. Pictures are rendered with the report and written beside the HTML page.
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
        Map<String, BufferedImage> pictures,
        List<ScraperResult> scrapers,
        List<String> threatModel,
        List<Dilution> dilution) {

    public enum Outcome {
        COMPLETED,
        SKIPPED,
        FAILED
    }

    /** Protection scores on final, peak and last-5 accuracy (seed means); chance = 1/K. */
    public record Efficacy(double chance, double scoreFinal, double scorePeak, double scoreLast5) {}

    /** The protected canary again, trained on defended (transformed) protected images. */
    public record Defence(
            String name,
            String description,
            double finalAccuracy,
            double peakAccuracy,
            double followRate,
            double protectionScoreFinal,
            CanaryCurve curve) {}

    /** The canary trained with a share {@code fraction} of protected images, under a pipeline. */
    public record Dilution(
            double fraction, String pipeline, double scoreFinal, double followRate) {}

    public boolean completed() {
        return outcome == Outcome.COMPLETED;
    }

    static AuditResult notRun(
            String id,
            Outcome outcome,
            String reason,
            AuditProfile profile,
            Thresholds thresholds,
            long seed,
            int pairs,
            Map<String, Integer> skipped,
            Map<String, Double> stageSeconds) {
        return new AuditResult(
                id,
                Instant.now(),
                outcome,
                reason,
                profile,
                thresholds,
                seed,
                pairs,
                0,
                0,
                List.of(),
                null,
                skipped,
                null,
                null,
                null,
                null,
                null,
                Map.of(),
                null,
                stageSeconds,
                Map.of(),
                List.of(),
                List.of(),
                List.of());
    }
}
