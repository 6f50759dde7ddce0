package io.scrapeguard.core;

import io.scrapeguard.imaging.Image8;

/**
 * A way of protecting images: a deterministic perturbation for (class, image id, shape). The AR
 * method and the seed papers' baselines implement it so that the auditor can compare them.
 * Implementations are thread-safe.
 */
public interface PerturbationMethod {
    /**
     * The perturbation, scaled to the method's budget, in pixel units of [0, 1], HWC order.
     * Deterministic given the seeding key: the same arguments always give the same values.
     *
     * @throws IllegalArgumentException for a class outside 0..classes()-1 or a bad shape
     */
    Perturbation perturbation(int classIndex, String imageId, int height, int width, int channels);

    /**
     * The same values as {@link #perturbation} written into {@code out} (length H*W*C), so that a
     * caller can reuse one array per thread. Methods that generate in place override this to skip
     * the allocation; the default copies.
     */
    default void perturbationInto(
            double[] out, int classIndex, String imageId, int height, int width, int channels) {
        Shapes.checkInto(out, height, width, channels);
        double[] v = perturbation(classIndex, imageId, height, width, channels).valueArray();
        System.arraycopy(v, 0, out, 0, v.length);
    }

    /**
     * The perturbation for this image, written into {@code out} (length H*W*C): what {@link
     * Protector} applies. A method whose choice depends on the image's content ({@code
     * ar-multiscale}'s class wave on textured photos) overrides it; the others draw from the shape
     * alone. Deterministic given the key and the image's bytes.
     */
    default void perturbationInto(double[] out, Image8 image, int classIndex, String imageId) {
        perturbationInto(out, classIndex, imageId, image.height(), image.width(), image.channels());
    }

    /** Short name for metrics and reports: "ar", "regions-4", "classwise-gaussian", ... */
    String name();

    /** Number of protection classes it supports (labels 0..classes()-1). */
    int classes();

    /** The budget every perturbation is scaled to. */
    Budget budget();

    /**
     * The name published with each protected image: the method and its norm, e.g. {@code ar-l2}.
     */
    default String publishedName() {
        return name() + "-" + budget().norm().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Public version tag of the method's process bank (its fingerprint, never its contents). */
    default String bankVersion() {
        return "none";
    }

    /** A non-secret description for publishing (name, budget, bank fingerprint...). */
    default String describe() {
        return name() + " " + budget().describe();
    }

    /** Checks a class index against {@link #classes()}. */
    default void checkClass(int classIndex) {
        if (classIndex < 0 || classIndex >= classes()) {
            throw new IllegalArgumentException(
                    "class "
                            + classIndex
                            + " is outside 0.."
                            + (classes() - 1)
                            + " ("
                            + name()
                            + " has "
                            + classes()
                            + " classes)");
        }
    }
}
