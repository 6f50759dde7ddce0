package io.scrapeguard.poisoner;

import io.scrapeguard.core.Budget;
import io.scrapeguard.core.Perturbation;
import io.scrapeguard.core.PerturbationMethod;
import io.scrapeguard.core.Protector;

/**
 * A stand-in perturbation for topology unit tests: +-3 grey levels in a pattern fixed by the
 * process and the image id. The AR engine itself is tested in core and end to end in the
 * integration tests.
 */
class FakeMethod implements PerturbationMethod {
    private final int classes;

    FakeMethod(int classes) {
        this.classes = classes;
    }

    /** The poisoner's protector around this method. */
    static Protector protector(int classes) {
        return new Protector(new FakeMethod(classes));
    }

    @Override
    public Perturbation perturbation(
            int classIndex, String imageId, int height, int width, int channels) {
        checkClass(classIndex);
        double[] v = new double[height * width * channels];
        int seed = imageId.hashCode() * 31 + classIndex;
        for (int i = 0; i < v.length; i++) {
            v[i] = (((seed ^ (i * 0x9E3779B1)) >>> 7 & 1) == 0 ? 3 : -3) / 255.0;
        }
        return new Perturbation(height, width, channels, v);
    }

    @Override
    public String name() {
        return "test-pattern";
    }

    @Override
    public int classes() {
        return classes;
    }

    @Override
    public Budget budget() {
        return Budget.defaultL2();
    }

    @Override
    public String bankVersion() {
        return "test";
    }
}
