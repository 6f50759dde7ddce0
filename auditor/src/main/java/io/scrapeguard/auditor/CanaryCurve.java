package io.scrapeguard.auditor;

import java.util.Arrays;

/** One canary's training run: per-epoch training loss, clean test accuracy and follow rate. */
public record CanaryCurve(String arm, int seed, double[] loss, double[] accuracy, double[] follow) {

    public double finalAccuracy() {
        return accuracy[accuracy.length - 1];
    }

    public double peakAccuracy() {
        return Arrays.stream(accuracy).max().orElse(Double.NaN);
    }

    /** Mean clean test accuracy over the last five epochs (or all, when fewer). */
    public double last5Accuracy() {
        int from = Math.max(0, accuracy.length - 5);
        return Arrays.stream(accuracy, from, accuracy.length).average().orElse(Double.NaN);
    }

    public double finalFollowRate() {
        return follow[follow.length - 1];
    }

    /** 1-based epoch whose mean training loss first fell below 0.5, or null. */
    public Integer epochsToLoss05() {
        for (int i = 0; i < loss.length; i++) {
            if (loss[i] < 0.5) {
                return i + 1;
            }
        }
        return null;
    }
}
