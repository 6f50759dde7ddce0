package io.scrapeguard.core;

import io.scrapeguard.imaging.Image8;
import java.util.Objects;

/**
 * Applies a {@link PerturbationMethod} to an image: x' = round(255 * clamp(x/255 + delta, 0, 1)).
 * The alpha channel, if any, passes through unchanged, and the perturbation goes to the visible
 * pixels only ({@link VisiblePixels}).
 *
 * <p><b>Clipping headroom.</b> On dark or bright images clamping removes part of the perturbation
 * (on MNIST's black background a quarter of its L2, and the half it removes is one sign of the AR
 * field, so the label's process was named in only 93% of the published deltas). Where less than
 * {@value #CLIPPED} of the requested L2 is delivered, the perturbation is scaled up (at most
 * {@value #MAX_GAIN}x) until it is, and, for AR methods, up to {@value #CANDIDATES} draws of the
 * label's process (seeded by the id and the draw) are tried until the AR filters name the label in
 * the delivered delta with a clear margin; the clearest draw is kept. Images that clip little (most
 * photos) take the first path only and keep their bytes. Thread-safe.
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

    /** Below this share of the requested L2 delivered, the image gets clipping headroom. */
    static final double CLIPPED = 0.97;

    /** A scaled draw that delivers this share of the requested L2 carries the budget. */
    static final double CARRIES = 0.95;

    /** The most a clipped perturbation is scaled up (bounds its Linf for the budget). */
    static final double MAX_GAIN = 2.0;

    /** Draws of the label's process tried on a clipped image. */
    static final int CANDIDATES = 8;

    /** A draw whose label filters respond this much less than any other class's is kept. */
    static final double CLEAR_MARGIN = 0.05;

    private final PerturbationMethod method;

    /** The AR filters that judge a clipped draw; null for methods without a process bank. */
    private final MultiscaleArFilter filters;

    public Protector(PerturbationMethod method) {
        this.method = Objects.requireNonNull(method, "method");
        ProcessBank bank =
                method instanceof MultiscaleArMethod m
                        ? m.bank()
                        : method instanceof ArPerturbationMethod a ? a.bank() : null;
        this.filters = bank == null ? null : MultiscaleArFilter.of(method, bank);
    }

    public PerturbationMethod method() {
        return method;
    }

    /** {@link #pattern}: the AR process (Algorithm 2, its tiles or grids). */
    public static final String AR = "ar";

    /** {@link #pattern}: the class's low-frequency chroma wave ({@link ClassWave}). */
    public static final String CLASS_WAVE = "class-wave";

    /**
     * What this image's perturbation carries: {@value #AR}, {@value #CLASS_WAVE}, {@code
     * ar+class-wave}, or {@code other} for methods without a process bank. The default gives small
     * textured colour photos the wave and everything else the AR process, and the two survive
     * different scrapers (JPEG, grayscale), so operators watch the split.
     */
    public String pattern(Image8 image) {
        return method instanceof MultiscaleArMethod m
                ? m.pattern(image)
                : filters != null ? AR : "other";
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
        draw(d, image, classIndex, imageId);
        ProtectedResult first = apply(image, d, 1.0);
        if (method.budget().norm() != Budget.Norm.L2 || !clipped(first)) {
            return first; // an Linf budget is a bound: no headroom beyond it
        }
        return withHeadroom(image, classIndex, imageId, d.clone(), first);
    }

    /** Clamping left less than CLIPPED of the requested L2. */
    private static boolean clipped(ProtectedResult r) {
        return r.delivered().deliveredL2() < CLIPPED * r.delivered().requestedL2();
    }

    private void draw(double[] d, Image8 image, int classIndex, String id) {
        method.perturbationInto(d, image, classIndex, id);
        if (image.hasAlpha()) {
            VisiblePixels.confine(d, image.alpha(), image.channels(), method.budget());
        }
    }

    /**
     * The clipped image's protection: each draw scaled up to the budget; the first that carries it
     * with the label clearly named wins, else the best (carrying the budget first, then margin).
     */
    private ProtectedResult withHeadroom(
            Image8 image,
            int classIndex,
            String imageId,
            double[] firstDraw,
            ProtectedResult firstApplied) {
        ProtectedResult best = null;
        boolean bestCarries = false;
        double bestMargin = Double.NEGATIVE_INFINITY;
        int draws = filters == null ? 1 : CANDIDATES;
        for (int j = 0; j < draws; j++) {
            double[] d = firstDraw;
            ProtectedResult applied = firstApplied;
            if (j > 0) {
                d = new double[firstDraw.length];
                draw(d, image, classIndex, imageId + "\u0000clip/" + j);
                applied = apply(image, d, 1.0);
            }
            ProtectedResult r = scaledToBudget(image, d, applied);
            if (filters == null) {
                return r;
            }
            boolean carries = r.delivered().l2Ratio() >= CARRIES;
            double margin = filters.margin(Perturbation.delta(image, r.image()), classIndex);
            if ((carries && !bestCarries) || (carries == bestCarries && margin > bestMargin)) {
                best = r;
                bestCarries = carries;
                bestMargin = margin;
            }
            if (carries && margin >= CLEAR_MARGIN) {
                break;
            }
        }
        return best;
    }

    /**
     * Scales d up (at most MAX_GAIN) until clamping leaves CLIPPED of the requested L2; r is d
     * applied as is.
     */
    private static ProtectedResult scaledToBudget(Image8 image, double[] d, ProtectedResult r) {
        double gain = 1.0;
        for (int i = 0; i < 4 && clipped(r); i++) {
            double next =
                    Math.min(
                            MAX_GAIN,
                            gain
                                    * r.delivered().requestedL2()
                                    / Math.max(r.delivered().deliveredL2(), 1e-12));
            if (next <= gain) {
                break;
            }
            gain = next;
            r = apply(image, d, gain);
        }
        return r;
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
        return apply(image, delta.valueArray(), 1.0);
    }

    /**
     * d holds the perturbation in HWC order, one value per sample of the image; it is applied times
     * gain, and the requested figures are d's own (the budget's).
     */
    private static ProtectedResult apply(Image8 image, double[] d, double gain) {
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
                    int q = (int) Math.floor(v0 + di * gain * 255.0 + 0.5);
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
