package io.scrapeguard.auditor;

import java.util.List;

/** One canary arm over all seeds: means, with the spread (max - min) across seeds. */
public record CanarySummary(
        double finalAccuracy,
        double peakAccuracy,
        double last5Accuracy,
        double followRate,
        Double epochsToLoss05,
        double finalSpread,
        double peakSpread,
        List<CanaryCurve> runs) {

    static CanarySummary of(List<CanaryCurve> runs) {
        double fin = runs.stream().mapToDouble(CanaryCurve::finalAccuracy).average().orElseThrow();
        double peak = runs.stream().mapToDouble(CanaryCurve::peakAccuracy).average().orElseThrow();
        double last5 =
                runs.stream().mapToDouble(CanaryCurve::last5Accuracy).average().orElseThrow();
        double follow =
                runs.stream().mapToDouble(CanaryCurve::finalFollowRate).average().orElseThrow();
        boolean allReached = runs.stream().allMatch(r -> r.epochsToLoss05() != null);
        Double epochs =
                allReached
                        ? runs.stream()
                                .mapToInt(CanaryCurve::epochsToLoss05)
                                .average()
                                .orElseThrow()
                        : null;
        return new CanarySummary(
                fin,
                peak,
                last5,
                follow,
                epochs,
                spread(runs.stream().mapToDouble(CanaryCurve::finalAccuracy).toArray()),
                spread(runs.stream().mapToDouble(CanaryCurve::peakAccuracy).toArray()),
                List.copyOf(runs));
    }

    private static double spread(double[] v) {
        double min = Double.MAX_VALUE, max = -Double.MAX_VALUE;
        for (double x : v) {
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        return max - min;
    }

    /**
     * 1 - (acc_protected - chance) / (acc_clean - chance); NaN when the clean canary is at chance.
     */
    static double protectionScore(double protectedAcc, double cleanAcc, double chance) {
        double gain = cleanAcc - chance;
        return gain <= 1e-9 ? Double.NaN : 1 - (protectedAcc - chance) / gain;
    }
}
