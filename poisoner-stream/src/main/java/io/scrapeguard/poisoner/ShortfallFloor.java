package io.scrapeguard.poisoner;

import io.scrapeguard.core.Delivered;
import io.scrapeguard.imaging.ImageRejectedException;
import io.scrapeguard.imaging.RejectReason;
import java.util.Locale;

/**
 * The least share of the requested perturbation (L2, after clamping to 0..255 and rounding) an
 * image may carry and still be published as protected. Clamping on black or white regions removes
 * part of the perturbation; below the floor the image is mostly unprotected and is dead-lettered
 * ({@code budget-shortfall}) instead.
 */
public record ShortfallFloor(double minRatio) {
    /**
     * Lenient: refuses images that keep less than half, as the black/white cases do not.
     */
    public static final ShortfallFloor DEFAULT = new ShortfallFloor(0.5);

    public ShortfallFloor {
        if (!(minRatio >= 0 && minRatio <= 1)) {
            throw new IllegalArgumentException(
                    "the delivered-ratio floor must be within 0..1, got " + minRatio);
        }
    }

    void check(Delivered delivered) throws ImageRejectedException {
        if (delivered.requestedL2() == 0) {
            throw new ImageRejectedException(
                    RejectReason.BUDGET_SHORTFALL,
                    "no visible pixel carries the perturbation (the image is fully transparent)");
        }
        double ratio = delivered.l2Ratio();
        if (ratio < minRatio) {
            throw new ImageRejectedException(
                    RejectReason.BUDGET_SHORTFALL,
                    String.format(
                            Locale.ROOT,
                            "clamping to 0..255 left %.0f%% of the requested perturbation (L2),"
                                    + " under the floor of %.0f%% (--min-delivered-ratio): the"
                                    + " image is too dark or too bright to carry it",
                            100 * ratio,
                            100 * minRatio));
        }
    }
}
