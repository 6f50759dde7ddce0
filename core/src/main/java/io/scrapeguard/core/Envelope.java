package io.scrapeguard.core;

/**
 * Evens out a field's energy over its area: the field (HWC) is divided by its local RMS, smoothed
 * with two passes of a box blur of the given radius each way (a smooth envelope, so that the
 * recurrence between neighbours survives nearly exact), then scaled back to unit RMS. Used for the
 * coarse grids of {@code ar-multiscale}, whose AR fields grow towards the bottom-right corner.
 */
final class Envelope {
    private Envelope() {}

    static void equalize(double[] f, int h, int w, int c, int radius) {
        double[] e = new double[h * w];
        for (int i = 0; i < h * w; i++) {
            double s = 0;
            for (int k = 0; k < c; k++) {
                double v = f[i * c + k];
                s += v * v;
            }
            e[i] = s / c;
        }
        double[] tmp = new double[h * w];
        for (int pass = 0; pass < 2; pass++) {
            blur(e, tmp, h, w, radius, 1, w); // along rows
            blur(tmp, e, w, h, radius, w, 1); // along columns
        }
        double sq = 0;
        for (int i = 0; i < h * w; i++) {
            double d = Math.sqrt(Math.max(e[i], Double.MIN_NORMAL));
            for (int k = 0; k < c; k++) {
                double v = f[i * c + k] / d;
                f[i * c + k] = v;
                sq += v * v;
            }
        }
        double rms = Math.sqrt(sq / f.length);
        for (int i = 0; i < f.length; i++) {
            f[i] /= rms;
        }
    }

    /**
     * Box mean of radius r along one axis (lines of n samples, step apart; lines stride apart),
     * shrinking the window at the edges.
     */
    private static void blur(
            double[] in, double[] out, int lines, int n, int r, int step, int stride) {
        for (int line = 0; line < lines; line++) {
            int base = line * stride;
            for (int i = 0; i < n; i++) {
                int from = Math.max(0, i - r);
                int to = Math.min(n - 1, i + r);
                double s = 0;
                for (int j = from; j <= to; j++) {
                    s += in[base + j * step];
                }
                out[base + i * step] = s / (to - from + 1);
            }
        }
    }
}
