package io.scrapeguard.poisoner;

import io.scrapeguard.core.ArPerturbationMethod;
import io.scrapeguard.core.Budget;
import io.scrapeguard.core.ProcessBank;
import io.scrapeguard.core.SeedingKey;

/**
 * The AR perturbation of the paper (core's {@link ArPerturbationMethod}). Holds the bank and the
 * seeding key; what it publishes names only the method, the budget and the bank's fingerprint.
 */
public final class ArImageProtection extends MethodImageProtection {
    private final ProcessBank bank;

    public ArImageProtection(ProcessBank bank, SeedingKey key, Budget budget) {
        super(new ArPerturbationMethod(bank, key, budget), bank.fingerprint());
        this.bank = bank;
    }

    public ProcessBank bank() {
        return bank;
    }
}
