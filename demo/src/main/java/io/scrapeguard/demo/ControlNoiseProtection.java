package io.scrapeguard.demo;

import io.scrapeguard.core.Budget;
import io.scrapeguard.core.ClassFreeGaussianNoise;
import io.scrapeguard.core.Image8;
import io.scrapeguard.core.ProtectedResult;
import io.scrapeguard.core.Protector;
import io.scrapeguard.core.SeedingKey;
import io.scrapeguard.poisoner.ImageProtection;

/**
 * The comparison of {@code ./guard demo --control noise}: class-free Gaussian noise of the same
 * budget in place of the AR perturbation. It changes the pixels as much as AR does but carries no
 * class shortcut, so an honest audit must call it FAILING.
 */
final class ControlNoiseProtection implements ImageProtection {
    private final ClassFreeGaussianNoise method;
    private final Protector protector;

    ControlNoiseProtection(SeedingKey key, Budget budget, int labels) {
        this.method = new ClassFreeGaussianNoise(key, budget, labels);
        this.protector = new Protector(method);
    }

    @Override
    public Protection protect(Image8 image, int processIndex, String imageId) {
        ProtectedResult r = protector.protect(image, processIndex, imageId);
        return new Protection(r.image(), r.delivered().deliveredL2(),
                r.delivered().deliveredLinf(), r.delivered().requestedL2(),
                r.delivered().requestedLinf());
    }

    @Override
    public int bankSize() {
        return method.classes();
    }

    @Override
    public String method() {
        return method.name() + "-"
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
        return "none";
    }

    @Override
    public String toString() {
        return method.describe();
    }
}
