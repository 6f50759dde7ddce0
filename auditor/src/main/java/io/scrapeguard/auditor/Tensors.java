package io.scrapeguard.auditor;

import java.util.List;

/** Packs images and deltas into NCHW float arrays, the layout the networks take. */
final class Tensors {
    /** Canary input normalisation: [0, 1] pixels to about [-2, 2]. */
    static final float MEAN = 0.5f;

    static final float STD = 0.25f;

    private Tensors() {}

    /** Images as normalised NCHW. */
    static float[] images(List<AuditImage> images) {
        AuditImage f = images.get(0);
        int h = f.height(), w = f.width(), c = f.channels(), n = h * w * c;
        float[] out = new float[images.size() * n];
        for (int k = 0; k < images.size(); k++) {
            AuditImage img = images.get(k);
            int base = k * n;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    for (int ch = 0; ch < c; ch++) {
                        float v = (float) img.value((y * w + x) * c + ch);
                        out[base + (ch * h + y) * w + x] = (v - MEAN) / STD;
                    }
                }
            }
        }
        return out;
    }

    /** HWC values in [0, 1] (possibly out of range before clamping) as normalised NCHW. */
    static void putHwc(
            float[] hwc,
            int h,
            int w,
            int c,
            float[] out,
            int index,
            boolean clamp,
            float mean,
            float scale) {
        int base = index * h * w * c;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int ch = 0; ch < c; ch++) {
                    float v = hwc[(y * w + x) * c + ch];
                    if (clamp) {
                        v = Math.max(0f, Math.min(1f, v));
                    }
                    out[base + (ch * h + y) * w + x] = (v - mean) / scale;
                }
            }
        }
    }

    /** Deltas (HWC) divided by {@code std}, as NCHW. */
    static float[] deltas(List<float[]> deltas, int h, int w, int c, float std) {
        float[] out = new float[deltas.size() * h * w * c];
        for (int k = 0; k < deltas.size(); k++) {
            putHwc(deltas.get(k), h, w, c, out, k, false, 0f, std);
        }
        return out;
    }

    /** Pixel standard deviation over all values of all deltas. */
    static float std(List<float[]> deltas) {
        double sum = 0, sq = 0;
        long n = 0;
        for (float[] d : deltas) {
            for (float v : d) {
                sum += v;
                sq += (double) v * v;
            }
            n += d.length;
        }
        double mean = sum / n;
        double var = sq / n - mean * mean;
        return (float) Math.max(1e-6, Math.sqrt(Math.max(0, var)));
    }
}
