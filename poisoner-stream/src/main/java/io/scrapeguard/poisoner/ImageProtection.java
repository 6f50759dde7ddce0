package io.scrapeguard.poisoner;

import io.scrapeguard.imaging.Image8;

/**
 * Adds the perturbation of one process to one image: the seam between the stream and the AR engine
 * (core). Deterministic: the same image, id and process always give the same pixels.
 */
public interface ImageProtection {
    /** The protected pixels and what was delivered (pixels in [0,1]). */
    Protection protect(Image8 image, int processIndex, String imageId);

    /** Processes in the bank. */
    int bankSize();

    /** Public name of the method, e.g. {@code ar-l2}. */
    String method();

    /** The {@code method} tag of {@code guard.images.protected} (docs/metrics.md: ar, ...). */
    default String metricMethod() {
        return method();
    }

    /**
     * The budget's epsilon at the paper's reference size (what {@code ProtectedImage.budget} says).
     */
    double budget();

    /** Public version tag of the bank (a fingerprint, never its contents). */
    String bankVersion();

    record Protection(
            Image8 image,
            double deliveredL2,
            double deliveredLinf,
            double requestedL2,
            double requestedLinf) {}
}
