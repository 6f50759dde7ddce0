package io.scrapeguard.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Backend choice in core alone: core-gpu is not on this module's test classpath. */
class ArMethodsTest {
    private final ProcessBank bank = ProcessBank.paperDefault();
    private final SeedingKey key = SeedingKey.of("m");

    @Test
    void javaIsTheDefaultAndAutoFallsBackToIt() {
        assertThat(ArMethods.ar(bank, key, Budget.defaultL2(), "java"))
                .isInstanceOf(ArPerturbationMethod.class);
        assertThat(ArMethods.ar(bank, key, Budget.defaultL2(), "auto"))
                .isInstanceOf(ArPerturbationMethod.class);
        if (System.getProperty(ArMethods.BACKEND_PROPERTY) == null
                && System.getenv(ArMethods.BACKEND_ENV) == null) {
            assertThat(ArMethods.configuredBackend()).isEqualTo("java");
        }
    }

    @Test
    void withoutCoreGpuServiceLoaderFindsNoBackend() {
        assertThat(ArMethods.backends()).isEmpty();
    }

    @Test
    void unknownOrUnavailableBackendsAreClearErrors() {
        assertThatThrownBy(() -> ArMethods.ar(bank, key, Budget.defaultL2(), "cuda"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown AR backend 'cuda'; use java, djl or auto");
        assertThatThrownBy(() -> ArMethods.ar(bank, key, Budget.defaultL2(), "djl"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(
                        "the djl backend needs scrapeguard-core-gpu on the classpath");
    }
}
