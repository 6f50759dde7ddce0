package io.scrapeguard.core;

/**
 * Baseline: class-wise low-frequency noise. Per class and channel, an n x n block of N(0,1) DCT
 * coefficients (the lowest frequencies), zero-padded to H x W, inverse orthonormal 2-D DCT, scaled
 * to the budget.
 */
public final class LowFrequencyNoise extends ClassPatternMethod {
    private final int block;

    public LowFrequencyNoise(int block, SeedingKey key, Budget budget, int classes) {
        super(key, budget, classes);
        if (block <= 0) {
            throw new IllegalArgumentException("DCT block size must be positive, got " + block);
        }
        this.block = block;
    }

    @Override
    double[] pattern(GaussianSource g, int height, int width, int channels) {
        int nu = Math.min(block, height);
        int nv = Math.min(block, width);
        double[][] rowBasis = basis(height, nu);
        double[][] colBasis = basis(width, nv);
        double[] v = new double[height * width * channels];
        double[][] coef = new double[nu][nv];
        double[] tmp = new double[nu * width];
        for (int c = 0; c < channels; c++) {
            for (int u = 0; u < nu; u++) {
                for (int w = 0; w < nv; w++) {
                    coef[u][w] = g.nextGaussian();
                }
            }
            // tmp[u][x] = sum_v coef[u][v] * colBasis[v][x]
            for (int u = 0; u < nu; u++) {
                for (int x = 0; x < width; x++) {
                    double s = 0;
                    for (int w = 0; w < nv; w++) {
                        s += coef[u][w] * colBasis[w][x];
                    }
                    tmp[u * width + x] = s;
                }
            }
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    double s = 0;
                    for (int u = 0; u < nu; u++) {
                        s += rowBasis[u][y] * tmp[u * width + x];
                    }
                    v[(y * width + x) * channels + c] = s;
                }
            }
        }
        return v;
    }

    /** Orthonormal DCT-II basis vectors: basis[k][i] = a(k) cos(pi (2i+1) k / 2n). */
    static double[][] basis(int n, int count) {
        double[][] b = new double[count][n];
        for (int k = 0; k < count; k++) {
            double a = k == 0 ? Math.sqrt(1.0 / n) : Math.sqrt(2.0 / n);
            for (int i = 0; i < n; i++) {
                b[k][i] = a * Math.cos(Math.PI * (2 * i + 1) * k / (2.0 * n));
            }
        }
        return b;
    }

    public int block() {
        return block;
    }

    @Override
    public String name() {
        return "low-frequency-" + block;
    }
}
