package io.scrapeguard.runtime;

/**
 * Limits against decompression bombs and oversized payloads, checked from the header before any
 * pixel is decoded. Defaults: 40 megapixels (a 7,000 x 5,700 photo), 32 MiB of encoded bytes.
 */
public record ImageLimits(long maxPixels, long maxBytes) {
    public static final long DEFAULT_MAX_PIXELS = 40_000_000L;
    public static final long DEFAULT_MAX_BYTES = 32L * 1024 * 1024;
    public static final ImageLimits DEFAULT =
            new ImageLimits(DEFAULT_MAX_PIXELS, DEFAULT_MAX_BYTES);

    public ImageLimits {
        if (maxPixels < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("image limits must be positive");
        }
    }
}
