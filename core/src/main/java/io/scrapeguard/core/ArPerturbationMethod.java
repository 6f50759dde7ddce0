package io.scrapeguard.core;

import java.util.Objects;

/**
 * The AR method: class k's process from the bank, the image's Gaussian start from HMAC-SHA256(key,
 * imageId), Algorithm 2, scaled to the budget. Thread-safe (per-thread scratch).
 *
 * <p>Optional tiling ({@code tile > 0}): the paper's processes sit at the edge of stability, so on
 * large images their values grow by orders of magnitude towards the bottom-right corner and, once
 * scaled, most of the image carries almost nothing. With tiling, an image larger than the tile is
 * covered by independent tile x tile generations (seeded by the id and the tile position), each
 * normalised to the same energy, then scaled together to the budget. Own-filter responses stay zero
 * inside every tile. The default (0) is Algorithm 2 over the whole image.
 */
public final class ArPerturbationMethod implements ArBankMethod {
    private final ProcessBank bank;
    private final ImageSeeds seeds;
    private final Budget budget;
    private final int tile;

    public ArPerturbationMethod(ProcessBank bank, SeedingKey key, Budget budget) {
        this(bank, key, budget, 0);
    }

    /** With tiling for images larger than {@code tile} (0: none; else at least 8). */
    public ArPerturbationMethod(ProcessBank bank, SeedingKey key, Budget budget, int tile) {
        this.bank = Objects.requireNonNull(bank, "bank");
        this.seeds = new ImageSeeds(Objects.requireNonNull(key, "seeding key"));
        this.budget = Objects.requireNonNull(budget, "budget");
        if (tile != 0 && tile < 8) {
            throw new IllegalArgumentException(
                    "tile size must be 0 (no tiling) or at least 8, got " + tile);
        }
        this.tile = tile;
    }

    public int tile() {
        return tile;
    }

    /** The paper's bank with the default L2 budget. */
    public ArPerturbationMethod(SeedingKey key) {
        this(ProcessBank.paperDefault(), key, Budget.defaultL2());
    }

    @Override
    public Perturbation perturbation(
            int classIndex, String imageId, int height, int width, int channels) {
        checkClass(classIndex);
        Shapes.check(height, width, channels);
        if (tiled(height, width)) {
            double[] out = new double[height * width * channels];
            tiledInto(out, classIndex, imageId, height, width, channels);
            return Perturbation.wrap(height, width, channels, out);
        }
        return ArGenerator.forThread()
                .generate(
                        bank.process(classIndex),
                        height,
                        width,
                        channels,
                        seeds.gaussians(imageId),
                        budget);
    }

    private boolean tiled(int height, int width) {
        return tile > 0 && (height > tile || width > tile);
    }

    private void tiledInto(
            double[] out, int classIndex, String imageId, int height, int width, int channels) {
        ArTiles.unitRmsInto(
                out, bank.process(classIndex), seeds, imageId, height, width, channels, tile);
        budget.scaleInPlace(out, height, width, channels);
    }

    /** Fills out (HWC, length H*W*C) without allocating; for the stream's hot path. */
    @Override
    public void perturbationInto(
            double[] out, int classIndex, String imageId, int height, int width, int channels) {
        checkClass(classIndex);
        Shapes.checkInto(out, height, width, channels);
        if (tiled(height, width)) {
            tiledInto(out, classIndex, imageId, height, width, channels);
            return;
        }
        ArGenerator.forThread()
                .generateInto(
                        out,
                        bank.process(classIndex),
                        height,
                        width,
                        channels,
                        seeds.gaussians(imageId),
                        budget);
    }

    /** {@code ar-paper} (Algorithm 2 over the whole image) or {@code ar-tiled}. */
    @Override
    public String name() {
        return tile > 0 ? ArVariants.TILED : ArVariants.PAPER;
    }

    @Override
    public Budget budget() {
        return budget;
    }

    @Override
    public ProcessBank bank() {
        return bank;
    }

    @Override
    public String describe() {
        return "ar bank="
                + bank.fingerprint()
                + " "
                + budget.describe()
                + (tile > 0 ? " tile=" + tile : "");
    }

    @Override
    public String toString() {
        return describe();
    }
}
