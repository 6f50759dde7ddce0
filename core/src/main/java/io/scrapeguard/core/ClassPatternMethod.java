package io.scrapeguard.core;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Base of the class-wise baselines: every image of class k gets the same pattern (for its shape),
 * drawn from the seeding key and scaled to the budget. Patterns are cached per class and shape.
 */
abstract class ClassPatternMethod implements PerturbationMethod {
    private final ImageSeeds seeds;
    private final Budget budget;
    private final int classes;
    private final ConcurrentHashMap<String, Perturbation> cache = new ConcurrentHashMap<>();

    ClassPatternMethod(SeedingKey key, Budget budget, int classes) {
        if (classes <= 0) {
            throw new IllegalArgumentException(
                    "number of classes must be positive, got " + classes);
        }
        this.seeds = new ImageSeeds(Objects.requireNonNull(key, "seeding key"));
        this.budget = Objects.requireNonNull(budget, "budget");
        this.classes = classes;
    }

    /** The unscaled pattern of a class (HWC). */
    abstract double[] pattern(GaussianSource g, int height, int width, int channels);

    @Override
    public final Perturbation perturbation(
            int classIndex, String imageId, int height, int width, int channels) {
        checkClass(classIndex);
        Shapes.check(height, width, channels);
        String k = classIndex + "/" + height + "x" + width + "x" + channels;
        return cache.computeIfAbsent(
                k,
                key -> {
                    double[] v = pattern(seeds.derived(name(), key), height, width, channels);
                    budget.scaleInPlace(v, height, width, channels);
                    return Perturbation.wrap(height, width, channels, v);
                });
    }

    @Override
    public final int classes() {
        return classes;
    }

    @Override
    public final Budget budget() {
        return budget;
    }

    @Override
    public String toString() {
        return describe();
    }
}
