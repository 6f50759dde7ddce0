package io.scrapeguard.core.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import io.scrapeguard.core.ArGenerator;
import io.scrapeguard.core.ArPerturbationMethod;
import io.scrapeguard.core.Budget;
import io.scrapeguard.core.GaussianSource;
import io.scrapeguard.core.ImageSeeds;
import io.scrapeguard.core.Perturbation;
import io.scrapeguard.core.ProcessBank;
import io.scrapeguard.core.SeedingKey;
import java.util.List;
import org.junit.jupiter.api.Test;

class DjlArGeneratorTest {
    private final ProcessBank bank = ProcessBank.paperDefault();

    private static double maxRelDiff(double[] a, double[] b) {
        double scale = 0;
        double diff = 0;
        for (int i = 0; i < a.length; i++) {
            scale = Math.max(scale, Math.abs(a[i]));
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
        }
        return diff / scale;
    }

    @Test
    void batchedWavefrontEqualsTheJavaPathInDoubleAndFloat() {
        int[][] shapes = {{32, 32, 3}, {17, 45, 1}, {9, 5, 3}};
        for (DataType dt : new DataType[] {DataType.FLOAT64, DataType.FLOAT32}) {
            try (DjlArGenerator djl = new DjlArGenerator(bank, Device.cpu(), dt)) {
                for (int[] s : shapes) {
                    int n = 10;
                    int[] classes = new int[n];
                    GaussianSource[] sources = new GaussianSource[n];
                    for (int i = 0; i < n; i++) {
                        classes[i] = i % bank.size();
                        sources[i] = GaussianSource.fromSeed(1000 + i);
                    }
                    double[][] batch = djl.generateRaw(classes, sources, s[0], s[1], s[2]);
                    ArGenerator java = new ArGenerator();
                    for (int i = 0; i < n; i++) {
                        Perturbation ref =
                                java.generateRaw(
                                        bank.process(classes[i]),
                                        s[0],
                                        s[1],
                                        s[2],
                                        GaussianSource.fromSeed(1000 + i));
                        double tol = dt == DataType.FLOAT64 ? 1e-12 : 1e-4;
                        assertThat(maxRelDiff(batch[i], ref.values()))
                                .as("%s image %d at %dx%dx%d", dt, i, s[0], s[1], s[2])
                                .isLessThan(tol);
                    }
                }
            }
        }
    }

    @Test
    void methodMatchesTheJavaMethodAfterScaling() {
        SeedingKey key = SeedingKey.of("djl");
        ArPerturbationMethod java = new ArPerturbationMethod(bank, key, Budget.defaultL2());
        try (DjlArPerturbationMethod djl =
                new DjlArPerturbationMethod(bank, key, Budget.defaultL2())) {
            String[] ids = {"a", "b", "c", "d"};
            int[] classes = {0, 5, 9, 5};
            List<Perturbation> ps = djl.perturbations(classes, ids, 32, 32, 3);
            for (int i = 0; i < ids.length; i++) {
                Perturbation ref = java.perturbation(classes[i], ids[i], 32, 32, 3);
                assertThat(ps.get(i).l2())
                        .isCloseTo(Budget.DEFAULT_L2, org.assertj.core.api.Assertions.within(1e-9));
                assertThat(maxRelDiff(ps.get(i).values(), ref.values())).isLessThan(1e-4);
            }
            assertThat(djl.describe()).contains("backend=djl");
            assertThatThrownBy(() -> djl.perturbation(10, "x", 32, 32, 3))
                    .hasMessageContaining("class 10");
        }
        assertThat(new ImageSeeds(key).hmac("a")).hasSize(32);
    }
}
