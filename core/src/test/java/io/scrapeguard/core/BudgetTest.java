package io.scrapeguard.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.scrapeguard.imaging.Image8;
import org.junit.jupiter.api.Test;

class BudgetTest {
    private final SeedingKey key = SeedingKey.of("budget-test");

    @Test
    void l2BeforeClampingEqualsTheScaledEpsilon() {
        ArPerturbationMethod m =
                new ArPerturbationMethod(ProcessBank.paperDefault(), key, Budget.l2(1.0));
        for (int k = 0; k < 10; k++) {
            assertThat(m.perturbation(k, "a" + k, 32, 32, 3).l2()).isCloseTo(1.0, within(1e-6));
            assertThat(m.perturbation(k, "b" + k, 96, 96, 3).l2()).isCloseTo(3.0, within(3e-6));
            double at17x45 = Math.sqrt(17 * 45 / 3072.0);
            assertThat(m.perturbation(k, "c" + k, 17, 45, 1).l2()).isCloseTo(at17x45, within(1e-6));
        }
        ArPerturbationMethod half =
                new ArPerturbationMethod(ProcessBank.paperDefault(), key, Budget.l2(0.5));
        assertThat(half.perturbation(2, "x", 224, 224, 3).l2()).isCloseTo(3.5, within(1e-6));
    }

    @Test
    void linfModeIsExact() {
        Budget b = Budget.defaultLinf();
        ArPerturbationMethod m = new ArPerturbationMethod(ProcessBank.paperDefault(), key, b);
        for (int k = 0; k < 10; k++) {
            Perturbation p = m.perturbation(k, "i" + k, 32, 32, 3);
            assertThat(p.linf()).isCloseTo(8.0 / 255, within(1e-15));
            assertThat(m.perturbation(k, "j" + k, 17, 45, 1).linf())
                    .isCloseTo(8.0 / 255, within(1e-15));
        }
    }

    @Test
    void describesItselfAndParsesWhatItPrints() {
        assertThat(Budget.defaultL2().describe()).isEqualTo("l2=1.11@32x32x3");
        assertThat(Budget.l2(1).describe()).isEqualTo("l2=1.0@32x32x3");
        assertThat(Budget.defaultLinf().describe()).isEqualTo("linf=8/255");
        assertThat(Budget.l2(1).describe(96, 96, 3))
                .isEqualTo("l2=3.0 at 96x96x3 (l2=1.0@32x32x3)");
        assertThat(Budget.parse("l2=1.11@32x32x3")).isEqualTo(Budget.defaultL2());
        assertThat(Budget.parse("l2")).isEqualTo(Budget.defaultL2());
        assertThat(Budget.parse("linf=8/255")).isEqualTo(Budget.defaultLinf());
        assertThat(Budget.parse("L2:0.5").epsilon()).isEqualTo(0.5);
        assertThat(Budget.parse("linf").epsilon()).isEqualTo(8.0 / 255);
    }

    @Test
    void badEpsilonsAreRejectedClearly() {
        assertThatThrownBy(() -> Budget.l2(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("epsilon must be a positive");
        assertThatThrownBy(() -> Budget.l2(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Budget.linf(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Budget.linf(2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pixel range");
        assertThatThrownBy(() -> Budget.parse("l3=1")).hasMessageContaining("unknown budget norm");
        assertThatThrownBy(() -> Budget.parse("l2=abc")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> Budget.parse("l2=-0.5")).hasMessageContaining("positive");
    }

    @Test
    void deliveredPerturbationIsSmallerThanRequestedAndReported() {
        PerturbationMethod m =
                new ArPerturbationMethod(ProcessBank.paperDefault(), key, Budget.defaultL2());
        // a nearly white image: clamping at 255 removes most of the positive half of the
        // perturbation (applied as is; the protector's headroom: ClippingHeadroomTest)
        byte[] px = new byte[32 * 32 * 3];
        java.util.Arrays.fill(px, (byte) 254);
        ProtectedResult r =
                Protector.apply(Image8.of(32, 32, 3, px), m.perturbation(1, "bright", 32, 32, 3));
        Delivered d = r.delivered();
        assertThat(d.requestedL2()).isCloseTo(Budget.DEFAULT_L2, within(1e-9));
        assertThat(d.deliveredL2()).isLessThan(0.8 * d.requestedL2());
        assertThat(d.l2Ratio()).isCloseTo(d.deliveredL2() / d.requestedL2(), within(1e-12));
        // delivered equals what the image carries
        Perturbation delta = Perturbation.delta(Image8.of(32, 32, 3, px), r.image());
        assertThat(delta.l2()).isCloseTo(d.deliveredL2(), within(1e-12));
        assertThat(delta.linf()).isCloseTo(d.deliveredLinf(), within(1e-12));
        assertThat(d.toString()).contains("delivered l2=");
        // mid-grey image: only rounding, close to the request
        java.util.Arrays.fill(px, (byte) 128);
        Delivered mid = new Protector(m).protect(Image8.of(32, 32, 3, px), 1, "grey").delivered();
        assertThat(mid.l2Ratio()).isBetween(0.9, 1.1);
        assertThat(mid.deliveredLinf()).isCloseTo(mid.requestedLinf(), within(0.5 / 255 + 1e-12));
    }
}
