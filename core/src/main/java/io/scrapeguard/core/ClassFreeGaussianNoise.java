package io.scrapeguard.core;

import java.util.Objects;

/**
 * The control: i.i.d. N(0,1) noise drawn per image (from the seeding key and image id) with no
 * class structure, scaled to the same budget. Protection that works only as well as this is no
 * protection. Thread-safe.
 */
public final class ClassFreeGaussianNoise implements PerturbationMethod {
    private final ImageSeeds seeds;
    private final Budget budget;
    private final int classes;

    public ClassFreeGaussianNoise(SeedingKey key, Budget budget, int classes) {
        if (classes <= 0) {
            throw new IllegalArgumentException(
                    "number of classes must be positive, got " + classes);
        }
        this.seeds = new ImageSeeds(Objects.requireNonNull(key, "seeding key"));
        this.budget = Objects.requireNonNull(budget, "budget");
        this.classes = classes;
    }

    @Override
    public Perturbation perturbation(
            int classIndex, String imageId, int height, int width, int channels) {
        checkClass(classIndex);
        Shapes.check(height, width, channels);
        double[] v = new double[height * width * channels];
        seeds.derived(name(), imageId).fill(v, 0, v.length);
        budget.scaleInPlace(v, height, width, channels);
        return Perturbation.wrap(height, width, channels, v);
    }

    @Override
    public String name() {
        return "class-free-gaussian";
    }

    @Override
    public int classes() {
        return classes;
    }

    @Override
    public Budget budget() {
        return budget;
    }

    @Override
    public String toString() {
        return describe();
    }
}
