package io.scrapeguard.core;

/** Baseline: one fixed i.i.d. N(0,1) pattern per class, scaled to the budget. */
public final class ClasswiseGaussianNoise extends ClassPatternMethod {
    public ClasswiseGaussianNoise(SeedingKey key, Budget budget, int classes) {
        super(key, budget, classes);
    }

    @Override
    double[] pattern(GaussianSource g, int height, int width, int channels) {
        double[] v = new double[height * width * channels];
        g.fill(v, 0, v.length);
        return v;
    }

    @Override
    public String name() {
        return "classwise-gaussian";
    }
}
