package io.scrapeguard.imaging.scraper;

import io.scrapeguard.imaging.Image8;

/**
 * Antialiased bicubic resampling as Pillow's {@code Image.resize(..., BICUBIC)} does it (and
 * torchvision's {@code Resize(antialias=True)} after it): a separable convolution whose bicubic
 * kernel (a = -0.5) is stretched by the scale factor when shrinking, so that a downscale averages
 * every source pixel instead of sampling a few. Each pass rounds to 8 bits, as Pillow does.
 */
public final class Resample {
    private static final double A = -0.5;
    private static final double SUPPORT = 2.0;

    private Resample() {}

    /** The image resized to {@code width x height}. */
    public static Image8 bicubic(Image8 img, int width, int height) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("target size must be positive");
        }
        if (width == img.width() && height == img.height()) {
            return img;
        }
        int c = img.channels();
        byte[] src = img.pixelArray();
        byte[] horizontal = new byte[img.height() * width * c];
        Weights wx = Weights.of(img.width(), width);
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < width; x++) {
                int lo = wx.first[x];
                double[] w = wx.weights[x];
                for (int k = 0; k < c; k++) {
                    double v = 0;
                    for (int j = 0; j < w.length; j++) {
                        v += w[j] * (src[((y * img.width()) + lo + j) * c + k] & 0xFF);
                    }
                    horizontal[(y * width + x) * c + k] = clamp(v);
                }
            }
        }
        byte[] out = new byte[height * width * c];
        Weights wy = Weights.of(img.height(), height);
        for (int y = 0; y < height; y++) {
            int lo = wy.first[y];
            double[] w = wy.weights[y];
            for (int x = 0; x < width; x++) {
                for (int k = 0; k < c; k++) {
                    double v = 0;
                    for (int j = 0; j < w.length; j++) {
                        v += w[j] * (horizontal[((lo + j) * width + x) * c + k] & 0xFF);
                    }
                    out[(y * width + x) * c + k] = clamp(v);
                }
            }
        }
        return Image8.wrap(width, height, c, out, null);
    }

    /**
     * The same resampling on real values (HWC, {@code channels} per pixel), without rounding or
     * clamping: for perturbations, which are upsampled to an image and checked after a downscale.
     */
    public static double[] bicubic(
            double[] src, int height, int width, int channels, int outHeight, int outWidth) {
        if (outWidth < 1 || outHeight < 1) {
            throw new IllegalArgumentException("target size must be positive");
        }
        if (src.length != height * width * channels) {
            throw new IllegalArgumentException("source has " + src.length + " values, not HxWxC");
        }
        int c = channels;
        double[] horizontal = new double[height * outWidth * c];
        Weights wx = Weights.of(width, outWidth);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < outWidth; x++) {
                int lo = wx.first[x];
                double[] w = wx.weights[x];
                for (int k = 0; k < c; k++) {
                    double v = 0;
                    for (int j = 0; j < w.length; j++) {
                        v += w[j] * src[((y * width) + lo + j) * c + k];
                    }
                    horizontal[(y * outWidth + x) * c + k] = v;
                }
            }
        }
        double[] out = new double[outHeight * outWidth * c];
        Weights wy = Weights.of(height, outHeight);
        for (int y = 0; y < outHeight; y++) {
            int lo = wy.first[y];
            double[] w = wy.weights[y];
            for (int j = 0; j < w.length; j++) {
                double wj = w[j];
                int row = (lo + j) * outWidth * c;
                int o = y * outWidth * c;
                for (int i = 0; i < outWidth * c; i++) {
                    out[o + i] += wj * horizontal[row + i];
                }
            }
        }
        return out;
    }

    private static byte clamp(double v) {
        long r = Math.round(v);
        return (byte) (r < 0 ? 0 : r > 255 ? 255 : r);
    }

    static double cubic(double x) {
        x = Math.abs(x);
        if (x < 1) {
            return ((A + 2) * x - (A + 3)) * x * x + 1;
        }
        if (x < 2) {
            return (((x - 5) * x + 8) * x - 4) * A;
        }
        return 0;
    }

    /** Per output coordinate: the first source index and the normalised weights from there. */
    private record Weights(int[] first, double[][] weights) {
        /** Perturbations are upsampled between the same few sizes, image after image. */
        private static final java.util.Map<Long, Weights> CACHE =
                new java.util.concurrent.ConcurrentHashMap<>();

        static Weights of(int in, int out) {
            if (CACHE.size() > 1024) {
                CACHE.clear();
            }
            return CACHE.computeIfAbsent(((long) in << 32) | out, k -> compute(in, out));
        }

        private static Weights compute(int in, int out) {
            double scale = (double) in / out;
            double filterScale = Math.max(scale, 1.0);
            double support = SUPPORT * filterScale;
            int[] first = new int[out];
            double[][] weights = new double[out][];
            for (int i = 0; i < out; i++) {
                double center = (i + 0.5) * scale;
                int lo = (int) Math.max(0, Math.floor(center - support + 0.5));
                int hi = (int) Math.min(in, Math.floor(center + support + 0.5));
                double[] w = new double[Math.max(1, hi - lo)];
                double sum = 0;
                for (int j = 0; j < hi - lo; j++) {
                    w[j] = cubic((j + lo - center + 0.5) / filterScale);
                    sum += w[j];
                }
                if (sum != 0) {
                    for (int j = 0; j < w.length; j++) {
                        w[j] /= sum;
                    }
                } else {
                    w[0] = 1;
                }
                first[i] = Math.min(lo, in - 1);
                weights[i] = w;
            }
            return new Weights(first, weights);
        }
    }
}
