package io.scrapeguard.core;

import java.util.SplittableRandom;

/**
 * Real-looking synthetic images for checks, benchmarks and demos: smooth shading, hard-edged
 * shapes (some saturated, like sky or shadow), sensor texture. Deterministic per seed.
 */
public final class SyntheticImages {
    private SyntheticImages() {}

    public static Image8 natural(long seed, int width, int height, int channels) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] v = new double[width * height * channels];
        for (int c = 0; c < channels; c++) {
            double base = 60 + 140 * rnd.nextDouble();
            double[][] waves = new double[4][4];
            for (double[] w : waves) {
                w[0] = 25 + 35 * rnd.nextDouble();
                w[1] = rnd.nextDouble() * 3 / width;
                w[2] = rnd.nextDouble() * 3 / height;
                w[3] = rnd.nextDouble() * 2 * Math.PI;
            }
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    double s = base;
                    for (double[] w : waves) {
                        s += w[0] * Math.cos(2 * Math.PI * (w[1] * x + w[2] * y) + w[3]);
                    }
                    v[(y * width + x) * channels + c] = s;
                }
            }
        }
        // a few flat shapes with hard edges, one of them often saturated (sky, paper, shadow)
        int shapes = 2 + rnd.nextInt(3);
        for (int k = 0; k < shapes; k++) {
            int x0 = rnd.nextInt(width);
            int y0 = rnd.nextInt(height);
            int x1 = Math.min(width, x0 + 1 + rnd.nextInt(Math.max(1, width / 2)));
            int y1 = Math.min(height, y0 + 1 + rnd.nextInt(Math.max(1, height / 2)));
            double level = rnd.nextInt(4) == 0 ? (rnd.nextBoolean() ? 255 : 0) : 255 * rnd.nextDouble();
            for (int y = y0; y < y1; y++) {
                for (int x = x0; x < x1; x++) {
                    for (int c = 0; c < channels; c++) {
                        v[(y * width + x) * channels + c] = level;
                    }
                }
            }
        }
        byte[] px = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            double t = v[i] + 6 * (rnd.nextDouble() - 0.5); // sensor texture
            px[i] = (byte) Math.max(0, Math.min(255, (int) Math.round(t)));
        }
        return Image8.of(width, height, channels, px);
    }
}
