package io.scrapeguard.core;

import java.util.Objects;

/**
 * The AR method: class k's process from the bank, the image's Gaussian start from
 * HMAC-SHA256(key, imageId), Algorithm 2, scaled to the budget. Thread-safe (per-thread scratch).
 */
public final class ArPerturbationMethod implements PerturbationMethod {
    private final ProcessBank bank;
    private final ImageSeeds seeds;
    private final Budget budget;

    public ArPerturbationMethod(ProcessBank bank, SeedingKey key, Budget budget) {
        this.bank = Objects.requireNonNull(bank, "bank");
        this.seeds = new ImageSeeds(Objects.requireNonNull(key, "seeding key"));
        this.budget = Objects.requireNonNull(budget, "budget");
    }

    /** The paper's bank with the default L2 budget. */
    public ArPerturbationMethod(SeedingKey key) {
        this(ProcessBank.paperDefault(), key, Budget.defaultL2());
    }

    @Override
    public Perturbation perturbation(int classIndex, String imageId, int height, int width, int channels) {
        checkClass(classIndex);
        Shapes.check(height, width, channels);
        return ArGenerator.forThread().generate(
                bank.process(classIndex), height, width, channels, seeds.gaussians(imageId), budget);
    }

    /** Fills out (HWC, length H*W*C) without allocating; for the stream's hot path. */
    public void perturbationInto(double[] out, int classIndex, String imageId, int height, int width,
            int channels) {
        checkClass(classIndex);
        Shapes.check(height, width, channels);
        if (out.length != height * width * channels) {
            throw new IllegalArgumentException("output array has " + out.length + " values; needs "
                    + height * width * channels);
        }
        ArGenerator.forThread().generateInto(
                out, bank.process(classIndex), height, width, channels, seeds.gaussians(imageId), budget);
    }

    @Override
    public String name() {
        return "ar";
    }

    @Override
    public int classes() {
        return bank.size();
    }

    @Override
    public Budget budget() {
        return budget;
    }

    public ProcessBank bank() {
        return bank;
    }

    @Override
    public String describe() {
        return "ar bank=" + bank.fingerprint() + " " + budget.describe();
    }

    @Override
    public String toString() {
        return describe();
    }
}
