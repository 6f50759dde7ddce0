package io.scrapeguard.imaging;

import java.util.SplittableRandom;

/**
 * Real-looking synthetic images for checks, benchmarks and demos: smooth shading, hard-edged shapes
 * (some saturated, like sky or shadow), sensor texture. Deterministic per seed.
 */
public final class SyntheticImages {
    private SyntheticImages() {}

    public static Image8 natural(long seed, int width, int height, int channels) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] v = new double[width * height * channels];
        for (int c = 0; c < channels; c++) {
            double base = 70 + 115 * rnd.nextDouble();
            double[][] waves = new double[4][4];
            for (double[] w : waves) {
                w[0] = 10 + 20 * rnd.nextDouble();
                w[1] = rnd.nextDouble() * 3 / width;
                w[2] = rnd.nextDouble() * 3 / height;
                w[3] = rnd.nextDouble() * 2 * Math.PI;
            }
            // cos(X + Y) = cos X cos Y - sin X sin Y: separable, 2(H+W) trig calls per wave
            double[][] cx = new double[waves.length][width];
            double[][] sx = new double[waves.length][width];
            double[][] cy = new double[waves.length][height];
            double[][] sy = new double[waves.length][height];
            for (int q = 0; q < waves.length; q++) {
                double[] wv = waves[q];
                for (int x = 0; x < width; x++) {
                    double ang = 2 * Math.PI * wv[1] * x + wv[3];
                    cx[q][x] = Math.cos(ang);
                    sx[q][x] = Math.sin(ang);
                }
                for (int y = 0; y < height; y++) {
                    double ang = 2 * Math.PI * wv[2] * y;
                    cy[q][y] = Math.cos(ang);
                    sy[q][y] = Math.sin(ang);
                }
            }
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    double s = base;
                    for (int q = 0; q < waves.length; q++) {
                        s += waves[q][0] * (cx[q][x] * cy[q][y] - sx[q][x] * sy[q][y]);
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
            double level =
                    rnd.nextInt(4) == 0 ? (rnd.nextBoolean() ? 255 : 0) : 255 * rnd.nextDouble();
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
