package io.scrapeguard.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ArMethodsTest {
    private final ProcessBank bank = ProcessBank.paperDefault();
    private final SeedingKey key = SeedingKey.of("m");

    @Test
    void javaIsTheDefaultAndAutoFallsBackToIt() {
        assertThat(ArMethods.ar(bank, key, Budget.defaultL2(), "java")).isInstanceOf(ArPerturbationMethod.class);
        // core alone has no DJL backend on its test classpath
        assertThat(ArMethods.ar(bank, key, Budget.defaultL2(), "auto")).isInstanceOf(ArPerturbationMethod.class);
        if (System.getProperty(ArMethods.BACKEND_PROPERTY) == null && System.getenv(ArMethods.BACKEND_ENV) == null) {
            assertThat(ArMethods.configuredBackend()).isEqualTo("java");
        }
    }

    @Test
    void unknownOrUnavailableBackendsAreClearErrors() {
        assertThatThrownBy(() -> ArMethods.ar(bank, key, Budget.defaultL2(), "cuda"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown AR backend 'cuda'");
        assertThatThrownBy(() -> ArMethods.ar(bank, key, Budget.defaultL2(), "djl"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scrapeguard-core-gpu");
    }
}
