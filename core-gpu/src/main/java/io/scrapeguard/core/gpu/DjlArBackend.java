package io.scrapeguard.core.gpu;

import io.scrapeguard.core.ArBackend;
import io.scrapeguard.core.Budget;
import io.scrapeguard.core.PerturbationMethod;
import io.scrapeguard.core.ProcessBank;
import io.scrapeguard.core.SeedingKey;

/** The DJL/PyTorch AR backend, registered for core's {@code ArMethods} in META-INF/services. */
public final class DjlArBackend implements ArBackend {
    public static final String NAME = "djl";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean gpu() {
        return Accelerators.gpuAvailable();
    }

    @Override
    public PerturbationMethod create(ProcessBank bank, SeedingKey key, Budget budget) {
        return new DjlArPerturbationMethod(bank, key, budget);
    }
}
