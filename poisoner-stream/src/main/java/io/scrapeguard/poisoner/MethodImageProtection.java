package io.scrapeguard.poisoner;

import io.scrapeguard.imaging.Image8;
import io.scrapeguard.core.PerturbationMethod;
import io.scrapeguard.core.ProtectedResult;
import io.scrapeguard.core.Protector;
import java.util.Locale;

/**
 * Protection by any of core's {@link PerturbationMethod}s through its {@link Protector}: the AR
 * perturbation in production, class-free noise as the demo's control. {@link #toString()} and
 * everything published name only the method, the budget and a non-secret bank version.
 */
public class MethodImageProtection implements ImageProtection {
    private final PerturbationMethod method;
    private final Protector protector;
    private final String bankVersion;

    public MethodImageProtection(PerturbationMethod method, String bankVersion) {
        this.method = method;
        this.protector = new Protector(method);
        this.bankVersion = bankVersion;
    }

    @Override
    public final Protection protect(Image8 image, int processIndex, String imageId) {
        ProtectedResult r = protector.protect(image, processIndex, imageId);
        return new Protection(
                r.image(),
                r.delivered().deliveredL2(),
                r.delivered().deliveredLinf(),
                r.delivered().requestedL2(),
                r.delivered().requestedLinf());
    }

    @Override
    public final int bankSize() {
        return method.classes();
    }

    @Override
    public final String method() {
        return method.name() + "-" + method.budget().norm().name().toLowerCase(Locale.ROOT);
    }

    @Override
    public final String metricMethod() {
        return method.name();
    }

    @Override
    public final double budget() {
        return method.budget().epsilon();
    }

    @Override
    public final String bankVersion() {
        return bankVersion;
    }

    @Override
    public final String toString() {
        return method.describe();
    }
}
