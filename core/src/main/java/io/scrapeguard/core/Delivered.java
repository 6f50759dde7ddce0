package io.scrapeguard.core;

import java.util.Locale;

/**
 * What a protected image really carries: the perturbation requested (before clamping) and the one
 * delivered after clamping to [0, 1] and rounding to 8 bits, in pixel units of [0, 1].
 */
public record Delivered(
        double requestedL2, double requestedLinf, double deliveredL2, double deliveredLinf) {

    /** Delivered / requested L2: below 1 when clamping removed part of the perturbation. */
    public double l2Ratio() {
        return requestedL2 == 0 ? 0 : deliveredL2 / requestedL2;
    }

    /** Delivered / requested Linf. */
    public double linfRatio() {
        return requestedLinf == 0 ? 0 : deliveredLinf / requestedLinf;
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "requested l2=%.4f linf=%.4f (%.1f/255), delivered l2=%.4f (%.1f%%) linf=%.4f"
                        + " (%.1f/255)",
                requestedL2,
                requestedLinf,
                requestedLinf * 255,
                deliveredL2,
                100 * l2Ratio(),
                deliveredLinf,
                deliveredLinf * 255);
    }
}
