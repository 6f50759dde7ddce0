package io.scrapeguard.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ArGeneratorTest {
    private final ProcessBank bank = ProcessBank.paperDefault();

    @Test
    void fastPathIsBitIdenticalToTheLiteralAlgorithm() {
        ArGenerator gen = new ArGenerator();
        int[][] shapes = {{32, 32, 3}, {17, 45, 3}, {17, 45, 1}, {5, 7, 2}, {1, 1, 3}, {40, 9, 4}};
        for (int[] s : shapes) {
            for (int k = 0; k < bank.size(); k++) {
                Perturbation ref =
                        ArGenerator.reference(
                                bank.process(k),
                                s[0],
                                s[1],
                                s[2],
                                GaussianSource.fromSeed(31L * k + s[0]));
                Perturbation fast =
                        gen.generateRaw(
                                bank.process(k),
                                s[0],
                                s[1],
                                s[2],
                                GaussianSource.fromSeed(31L * k + s[0]));
                assertThat(fast.values())
                        .as("class %d at %s", k, List.of(s[0], s[1], s[2]))
                        .containsExactly(ref.values());
            }
        }
    }

    @Test
    void interiorOfTheStartSignalIsNeverRead() {
        ArProcess p = bank.process(4);
        double[][][] start = ArGenerator.startSignal(20, 30, 3, GaussianSource.fromSeed(5));
        double[][][] garbage = new double[3][][];
        for (int c = 0; c < 3; c++) {
            garbage[c] = new double[start[c].length][];
            for (int r = 0; r < start[c].length; r++) {
                garbage[c][r] = start[c][r].clone();
                for (int s = 2; r >= 2 && s < garbage[c][r].length; s++) {
                    garbage[c][r][s] = (r * 7 + s) % 2 == 0 ? 1e300 : -3e299;
                }
            }
        }
        assertThat(ArGenerator.keep(ArGenerator.runLiterally(p, garbage)).values())
                .containsExactly(ArGenerator.keep(ArGenerator.runLiterally(p, start)).values());
    }

    @Test
    void lemma31OwnFilterResponseIsZeroBeforeCroppingAndScaling() {
        for (int k = 0; k < bank.size(); k++) {
            ArProcess p = bank.process(k);
            double[][][] full =
                    ArGenerator.runLiterally(
                            p,
                            ArGenerator.startSignal(32, 32, 3, GaussianSource.fromSeed(100 + k)));
            for (int c = 0; c < 3; c++) {
                double[][] x = full[c];
                double[][] f = p.filter(c);
                double relu = 0;
                double scale = 0;
                double foreign = 0;
                double[][] other = bank.process((k + 1) % bank.size()).filter(c);
                for (int i = 0; i + 2 < x.length; i++) {
                    for (int j = 0; j + 2 < x[0].length; j++) {
                        double v = 0;
                        double mag = 0;
                        double o = 0;
                        for (int u = 0; u < 3; u++) {
                            for (int w = 0; w < 3; w++) {
                                v += f[u][w] * x[i + u][j + w];
                                mag += Math.abs(f[u][w] * x[i + u][j + w]);
                                o += other[u][w] * x[i + u][j + w];
                            }
                        }
                        relu += Math.max(0, v);
                        scale += mag;
                        foreign += Math.max(0, o);
                    }
                }
                assertThat(relu / scale).as("class %d channel %d", k, c).isLessThan(1e-9);
                // the check can fail: another process's filter responds strongly
                assertThat(foreign / scale)
                        .as("foreign filter, class %d channel %d", k, c)
                        .isGreaterThan(1e-3);
            }
        }
    }

    @Test
    void classifierResponseOfOwnFilterIsZeroAfterCroppingToo() {
        ArFilterClassifier clf = new ArFilterClassifier(bank);
        for (int k = 0; k < bank.size(); k++) {
            Perturbation raw =
                    new ArGenerator()
                            .generateRaw(bank.process(k), 32, 32, 3, GaussianSource.fromSeed(k));
            double[] r = clf.responses(raw);
            double sumAbs = 0;
            for (double v : raw.values()) {
                sumAbs += Math.abs(v);
            }
            assertThat(r[k] / sumAbs).isLessThan(1e-9);
        }
    }

    @Test
    void anySizeAndChannelCountWorks() {
        ArPerturbationMethod m = new ArPerturbationMethod(SeedingKey.of("k"));
        for (int[] s :
                new int[][] {{17, 45, 1}, {45, 17, 3}, {1, 1, 1}, {768, 1024, 3}, {3, 3, 3}}) {
            for (int k : new int[] {0, 2, 9}) {
                Perturbation p = m.perturbation(k, "img", s[0], s[1], s[2]);
                assertThat(p.height()).isEqualTo(s[0]);
                assertThat(p.width()).isEqualTo(s[1]);
                assertThat(p.channels()).isEqualTo(s[2]);
                for (double v : p.valueArray()) {
                    assertThat(Double.isFinite(v)).isTrue();
                }
                double want = Budget.DEFAULT_L2 * Math.sqrt(s[0] * s[1] * s[2] / 3072.0);
                assertThat(p.l2())
                        .isCloseTo(want, org.assertj.core.api.Assertions.within(1e-6 * want));
            }
        }
    }

    @Test
    void oneChannelUsesChannelZerosWindow() {
        GaussianSource a = GaussianSource.fromSeed(9);
        GaussianSource b = GaussianSource.fromSeed(9);
        ArGenerator gen = new ArGenerator();
        Perturbation one = gen.generateRaw(bank.process(3), 10, 12, 1, a);
        Perturbation three = gen.generateRaw(bank.process(3), 10, 12, 3, b);
        // channel 0 of both consumed the same draws first, with the same window
        assertThat(one.channel(0)).containsExactly(three.channel(0));
    }

    @Test
    void badShapesAreRejectedClearly() {
        ArPerturbationMethod m = new ArPerturbationMethod(SeedingKey.of("k"));
        assertThatThrownBy(() -> m.perturbation(0, "x", 0, 32, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("positive");
        assertThatThrownBy(() -> m.perturbation(0, "x", 32, 32, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("channel");
        assertThatThrownBy(() -> m.perturbation(10, "x", 32, 32, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("class 10");
        assertThatThrownBy(() -> m.perturbation(-1, "x", 32, 32, 3))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
