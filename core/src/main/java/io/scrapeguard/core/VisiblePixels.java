package io.scrapeguard.core;

/**
 * Confines a perturbation to the pixels a viewer (and a scraper that composites) sees: a fully
 * transparent pixel (alpha 0) shows none of its colour, so energy spent there protects nothing. The
 * rest is rescaled so the visible pixels carry the whole budget.
 */
final class VisiblePixels {
    private VisiblePixels() {}

    /**
     * Zeroes {@code d} (HWC) where {@code alpha} (HW) is 0 and scales the rest back to the norm
     * {@code d} had. An image with no visible pixel is left all zero: there is nothing to protect,
     * and the pipeline refuses it as a budget shortfall rather than publish it as protected.
     */
    static void confine(double[] d, byte[] alpha, int channels, Budget budget) {
        double before = budget.measure(d);
        boolean transparent = false;
        for (int p = 0; p < alpha.length; p++) {
            if (alpha[p] == 0) {
                java.util.Arrays.fill(d, p * channels, (p + 1) * channels, 0.0);
                transparent = true;
            }
        }
        if (!transparent) {
            return;
        }
        double after = budget.measure(d);
        if (after > 0 && Double.isFinite(before)) {
            double factor = before / after;
            for (int i = 0; i < d.length; i++) {
                d[i] *= factor;
            }
        }
    }
}
