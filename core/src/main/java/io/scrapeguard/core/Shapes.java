package io.scrapeguard.core;

/** Shape checks with messages people can act on. */
final class Shapes {
    /** Largest H*W*C a perturbation may have (about 1 GiB of doubles). */
    static final long MAX_VALUES = 1L << 27;

    private Shapes() {}

    static void check(int height, int width, int channels) {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException(
                    "image size must be positive, got " + height + "x" + width);
        }
        if (channels <= 0) {
            throw new IllegalArgumentException("channel count must be positive, got " + channels);
        }
        if ((long) height * width * channels > MAX_VALUES) {
            throw new IllegalArgumentException(
                    "image too large: "
                            + height
                            + "x"
                            + width
                            + "x"
                            + channels
                            + " exceeds "
                            + MAX_VALUES
                            + " values");
        }
    }

    /** {@link #check} and an output array of exactly H*W*C values. */
    static void checkInto(double[] out, int height, int width, int channels) {
        check(height, width, channels);
        if (out.length != height * width * channels) {
            throw new IllegalArgumentException(
                    "output array has "
                            + out.length
                            + " values; needs "
                            + height * width * channels);
        }
    }
}
