package io.scrapeguard.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scrapeguard.imaging.Image8;
import io.scrapeguard.imaging.SyntheticImages;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ArFilterClassifierTest {
    private static final int PER_CLASS = 1000;
    private final ProcessBank bank = ProcessBank.paperDefault();
    private final ArFilterClassifier classifier = new ArFilterClassifier(bank);
    private final ArPerturbationMethod method =
            new ArPerturbationMethod(bank, SeedingKey.of("classifier-test"), Budget.defaultL2());

    private int[] correctPerClass(int h, int w) {
        AtomicInteger[] ok = new AtomicInteger[bank.size()];
        for (int k = 0; k < ok.length; k++) {
            ok[k] = new AtomicInteger();
        }
        IntStream.range(0, bank.size() * PER_CLASS)
                .parallel()
                .forEach(
                        i -> {
                            int k = i % bank.size();
                            Perturbation p =
                                    method.perturbation(k, "fresh-" + h + "-" + i, h, w, 3);
                            if (classifier.classify(p) == k) {
                                ok[k].incrementAndGet();
                            }
                        });
        return IntStream.range(0, ok.length).map(k -> ok[k].get()).toArray();
    }

    @Test
    void identifiesEveryFreshPerturbationAt32x32x3() {
        assertThat(correctPerClass(32, 32)).containsOnly(PER_CLASS);
    }

    @Test
    void identifiesEveryFreshPerturbationAt96x96x3() {
        assertThat(correctPerClass(96, 96)).containsOnly(PER_CLASS);
    }

    @Test
    void identifiesDeliveredPerturbationsAfterClampingAndRoundingOnRealLookingImages() {
        Protector protector = new Protector(method);
        AtomicInteger correct = new AtomicInteger();
        AtomicInteger clamped = new AtomicInteger();
        int n = bank.size() * PER_CLASS;
        IntStream.range(0, n)
                .parallel()
                .forEach(
                        i -> {
                            int k = i % bank.size();
                            Image8 clean = SyntheticImages.natural(i, 32, 32, 3);
                            Perturbation requested =
                                    method.perturbation(k, "photo-" + i, 32, 32, 3);
                            ProtectedResult r = protector.protect(clean, k, "photo-" + i);
                            byte[] px = clean.pixels();
                            for (int j = 0; j < px.length; j++) {
                                double v = (px[j] & 0xFF) + 255 * requested.valueArray()[j];
                                if (v < -0.5 || v > 255.5) {
                                    clamped.incrementAndGet();
                                    break;
                                }
                            }
                            if (classifier.classify(Perturbation.delta(clean, r.image())) == k) {
                                correct.incrementAndGet();
                            }
                        });
        double accuracy = correct.get() / (double) n;
        System.out.printf(
                "delivered-delta filter accuracy: %.4f (%d of %d; %d images clamped)%n",
                accuracy, correct.get(), n, clamped.get());
        // some images must really lose part of their perturbation to clamping
        assertThat(clamped.get()).isGreaterThan(n / 10);
        assertThat(accuracy).isGreaterThanOrEqualTo(0.99);
    }

    @Test
    void ownFilterRespondsLeastAndOthersClearlyMore() {
        Perturbation p = method.perturbation(7, "x", 32, 32, 3);
        double[] r = classifier.responses(p);
        assertThat(ArFilterClassifier.argMin(r)).isEqualTo(7);
        for (int k = 0; k < r.length; k++) {
            if (k != 7) {
                assertThat(r[k]).isGreaterThan(1000 * Math.max(r[7], 1e-12));
            }
        }
        double[][] perChannel = classifier.channelResponses(p);
        assertThat(perChannel[3][0] + perChannel[3][1] + perChannel[3][2])
                .isCloseTo(r[3], org.assertj.core.api.Assertions.within(1e-9));
        assertThat(classifier.response(3, p))
                .isCloseTo(r[3], org.assertj.core.api.Assertions.within(1e-9));
    }

    @Test
    void fastClassifyAgreesWithTheArgminOfAllResponses() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
        for (int i = 0; i < 300; i++) {
            // mixtures of two classes plus noise: hard cases where the bound matters
            int a = rnd.nextInt(10);
            int b = rnd.nextInt(10);
            double wa = rnd.nextDouble();
            double[] x = method.perturbation(a, "m" + i, 24, 20, 3).values();
            double[] y = method.perturbation(b, "n" + i, 24, 20, 3).values();
            for (int j = 0; j < x.length; j++) {
                x[j] = wa * x[j] + (1 - wa) * y[j] + 0.002 * (rnd.nextDouble() - 0.5);
            }
            Perturbation p = new Perturbation(24, 20, 3, x);
            assertThat(classifier.classify(p))
                    .isEqualTo(ArFilterClassifier.argMin(classifier.responses(p)));
        }
    }

    @Test
    void tooSmallPerturbationsAreRejected() {
        Perturbation tiny = new Perturbation(2, 5, 3, new double[30]);
        assertThatThrownBy(() -> classifier.classify(tiny))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3x3");
    }
}
