package io.scrapeguard.core.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import io.scrapeguard.core.ArMethods;
import io.scrapeguard.core.ArPerturbationMethod;
import io.scrapeguard.core.Budget;
import io.scrapeguard.core.PerturbationMethod;
import io.scrapeguard.core.ProcessBank;
import io.scrapeguard.core.SeedingKey;
import org.junit.jupiter.api.Test;

/** core finds this module's backend through ServiceLoader, with no class name in core. */
class DjlArBackendTest {
    private final ProcessBank bank = ProcessBank.paperDefault();
    private final SeedingKey key = SeedingKey.of("sl");

    @Test
    void serviceLoaderFindsTheDjlBackend() throws Exception {
        assertThat(ArMethods.backends())
                .singleElement()
                .isInstanceOf(DjlArBackend.class)
                .satisfies(b -> assertThat(b.name()).isEqualTo("djl"));
        try (AutoCloseable m = (AutoCloseable) ArMethods.ar(bank, key, Budget.defaultL2(), "djl")) {
            assertThat(m).isInstanceOf(DjlArPerturbationMethod.class);
        }
    }

    @Test
    void autoFollowsTheOneGpuRule() throws Exception {
        PerturbationMethod m = ArMethods.ar(bank, key, Budget.defaultL2(), "auto");
        try {
            assertThat(m)
                    .isInstanceOf(
                            Accelerators.gpuAvailable()
                                    ? DjlArPerturbationMethod.class
                                    : ArPerturbationMethod.class);
            assertThat(new DjlArBackend().gpu()).isEqualTo(Accelerators.gpuCount() > 0);
        } finally {
            if (m instanceof AutoCloseable c) {
                c.close();
            }
        }
    }
}
