package io.scrapeguard.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Large images: whole-image Algorithm 2 concentrates the budget in a corner; tiling spreads it. */
class TilingTest {
    private final SeedingKey key = SeedingKey.of("tiles");
    private final ProcessBank bank = ProcessBank.paperDefault();

    /** Share of the squared L2 norm carried by the bottom-right quarter of the image. */
    private static double cornerShare(Perturbation p) {
        double corner = 0;
        double all = 0;
        for (int y = 0; y < p.height(); y++) {
            for (int x = 0; x < p.width(); x++) {
                for (int c = 0; c < p.channels(); c++) {
                    double v = p.value(y, x, c) * p.value(y, x, c);
                    all += v;
                    if (y >= p.height() / 2 && x >= p.width() / 2) {
                        corner += v;
                    }
                }
            }
        }
        return corner / all;
    }

    @Test
    void tilingSpreadsTheBudgetOverLargeImagesAndKeepsClassesIdentifiable() {
        ArPerturbationMethod whole = new ArPerturbationMethod(bank, key, Budget.defaultL2());
        ArPerturbationMethod tiled = new ArPerturbationMethod(bank, key, Budget.defaultL2(), 32);
        Perturbation w = whole.perturbation(2, "big", 224, 224, 3);
        Perturbation t = tiled.perturbation(2, "big", 224, 224, 3);
        assertThat(cornerShare(w)).isGreaterThan(0.99); // the published process 2 explodes
        assertThat(cornerShare(t)).isBetween(0.15, 0.35);
        assertThat(t.l2()).isCloseTo(7.0 * Budget.DEFAULT_L2, within(1e-6));
        ArFilterClassifier clf = new ArFilterClassifier(bank);
        for (int k = 0; k < 10; k++) {
            assertThat(clf.classify(tiled.perturbation(k, "img" + k, 100, 70, 3))).isEqualTo(k);
        }
        // small images are not tiled: identical to the plain method
        assertThat(tiled.perturbation(4, "s", 32, 32, 3).values())
                .containsExactly(whole.perturbation(4, "s", 32, 32, 3).values());
        double[] into = new double[100 * 70 * 3];
        tiled.perturbationInto(into, 1, "i", 100, 70, 3);
        assertThat(into).containsExactly(tiled.perturbation(1, "i", 100, 70, 3).values());
        assertThat(tiled.describe()).endsWith("tile=32");
        assertThatThrownBy(() -> new ArPerturbationMethod(bank, key, Budget.defaultL2(), 3))
                .hasMessageContaining("tile size");
    }
}
