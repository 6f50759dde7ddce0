package io.scrapeguard.poisoner;

import io.scrapeguard.core.ArPerturbationMethod;
import io.scrapeguard.core.Budget;
import io.scrapeguard.core.Image8;
import io.scrapeguard.core.ProcessBank;
import io.scrapeguard.core.ProtectedResult;
import io.scrapeguard.core.Protector;
import io.scrapeguard.core.SeedingKey;

/**
 * The AR perturbation of the paper (core's {@link ArPerturbationMethod} through its {@link
 * Protector}). Holds the bank and the seeding key; {@link #toString()} and everything published
 * name only the method, the budget and the bank's fingerprint.
 */
public final class ArImageProtection implements ImageProtection {
    private final ArPerturbationMethod method;
    private final Protector protector;
    private final ProcessBank bank;

    public ArImageProtection(ProcessBank bank, SeedingKey key, Budget budget) {
        this.bank = bank;
        this.method = new ArPerturbationMethod(bank, key, budget);
        this.protector = new Protector(method);
    }

    @Override
    public Protection protect(Image8 image, int processIndex, String imageId) {
        ProtectedResult r = protector.protect(image, processIndex, imageId);
        return new Protection(
                r.image(),
                r.delivered().deliveredL2(),
                r.delivered().deliveredLinf(),
                r.delivered().requestedL2(),
                r.delivered().requestedLinf());
    }

    @Override
    public int bankSize() {
        return bank.size();
    }

    @Override
    public String method() {
        return method.name()
                + "-"
                + method.budget().norm().name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public String metricMethod() {
        return method.name();
    }

    @Override
    public double budget() {
        return method.budget().epsilon();
    }

    @Override
    public String bankVersion() {
        return bank.fingerprint();
    }

    public ProcessBank bank() {
        return bank;
    }

    @Override
    public String toString() {
        return method.describe();
    }
}
