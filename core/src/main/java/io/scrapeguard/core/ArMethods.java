package io.scrapeguard.core;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * Builds the AR method on the configured backend, so that callers need no DJL dependency:
 *
 * <ul>
 *   <li>{@code java} (default): {@link ArPerturbationMethod}, the CPU fast path;
 *   <li>{@code djl}: the batched DJL/PyTorch generator of module core-gpu (GPU when DJL finds one,
 *       else CPU), found as an {@link ArBackend} by {@link ServiceLoader}; needs
 *       scrapeguard-core-gpu on the classpath;
 *   <li>{@code auto}: a backend that runs on a GPU here when there is one, else java.
 * </ul>
 *
 * The backend comes from the system property {@value #BACKEND_PROPERTY}, else the environment
 * variable {@value #BACKEND_ENV}, else java. Both backends give the same perturbations to float
 * tolerance.
 */
public final class ArMethods {
    public static final String BACKEND_PROPERTY = "guard.ar.backend";
    public static final String BACKEND_ENV = "GUARD_AR_BACKEND";
    private static final String JAVA = "java";
    private static final String AUTO = "auto";

    private ArMethods() {}

    /** The backend name configured for this process ("java" when nothing is set). */
    public static String configuredBackend() {
        String b = System.getProperty(BACKEND_PROPERTY);
        if (b == null || b.isBlank()) {
            b = System.getenv(BACKEND_ENV);
        }
        return b == null || b.isBlank() ? JAVA : b.trim().toLowerCase(Locale.ROOT);
    }

    /** The AR method on the configured backend. */
    public static PerturbationMethod ar(ProcessBank bank, SeedingKey key, Budget budget) {
        return ar(bank, key, budget, configuredBackend());
    }

    /** The AR method on the named backend: java, auto or a registered one (djl). */
    public static PerturbationMethod ar(
            ProcessBank bank, SeedingKey key, Budget budget, String backend) {
        String name = backend.trim().toLowerCase(Locale.ROOT);
        if (name.equals(JAVA)) {
            return new ArPerturbationMethod(bank, key, budget);
        }
        List<ArBackend> found = backends();
        if (name.equals(AUTO)) {
            return found.stream()
                    .filter(ArBackend::gpu)
                    .findFirst()
                    .map(b -> start(b, bank, key, budget))
                    .orElseGet(() -> new ArPerturbationMethod(bank, key, budget));
        }
        return found.stream()
                .filter(b -> b.name().equals(name))
                .findFirst()
                .map(b -> start(b, bank, key, budget))
                .orElseThrow(() -> unknown(name, found));
    }

    /** The backends on the classpath; one that cannot load is left out (auto must not fail). */
    public static List<ArBackend> backends() {
        List<ArBackend> out = new ArrayList<>();
        ServiceLoader<ArBackend> loader =
                ServiceLoader.load(ArBackend.class, ArMethods.class.getClassLoader());
        try {
            for (ServiceLoader.Provider<ArBackend> p : loader.stream().toList()) {
                try {
                    out.add(p.get());
                } catch (ServiceConfigurationError | LinkageError e) {
                    // e.g. core-gpu without DJL on the classpath: as if it were absent
                }
            }
        } catch (ServiceConfigurationError e) {
            // a provider class that cannot be loaded at all: keep what was found
        }
        return out;
    }

    private static PerturbationMethod start(
            ArBackend b, ProcessBank bank, SeedingKey key, Budget budget) {
        try {
            return b.create(bank, key, budget);
        } catch (RuntimeException | LinkageError e) {
            throw new IllegalStateException(
                    "the " + b.name() + " backend failed to start: " + Guarded.describe(e), e);
        }
    }

    private static IllegalArgumentException unknown(String name, List<ArBackend> found) {
        if (name.equals("djl")) {
            return new IllegalArgumentException(
                    "the djl backend needs scrapeguard-core-gpu on"
                            + " the classpath (no "
                            + ArBackend.class.getName()
                            + " named djl found)");
        }
        Set<String> names = new LinkedHashSet<>(List.of(JAVA, "djl"));
        found.forEach(b -> names.add(b.name()));
        return new IllegalArgumentException(
                "unknown AR backend '"
                        + name
                        + "'; use "
                        + String.join(", ", names)
                        + " or "
                        + AUTO);
    }
}
