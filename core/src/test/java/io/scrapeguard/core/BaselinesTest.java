package io.scrapeguard.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class BaselinesTest {
    private final SeedingKey key = SeedingKey.of("baselines");
    private final Budget budget = Budget.l2(1.0);

    private List<PerturbationMethod> classwise() {
        return List.of(
                new RegionsNoise(4, key, budget, 10),
                new RegionsNoise(16, key, budget, 10),
                new ClasswiseGaussianNoise(key, budget, 10),
                new LowFrequencyNoise(8, key, budget, 10));
    }

    @Test
    void classwiseMethodsGiveOnePatternPerClassAtTheBudget() {
        for (PerturbationMethod m : classwise()) {
            Perturbation a = m.perturbation(3, "img-a", 32, 32, 3);
            assertThat(a.l2()).as(m.name()).isCloseTo(1.0, within(1e-9));
            assertThat(m.perturbation(3, "img-b", 32, 32, 3).values())
                    .as(m.name())
                    .containsExactly(a.values());
            assertThat(m.perturbation(4, "img-a", 32, 32, 3).values())
                    .as(m.name())
                    .isNotEqualTo(a.values());
            assertThat(m.classes()).isEqualTo(10);
            assertThat(m.perturbation(1, "x", 17, 45, 1).l2())
                    .isCloseTo(Math.sqrt(765 / 3072.0), within(1e-9));
        }
        assertThat(classwise())
                .extracting(PerturbationMethod::name)
                .containsExactly(
                        "regions-4", "regions-16", "classwise-gaussian", "low-frequency-8");
    }

    @Test
    void regionsAreConstantWithinRegionsAndLinfIsEpsilonEverywhere() {
        RegionsNoise r = new RegionsNoise(4, key, Budget.defaultLinf(), 10);
        Perturbation p = r.perturbation(0, "x", 32, 32, 3);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    assertThat(Math.abs(p.value(y, x, c))).isCloseTo(8.0 / 255, within(1e-15));
                    assertThat(p.value(y, x, c)).isEqualTo(p.value(y / 16 * 16, x / 16 * 16, c));
                }
            }
        }
        assertThatThrownBy(() -> new RegionsNoise(5, key, budget, 10))
                .hasMessageContaining("square");
    }

    @Test
    void lowFrequencyNoiseLivesInTheLowDctBlock() {
        LowFrequencyNoise lf = new LowFrequencyNoise(4, key, budget, 10);
        Perturbation p = lf.perturbation(2, "x", 32, 32, 3);
        double[][] basis = LowFrequencyNoise.basis(32, 32);
        double inside = 0;
        double outside = 0;
        for (int c = 0; c < 3; c++) {
            for (int u = 0; u < 32; u++) {
                for (int v = 0; v < 32; v++) {
                    double coef = 0;
                    for (int y = 0; y < 32; y++) {
                        for (int x = 0; x < 32; x++) {
                            coef += basis[u][y] * basis[v][x] * p.value(y, x, c);
                        }
                    }
                    if (u < 4 && v < 4) {
                        inside += coef * coef;
                    } else {
                        outside += coef * coef;
                    }
                }
            }
        }
        assertThat(inside).isCloseTo(1.0, within(1e-9));
        assertThat(outside).isLessThan(1e-20);
    }

    @Test
    void classFreeControlDiffersPerImageButIsDeterministic() {
        ClassFreeGaussianNoise n = new ClassFreeGaussianNoise(key, budget, 10);
        Perturbation a = n.perturbation(0, "a", 32, 32, 3);
        assertThat(n.perturbation(0, "a", 32, 32, 3).values()).containsExactly(a.values());
        assertThat(n.perturbation(0, "b", 32, 32, 3).values()).isNotEqualTo(a.values());
        assertThat(n.perturbation(5, "a", 32, 32, 3).values()).containsExactly(a.values());
        assertThat(a.l2()).isCloseTo(1.0, within(1e-9));
        // it carries no AR structure: the filter classifier is near chance on it
        ArFilterClassifier clf = new ArFilterClassifier(ProcessBank.paperDefault());
        int hits = 0;
        for (int i = 0; i < 500; i++) {
            if (clf.classify(n.perturbation(i % 10, "c" + i, 32, 32, 3)) == i % 10) {
                hits++;
            }
        }
        assertThat(hits).isLessThan(150);
        assertThatThrownBy(() -> n.perturbation(10, "a", 32, 32, 3))
                .hasMessageContaining("class 10");
    }
}
