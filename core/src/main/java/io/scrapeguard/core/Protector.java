package io.scrapeguard.core;

import io.scrapeguard.imaging.Image8;
import java.util.Objects;

/**
 * Applies a {@link PerturbationMethod} to an image: x' = round(255 * clamp(x/255 + delta, 0, 1)).
 * The alpha channel, if any, passes through unchanged, and the perturbation goes to the visible
 * pixels only ({@link VisiblePixels}). Thread-safe.
 */
public final class Protector {
    /**
     * Each thread's perturbation array, reused while images keep their size (a stream's common
     * case). A 512x512 RGB perturbation is 6 MB of doubles: allocated per image it was most of the
     * poisoner's allocation, and a humongous object for G1.
     */
    private static final ThreadLocal<double[]> SCRATCH = new ThreadLocal<>();

    /** Larger perturbations (over 32 MB) are allocated per image rather than held by a thread. */
    private static final int MAX_KEPT_VALUES = 1 << 22;

    private final PerturbationMethod method;

    public Protector(PerturbationMethod method) {
        this.method = Objects.requireNonNull(method, "method");
    }

    public PerturbationMethod method() {
        return method;
    }

    /** What the protection may say of itself in logs: the method and budget, nothing secret. */
    @Override
    public String toString() {
        return method.describe();
    }

    /** Protects an image of class {@code classIndex} whose stable id is {@code imageId}. */
    public ProtectedResult protect(Image8 image, int classIndex, String imageId) {
        Objects.requireNonNull(image, "image");
        int n = image.height() * image.width() * image.channels();
        double[] d = SCRATCH.get();
        if (d == null || d.length != n) {
            d = new double[n];
            if (n <= MAX_KEPT_VALUES) {
                SCRATCH.set(d);
            }
        }
        method.perturbationInto(
                d, classIndex, imageId, image.height(), image.width(), image.channels());
        if (image.hasAlpha()) {
            VisiblePixels.confine(d, image.alpha(), image.channels(), method.budget());
        }
        return apply(image, d);
    }

    /** Applies a given perturbation (same shape as the image). */
    public static ProtectedResult apply(Image8 image, Perturbation delta) {
        if (delta.height() != image.height()
                || delta.width() != image.width()
                || delta.channels() != image.channels()) {
            throw new IllegalArgumentException(
                    "perturbation "
                            + delta.height()
                            + "x"
                            + delta.width()
                            + "x"
                            + delta.channels()
                            + " does not fit "
                            + image);
        }
        return apply(image, delta.valueArray());
    }

    /** d holds the perturbation in HWC order, one value per sample of the image. */
    private static ProtectedResult apply(Image8 image, double[] d) {
        byte[] in = image.pixelArray();
        byte[] out = new byte[in.length];
        int w = image.width();
        int c = image.channels();
        double reqSq = 0;
        double reqMax = 0;
        long delSq = 0;
        int delMax = 0;
        RegionCoverage.Accumulator regions = new RegionCoverage.Accumulator(image.height(), w);
        double[] rowEnergy = new double[w];
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < w; x++) {
                int pixelSq = 0;
                for (int k = 0, i = (y * w + x) * c; k < c; k++, i++) {
                    int v0 = in[i] & 0xFF;
                    double di = d[i];
                    reqSq += di * di;
                    double a = Math.abs(di);
                    if (a > reqMax) {
                        reqMax = a;
                    }
                    // clamp(x/255 + d, 0, 1) * 255 rounded half-up; equal to clamping in 8-bit
                    // units
                    int q = (int) Math.floor(v0 + di * 255.0 + 0.5);
                    if (q < 0) {
                        q = 0;
                    } else if (q > 255) {
                        q = 255;
                    }
                    out[i] = (byte) q;
                    int e = q - v0;
                    pixelSq += e * e;
                    if (Math.abs(e) > delMax) {
                        delMax = Math.abs(e);
                    }
                }
                delSq += pixelSq;
                rowEnergy[x] = pixelSq;
            }
            regions.addRow(y, rowEnergy);
        }
        Delivered delivered =
                new Delivered(Math.sqrt(reqSq), reqMax, Math.sqrt(delSq) / 255.0, delMax / 255.0);
        return new ProtectedResult(image.wrapWithPixels(out), delivered, regions.coverage());
    }
}
