package io.scrapeguard.core.gpu;

import io.scrapeguard.core.ArBankMethod;
import io.scrapeguard.core.Budget;
import io.scrapeguard.core.ImageSeeds;
import io.scrapeguard.core.Perturbation;
import io.scrapeguard.core.ProcessBank;
import io.scrapeguard.core.SeedingKey;
import java.util.List;

/**
 * The AR method on the DJL backend: the same perturbations as {@link
 * io.scrapeguard.core.ArPerturbationMethod} (to float tolerance), generated in batches. Single
 * calls work but batches ({@link #perturbations}) are where it pays off.
 */
public final class DjlArPerturbationMethod implements ArBankMethod, AutoCloseable {
    private final ProcessBank bank;
    private final ImageSeeds seeds;
    private final Budget budget;
    private final DjlArGenerator generator;

    public DjlArPerturbationMethod(ProcessBank bank, SeedingKey key, Budget budget) {
        this.bank = bank;
        this.seeds = new ImageSeeds(key);
        this.budget = budget;
        this.generator = DjlArGenerator.create(bank);
    }

    @Override
    public Perturbation perturbation(
            int classIndex, String imageId, int height, int width, int channels) {
        return perturbations(
                        new int[] {classIndex}, new String[] {imageId}, height, width, channels)
                .get(0);
    }

    /** A batch of same-shaped images. */
    public synchronized List<Perturbation> perturbations(
            int[] classes, String[] imageIds, int height, int width, int channels) {
        for (int k : classes) {
            checkClass(k);
        }
        return generator.generate(classes, imageIds, seeds, budget, height, width, channels);
    }

    @Override
    public String name() {
        return io.scrapeguard.core.ArVariants.PAPER;
    }

    @Override
    public ProcessBank bank() {
        return bank;
    }

    @Override
    public Budget budget() {
        return budget;
    }

    @Override
    public String describe() {
        return "ar bank="
                + bank.fingerprint()
                + " "
                + budget.describe()
                + " backend=djl:"
                + generator.device();
    }

    @Override
    public void close() {
        generator.close();
    }
}
