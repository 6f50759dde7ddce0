package io.scrapeguard.core;

/**
 * A generator of AR perturbations other than the built-in Java path, found by {@link
 * java.util.ServiceLoader} (a module registers it in {@code
 * META-INF/services/io.scrapeguard.core.ArBackend}). core-gpu's DJL backend is one; core itself
 * needs no DJL to look for it.
 */
public interface ArBackend {
    /** The name users select it by ({@code --backend}, {@code GUARD_AR_BACKEND}): "djl". */
    String name();

    /**
     * Whether it would run on a GPU here; {@code auto} picks a backend only then. False, not an
     * exception, when its engine cannot load.
     */
    boolean gpu();

    /** The AR method on this backend: the same perturbations as the Java path. */
    PerturbationMethod create(ProcessBank bank, SeedingKey key, Budget budget);
}
