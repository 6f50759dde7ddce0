package io.scrapeguard.core;

import java.util.Objects;

/**
 * Applies a {@link PerturbationMethod} to an image: x' = round(255 * clamp(x/255 + delta, 0, 1)).
 * The alpha channel, if any, passes through unchanged. Thread-safe.
 */
public final class Protector {
    private final PerturbationMethod method;

    public Protector(PerturbationMethod method) {
        this.method = Objects.requireNonNull(method, "method");
    }

    public PerturbationMethod method() {
        return method;
    }

    /** Protects an image of class {@code classIndex} whose stable id is {@code imageId}. */
    public ProtectedResult protect(Image8 image, int classIndex, String imageId) {
        Objects.requireNonNull(image, "image");
        Perturbation delta = method.perturbation(
                classIndex, imageId, image.height(), image.width(), image.channels());
        return apply(image, delta);
    }

    /** Applies a given perturbation (same shape as the image). */
    public static ProtectedResult apply(Image8 image, Perturbation delta) {
        if (delta.height() != image.height() || delta.width() != image.width()
                || delta.channels() != image.channels()) {
            throw new IllegalArgumentException("perturbation " + delta.height() + "x" + delta.width()
                    + "x" + delta.channels() + " does not fit " + image);
        }
        byte[] in = image.pixelArray();
        double[] d = delta.valueArray();
        byte[] out = new byte[in.length];
        double reqSq = 0;
        double reqMax = 0;
        long delSq = 0;
        int delMax = 0;
        for (int i = 0; i < in.length; i++) {
            int x = in[i] & 0xFF;
            double di = d[i];
            reqSq += di * di;
            double a = Math.abs(di);
            if (a > reqMax) {
                reqMax = a;
            }
            // clamp(x/255 + d, 0, 1) * 255 rounded half-up; equal to clamping in 8-bit units
            double v = x + di * 255.0;
            int q = (int) Math.floor(v + 0.5);
            if (q < 0) {
                q = 0;
            } else if (q > 255) {
                q = 255;
            }
            out[i] = (byte) q;
            int e = q - x;
            delSq += (long) e * e;
            if (Math.abs(e) > delMax) {
                delMax = Math.abs(e);
            }
        }
        Delivered delivered = new Delivered(Math.sqrt(reqSq), reqMax, Math.sqrt(delSq) / 255.0,
                delMax / 255.0);
        return new ProtectedResult(image.wrapWithPixels(out), delivered);
    }
}
