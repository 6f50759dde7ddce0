package io.scrapeguard.core;

import io.scrapeguard.imaging.Image8;
import io.scrapeguard.imaging.ImageQuality;

/**
 * A protected image, what was delivered and how evenly the delivered change covers the image
 * (measured after clamping and rounding, so a change that clipping removed does not count).
 */
public record ProtectedResult(Image8 image, Delivered delivered, RegionCoverage coverage) {
    /**
     * PSNR of the protected image against its original in dB (8-bit peak), from the delivered L2;
     * infinite when nothing changed.
     */
    public double psnr() {
        double n = (double) image.width() * image.height() * image.channels();
        double l2 = delivered.deliveredL2();
        return ImageQuality.psnr(l2 * l2, n);
    }
}
