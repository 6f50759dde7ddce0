package io.scrapeguard.core;

import io.scrapeguard.imaging.Image8;

/**
 * A perturbation delta: height x width x channels values in HWC order, in pixel units of [0, 1]
 * (one 8-bit step is 1/255). Immutable.
 */
public final class Perturbation {
    private final int height;
    private final int width;
    private final int channels;
    private final double[] values;

    public Perturbation(int height, int width, int channels, double[] values) {
        this(height, width, channels, checked(height, width, channels, values).clone(), true);
    }

    private Perturbation(int height, int width, int channels, double[] values, boolean owned) {
        this.height = height;
        this.width = width;
        this.channels = channels;
        this.values = values;
    }

    private static double[] checked(int h, int w, int c, double[] v) {
        Shapes.check(h, w, c);
        if (v == null || v.length != (long) h * w * c) {
            throw new IllegalArgumentException(
                    "perturbation values have "
                            + (v == null ? 0 : v.length)
                            + " entries; "
                            + h
                            + "x"
                            + w
                            + "x"
                            + c
                            + " needs "
                            + (long) h * w * c);
        }
        return v;
    }

    /** Wraps an array this package owns (no copy). */
    static Perturbation wrap(int height, int width, int channels, double[] values) {
        return new Perturbation(
                height, width, channels, checked(height, width, channels, values), true);
    }

    /**
     * The delta actually delivered: (protected - clean) / 255 per sample. Both images must have the
     * same shape.
     */
    public static Perturbation delta(Image8 clean, Image8 protectedImage) {
        if (clean.width() != protectedImage.width()
                || clean.height() != protectedImage.height()
                || clean.channels() != protectedImage.channels()) {
            throw new IllegalArgumentException(
                    "images differ in shape: " + clean + " vs " + protectedImage);
        }
        byte[] a = clean.pixelArray();
        byte[] b = protectedImage.pixelArray();
        double[] d = new double[a.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = ((b[i] & 0xFF) - (a[i] & 0xFF)) / 255.0;
        }
        return wrap(clean.height(), clean.width(), clean.channels(), d);
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public int channels() {
        return channels;
    }

    /** Number of values, H*W*C. */
    public int size() {
        return values.length;
    }

    /** A copy of the HWC values. */
    public double[] values() {
        return values.clone();
    }

    double[] valueArray() {
        return values;
    }

    public double value(int y, int x, int c) {
        return values[(y * width + x) * channels + c];
    }

    /** Channel c as a dense HxW row-major array. */
    public double[] channel(int c) {
        double[] out = new double[height * width];
        for (int i = 0; i < out.length; i++) {
            out[i] = values[i * channels + c];
        }
        return out;
    }

    public double l2() {
        return Norms.l2(values);
    }

    public double linf() {
        return Norms.linf(values);
    }

    /** This perturbation times a factor. */
    public Perturbation scaled(double factor) {
        double[] v = new double[values.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = values[i] * factor;
        }
        return wrap(height, width, channels, v);
    }

    /** The top-left crop of size h x w (all channels). */
    public Perturbation crop(int top, int left, int h, int w) {
        if (top < 0 || left < 0 || h <= 0 || w <= 0 || top + h > height || left + w > width) {
            throw new IllegalArgumentException(
                    "crop "
                            + h
                            + "x"
                            + w
                            + "+"
                            + top
                            + "+"
                            + left
                            + " is outside "
                            + height
                            + "x"
                            + width);
        }
        double[] v = new double[h * w * channels];
        for (int y = 0; y < h; y++) {
            System.arraycopy(
                    values,
                    ((top + y) * width + left) * channels,
                    v,
                    y * w * channels,
                    w * channels);
        }
        return wrap(h, w, channels, v);
    }

    @Override
    public String toString() {
        return String.format(
                "Perturbation(%dx%dx%d, l2=%.6f, linf=%.6f)",
                height, width, channels, l2(), linf());
    }
}
