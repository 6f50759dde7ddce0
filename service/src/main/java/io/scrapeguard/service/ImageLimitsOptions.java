package io.scrapeguard.service;

import io.scrapeguard.imaging.ImageLimits;
import picocli.CommandLine.Option;

/**
 * {@code --max-pixels} and {@code --max-bytes}: the image limits that the producer checks before
 * sending and the poisoner checks before decoding. A picocli mixin, so both commands say the same.
 */
public final class ImageLimitsOptions {
    @Option(
            names = "--max-pixels",
            description = "refuse images over this many pixels (default: ${DEFAULT-VALUE})")
    long maxPixels = ImageLimits.DEFAULT_MAX_PIXELS;

    @Option(
            names = "--max-bytes",
            description = "refuse images over this many bytes (default: ${DEFAULT-VALUE})")
    long maxBytes = ImageLimits.DEFAULT_MAX_BYTES;

    public ImageLimits limits() {
        return new ImageLimits(maxPixels, maxBytes);
    }
}
