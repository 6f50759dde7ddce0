package io.scrapeguard.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CoefficientSearchTest {
    @Test
    void searchForTenAtThresholdTenFindsASeparableBank() {
        List<CoefficientSearch.Stats> progress = new ArrayList<>();
        CoefficientSearch.Result r = CoefficientSearch.of(10, 10).seed(42).run(progress::add);
        ProcessBank bank = r.bank();
        assertThat(bank.size()).isEqualTo(10);
        assertThat(progress).isNotEmpty();
        assertThat(progress.get(progress.size() - 1).accepted()).isEqualTo(10);
        assertThat(r.stats().candidates())
                .isEqualTo(r.stats().unstable() + r.stats().filtered() + 10);
        for (ArProcess p : bank.processes()) {
            for (int c = 0; c < 3; c++) {
                assertThat(p.coefficientSum(c)).isCloseTo(1.0, within(1e-9));
                assertThat(p.coefficient(c, 2, 2)).isZero();
            }
        }
        // the searched bank is stable and separable: every fresh perturbation is identified
        ArFilterClassifier clf = new ArFilterClassifier(bank);
        ArPerturbationMethod m =
                new ArPerturbationMethod(bank, SeedingKey.of("s"), Budget.defaultL2());
        for (int k = 0; k < 10; k++) {
            for (int i = 0; i < 100; i++) {
                assertThat(clf.classify(m.perturbation(k, "p" + i, 32, 32, 3))).isEqualTo(k);
            }
        }
        // and the threshold holds between each accepted process and earlier processes' filters
        for (int j = 1; j < 10; j++) {
            Perturbation pj = m.perturbation(j, "t", 32, 32, 3);
            for (int i = 0; i < j; i++) {
                assertThat(clf.response(i, pj)).isGreaterThan(1.0);
            }
        }
    }

    @Test
    void sameSeedGivesTheSameBankWhateverTheThreadCount() {
        ProcessBank one = CoefficientSearch.of(6, 5).seed(7).threads(1).run().bank();
        ProcessBank two = CoefficientSearch.of(6, 5).seed(7).threads(2).run().bank();
        ProcessBank four = CoefficientSearch.of(6, 5).seed(7).threads(4).run().bank();
        assertThat(two).isEqualTo(one);
        assertThat(four).isEqualTo(one);
        assertThat(CoefficientSearch.of(6, 5).seed(8).run().bank()).isNotEqualTo(one);
    }

    @Test
    void badArgumentsAreRejectedClearly() {
        assertThatThrownBy(() -> CoefficientSearch.of(0, 10))
                .hasMessageContaining("classes must be positive");
        assertThatThrownBy(() -> CoefficientSearch.of(10, -1)).hasMessageContaining("threshold");
        assertThatThrownBy(() -> CoefficientSearch.of(10, 10).threads(0))
                .hasMessageContaining("threads");
        assertThatThrownBy(() -> CoefficientSearch.of(10, 1e9).maxCandidates(5000).run())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("gave up");
    }
}
