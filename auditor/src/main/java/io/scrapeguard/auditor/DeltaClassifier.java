package io.scrapeguard.auditor;

/**
 * Names the perturbation class of a delta (published - raw, HWC, [0, 1] units): for AR protection,
 * the AR-filter classifier over the secret process bank.
 */
@FunctionalInterface
public interface DeltaClassifier {
    int classify(float[] deltaHwc, int height, int width, int channels);
}
