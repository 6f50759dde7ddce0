package io.scrapeguard.imaging;

/**
 * How visible a change is: PSNR and SSIM of a protected image against its original, as reported per
 * image by the poisoner and {@code perturb}.
 */
public final class ImageQuality {
    private static final int WINDOW = 11;
    private static final double SIGMA = 1.5;
    private static final double C1 = Math.pow(0.01 * 255, 2);
    private static final double C2 = Math.pow(0.03 * 255, 2);
    private static final double[] KERNEL = gaussian();

    private ImageQuality() {}

    /** Peak signal-to-noise ratio in dB (8-bit peak 255); infinite for identical images. */
    public static double psnr(Image8 a, Image8 b) {
        requireSameShape(a, b);
        byte[] x = a.pixelArray();
        byte[] y = b.pixelArray();
        double se = 0;
        for (int i = 0; i < x.length; i++) {
            int d = (x[i] & 0xFF) - (y[i] & 0xFF);
            se += d * d;
        }
        if (se == 0) {
            return Double.POSITIVE_INFINITY;
        }
        return 10 * Math.log10(255.0 * 255.0 * x.length / se);
    }

    /**
     * PSNR in dB of a change given as its squared error in [0, 1] units (peak 1) over {@code
     * samples} samples; infinite when nothing changed.
     */
    public static double psnr(double squaredError, double samples) {
        return squaredError == 0
                ? Double.POSITIVE_INFINITY
                : 10 * Math.log10(samples / squaredError);
    }

    /**
     * Mean structural similarity (Wang et al. 2004: 11x11 Gaussian window, sigma 1.5, K1 0.01, K2
     * 0.03), averaged over the channels; 1 for identical images.
     */
    public static double ssim(Image8 a, Image8 b) {
        requireSameShape(a, b);
        int w = a.width();
        int h = a.height();
        int c = a.channels();
        double total = 0;
        for (int k = 0; k < c; k++) {
            double[] x = channel(a, k);
            double[] y = channel(b, k);
            double[] mx = blur(x, w, h);
            double[] my = blur(y, w, h);
            double[] xx = new double[x.length];
            double[] yy = new double[x.length];
            double[] xy = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                xx[i] = x[i] * x[i];
                yy[i] = y[i] * y[i];
                xy[i] = x[i] * y[i];
            }
            double[] sxx = blur(xx, w, h);
            double[] syy = blur(yy, w, h);
            double[] sxy = blur(xy, w, h);
            double sum = 0;
            for (int i = 0; i < x.length; i++) {
                double vx = sxx[i] - mx[i] * mx[i];
                double vy = syy[i] - my[i] * my[i];
                double cov = sxy[i] - mx[i] * my[i];
                sum +=
                        ((2 * mx[i] * my[i] + C1) * (2 * cov + C2))
                                / ((mx[i] * mx[i] + my[i] * my[i] + C1) * (vx + vy + C2));
            }
            total += sum / x.length;
        }
        return total / c;
    }

    private static void requireSameShape(Image8 a, Image8 b) {
        if (a.width() != b.width() || a.height() != b.height() || a.channels() != b.channels()) {
            throw new IllegalArgumentException(a + " and " + b + " differ in shape");
        }
    }

    private static double[] channel(Image8 img, int k) {
        byte[] px = img.pixelArray();
        int c = img.channels();
        double[] out = new double[img.width() * img.height()];
        for (int i = 0; i < out.length; i++) {
            out[i] = px[i * c + k] & 0xFF;
        }
        return out;
    }

    /** Separable Gaussian blur; the window is renormalised at the borders. */
    private static double[] blur(double[] v, int w, int h) {
        int r = WINDOW / 2;
        double[] tmp = new double[v.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double s = 0;
                double n = 0;
                for (int j = -r; j <= r; j++) {
                    int xx = x + j;
                    if (xx >= 0 && xx < w) {
                        s += KERNEL[j + r] * v[y * w + xx];
                        n += KERNEL[j + r];
                    }
                }
                tmp[y * w + x] = s / n;
            }
        }
        double[] out = new double[v.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double s = 0;
                double n = 0;
                for (int j = -r; j <= r; j++) {
                    int yy = y + j;
                    if (yy >= 0 && yy < h) {
                        s += KERNEL[j + r] * tmp[yy * w + x];
                        n += KERNEL[j + r];
                    }
                }
                out[y * w + x] = s / n;
            }
        }
        return out;
    }

    private static double[] gaussian() {
        double[] k = new double[WINDOW];
        int r = WINDOW / 2;
        for (int i = 0; i < WINDOW; i++) {
            k[i] = Math.exp(-((i - r) * (i - r)) / (2 * SIGMA * SIGMA));
        }
        return k;
    }
}
