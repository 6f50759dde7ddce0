package io.scrapeguard.core;

/**
 * Baseline Regions-p: the image is split into a sqrt(p) x sqrt(p) grid of regions; for each class
 * every region and channel holds one constant value of random sign, scaled to the budget (with an
 * Linf budget every sample is +-epsilon, as in the literature's synthetic noise).
 */
public final class RegionsNoise extends ClassPatternMethod {
    private final int regions;
    private final int grid;

    public RegionsNoise(int regions, SeedingKey key, Budget budget, int classes) {
        super(key, budget, classes);
        int g = (int) Math.round(Math.sqrt(regions));
        if (regions <= 0 || g * g != regions) {
            throw new IllegalArgumentException(
                    "Regions-p needs p a positive square number (4, 16, 64...), got " + regions);
        }
        this.regions = regions;
        this.grid = g;
    }

    public int regions() {
        return regions;
    }

    @Override
    double[] pattern(GaussianSource g, int height, int width, int channels) {
        double[] signs = new double[grid * grid * channels];
        for (int i = 0; i < signs.length; i++) {
            signs[i] = g.nextLong() < 0 ? -1.0 : 1.0;
        }
        double[] v = new double[height * width * channels];
        for (int y = 0; y < height; y++) {
            int gy = Math.min(grid - 1, (int) ((long) y * grid / height));
            for (int x = 0; x < width; x++) {
                int gx = Math.min(grid - 1, (int) ((long) x * grid / width));
                for (int c = 0; c < channels; c++) {
                    v[(y * width + x) * channels + c] = signs[(gy * grid + gx) * channels + c];
                }
            }
        }
        return v;
    }

    @Override
    public String name() {
        return "regions-" + regions;
    }
}
