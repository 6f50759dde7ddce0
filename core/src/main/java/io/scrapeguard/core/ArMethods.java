package io.scrapeguard.core;

import java.lang.reflect.InvocationTargetException;
import java.util.Locale;

/**
 * Builds the AR method on the configured backend, so that callers need no DJL dependency:
 * <ul>
 *   <li>{@code java} (default): {@link ArPerturbationMethod}, the CPU fast path;
 *   <li>{@code djl}: the batched DJL/PyTorch generator of module core-gpu (GPU when DJL finds
 *       one, else CPU); needs scrapeguard-core-gpu on the classpath;
 *   <li>{@code auto}: djl when core-gpu is present and a GPU is found, else java.
 * </ul>
 * The backend comes from the system property {@value #BACKEND_PROPERTY}, else the environment
 * variable {@value #BACKEND_ENV}, else java. Both backends give the same perturbations to float
 * tolerance.
 */
public final class ArMethods {
    public static final String BACKEND_PROPERTY = "guard.ar.backend";
    public static final String BACKEND_ENV = "GUARD_AR_BACKEND";
    private static final String DJL_METHOD = "io.scrapeguard.core.gpu.DjlArPerturbationMethod";
    private static final String DJL_GENERATOR = "io.scrapeguard.core.gpu.DjlArGenerator";

    private ArMethods() {}

    /** The backend name configured for this process ("java" when nothing is set). */
    public static String configuredBackend() {
        String b = System.getProperty(BACKEND_PROPERTY);
        if (b == null || b.isBlank()) {
            b = System.getenv(BACKEND_ENV);
        }
        return b == null || b.isBlank() ? "java" : b.trim().toLowerCase(Locale.ROOT);
    }

    /** The AR method on the configured backend. */
    public static PerturbationMethod ar(ProcessBank bank, SeedingKey key, Budget budget) {
        return ar(bank, key, budget, configuredBackend());
    }

    /** The AR method on the named backend: java, djl or auto. */
    public static PerturbationMethod ar(ProcessBank bank, SeedingKey key, Budget budget, String backend) {
        return switch (backend.toLowerCase(Locale.ROOT)) {
            case "java" -> new ArPerturbationMethod(bank, key, budget);
            case "djl" -> djl(bank, key, budget);
            case "auto" -> gpuAvailable() ? djl(bank, key, budget) : new ArPerturbationMethod(bank, key, budget);
            default -> throw new IllegalArgumentException(
                    "unknown AR backend '" + backend + "'; use java, djl or auto");
        };
    }

    private static boolean gpuAvailable() {
        try {
            return (Boolean) Class.forName(DJL_GENERATOR).getMethod("gpuAvailable").invoke(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            return false;
        }
    }

    private static PerturbationMethod djl(ProcessBank bank, SeedingKey key, Budget budget) {
        try {
            return (PerturbationMethod) Class.forName(DJL_METHOD)
                    .getConstructor(ProcessBank.class, SeedingKey.class, Budget.class)
                    .newInstance(bank, key, budget);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("the djl backend needs scrapeguard-core-gpu on the classpath");
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("the djl backend failed to start: "
                    + Guarded.describe(e.getCause()), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the djl backend failed to start: " + Guarded.describe(e), e);
        }
    }
}
