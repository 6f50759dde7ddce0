package io.scrapeguard.auditor;

/** A clean/protected canary pair under one pipeline, read as efficacy. */
public record CanaryReading(CanarySummary clean, CanarySummary protectedCanary, double chance) {

    /** Protection score on the seed means of final clean test accuracy. */
    public double scoreFinal() {
        return CanarySummary.protectionScore(
                protectedCanary.finalAccuracy(), clean.finalAccuracy(), chance);
    }

    /** How much more often the protected canary follows another class's perturbation. */
    public double followGain() {
        return protectedCanary.followRate() - clean.followRate();
    }

    /** Whether the clean canary learned enough above chance for a reading of efficacy. */
    boolean cleanLearned(Thresholds t) {
        return clean.peakAccuracy() - chance >= t.minCleanGain();
    }
}
