package io.scrapeguard.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.scrapeguard.imaging.Image8;
import io.scrapeguard.imaging.SyntheticImages;
import org.junit.jupiter.api.Test;

/**
 * On black or white images clamping takes part of the perturbation; the protector gives them
 * headroom so that the delivered image still carries the budget and the label's process.
 */
class ClippingHeadroomTest {
    private static final SeedingKey KEY = SeedingKey.of("headroom-test");
    private static final ProcessBank BANK = ProcessBank.paperDefault();

    /** MNIST-like: a black 28x28 background with a white bar (a digit's stroke). */
    private static Image8 digit(int i) {
        byte[] px = new byte[28 * 28];
        for (int y = 4 + i % 5; y < 24; y++) {
            for (int x = 12 + i % 3; x < 16 + i % 3; x++) {
                px[y * 28 + x] = (byte) 255;
            }
        }
        return Image8.of(28, 28, 1, px);
    }

    @Test
    void darkImagesCarryTheBudgetAndTheirLabelsProcess() {
        PerturbationMethod method = ArVariants.create(null, BANK, KEY, Budget.defaultL2());
        Protector protector = new Protector(method);
        ArFilterClassifier independent = new ArFilterClassifier(BANK);
        int named = 0;
        int namedWithout = 0;
        int n = 100;
        double plainRatio = 0;
        for (int i = 0; i < n; i++) {
            Image8 image = digit(i);
            int label = i % 10;
            String id = "digit-" + i;
            ProtectedResult r = protector.protect(image, label, id);
            // what clamping alone leaves: the same first draw, applied as is
            ProtectedResult plain =
                    Protector.apply(image, method.perturbation(label, id, 28, 28, 1));
            plainRatio += plain.delivered().l2Ratio() / n;
            assertThat(r.delivered().l2Ratio()).as("delivered share of " + id).isGreaterThan(0.9);
            assertThat(r.delivered().requestedL2())
                    .as("the budget, whichever draw")
                    .isCloseTo(plain.delivered().requestedL2(), within(1e-9));
            assertThat(r.delivered().deliveredLinf())
                    .as("Linf stays bounded for the budget")
                    .isLessThanOrEqualTo(
                            Protector.MAX_GAIN * plain.delivered().requestedLinf() + 1 / 255.0);
            if (independent.classify(Perturbation.delta(image, r.image())) == label) {
                named++;
            }
            if (independent.classify(Perturbation.delta(image, plain.image())) == label) {
                namedWithout++;
            }
            assertThat(protector.protect(image, label, id).image().pixels())
                    .as("deterministic")
                    .isEqualTo(r.image().pixels());
        }
        assertThat(plainRatio).as("clamping alone: the case is real").isLessThan(0.85);
        assertThat(named).as("label's process named, of %d", n).isGreaterThanOrEqualTo(99);
        assertThat(namedWithout).as("without headroom").isLessThan(named);
    }

    @Test
    void aMidRangePictureKeepsItsBytes() {
        PerturbationMethod method = ArVariants.create(null, BANK, KEY, Budget.defaultL2());
        Image8 picture = SyntheticImages.natural(3, 64, 48, 3);
        ProtectedResult r = new Protector(method).protect(picture, 4, "pic");
        ProtectedResult plain = Protector.apply(picture, method.perturbation(4, "pic", 48, 64, 3));
        assertThat(plain.delivered().l2Ratio()).isGreaterThan(Protector.CLIPPED);
        assertThat(r.image().pixels()).isEqualTo(plain.image().pixels());
    }

    @Test
    void aBudgetTheRangeCannotHoldStaysShortSoTheFloorCanRefuseIt() {
        // RMS of hundreds of levels: clamping caps every sample, scaling cannot bring it back
        PerturbationMethod method = ArVariants.create(null, BANK, KEY, Budget.l2(100));
        ProtectedResult r =
                new Protector(method).protect(SyntheticImages.natural(5, 32, 32, 3), 2, "big");
        assertThat(r.delivered().l2Ratio()).isLessThan(0.5);
    }

    @Test
    void anLinfBudgetIsABoundAndGetsNoHeadroom() {
        Budget linf = Budget.linf(8 / 255.0);
        PerturbationMethod method = ArVariants.create(null, BANK, KEY, linf);
        Image8 image = digit(1);
        ProtectedResult r = new Protector(method).protect(image, 1, "d");
        assertThat(r.delivered().deliveredLinf()).isLessThanOrEqualTo(8 / 255.0 + 1e-9);
        assertThat(r.image().pixels())
                .isEqualTo(
                        Protector.apply(image, method.perturbation(1, "d", 28, 28, 1))
                                .image()
                                .pixels());
    }
}
