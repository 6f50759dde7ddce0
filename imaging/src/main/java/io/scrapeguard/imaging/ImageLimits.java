package io.scrapeguard.imaging;

/**
 * Limits against decompression bombs and oversized payloads, checked from the header before any
 * pixel is decoded. Defaults: 40 megapixels (a 7,000 x 5,700 photo), 32 MiB of encoded bytes.
 */
public record ImageLimits(long maxPixels, long maxBytes) {
    public static final long DEFAULT_MAX_PIXELS = 40_000_000L;
    public static final long DEFAULT_MAX_BYTES = 32L * 1024 * 1024;
    public static final ImageLimits DEFAULT =
            new ImageLimits(DEFAULT_MAX_PIXELS, DEFAULT_MAX_BYTES);

    /**
     * Heap one stream thread needs per pixel while it protects an image: the AR generator's scratch
     * and the perturbation (three channels of doubles each, 48 bytes), plus the encoded, decoded
     * and protected bytes. Measured: at -Xmx512m one thread protects 3000x2500 and runs out of
     * memory on 4000x3000.
     */
    public static final int HEAP_BYTES_PER_PIXEL = 56;

    /**
     * Scans a JPEG may have: encoders write 1 (baseline) or about 10 (progressive); a scan bomb
     * repeats one thousands of times. Over it: {@code image-too-expensive}.
     */
    public static final int MAX_JPEG_SCANS = 64;

    /** Scans times pixels a JPEG may cost: 16 scans of the default pixel limit. */
    public static final long MAX_JPEG_SCAN_PIXELS = 16 * DEFAULT_MAX_PIXELS;

    /** The share of the heap that images in flight may take; Kafka's buffers need the rest. */
    private static final double HEAP_SHARE_FOR_IMAGES = 0.75;

    public ImageLimits {
        if (maxPixels < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("image limits must be positive");
        }
    }

    /**
     * The largest image {@code threads} threads can protect at once within {@code maxHeapBytes}.
     */
    public static long pixelsHeapAllows(long maxHeapBytes, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be positive, got " + threads);
        }
        return Math.max(
                1,
                (long) (maxHeapBytes * HEAP_SHARE_FOR_IMAGES)
                        / ((long) threads * HEAP_BYTES_PER_PIXEL));
    }

    /** The heap {@code threads} threads need to protect images of {@code pixels} at once. */
    public static long heapNeededFor(long pixels, int threads) {
        return (long)
                Math.ceil(pixels * threads * (double) HEAP_BYTES_PER_PIXEL / HEAP_SHARE_FOR_IMAGES);
    }

    /**
     * These limits, with the pixel limit lowered to what the heap allows: an image over it is then
     * an {@code image-too-large} dead letter instead of an OutOfMemoryError that would stop the
     * stream at that record.
     */
    public ImageLimits cappedForHeap(long maxHeapBytes, int threads) {
        long allowed = pixelsHeapAllows(maxHeapBytes, threads);
        return allowed >= maxPixels ? this : new ImageLimits(allowed, maxBytes);
    }
}
