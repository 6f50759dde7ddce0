package io.scrapeguard.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.scrapeguard.imaging.Image8;
import io.scrapeguard.imaging.SyntheticImages;
import org.junit.jupiter.api.Test;

/** The whole budget goes to the pixels a viewer sees; fully transparent ones are left alone. */
class AlphaAwareBudgetTest {
    private static final SeedingKey KEY = SeedingKey.of("alpha-test");
    private static final int W = 64;
    private static final int H = 48;

    /** A picture whose left half is fully transparent and right half opaque. */
    private static Image8 halfTransparent() {
        Image8 picture = SyntheticImages.natural(7, W, H, 3);
        byte[] alpha = new byte[W * H];
        for (int y = 0; y < H; y++) {
            for (int x = W / 2; x < W; x++) {
                alpha[y * W + x] = (byte) 255;
            }
        }
        return Image8.of(W, H, 3, picture.pixels(), alpha);
    }

    @Test
    void transparentPixelsGetNothingAndTheVisibleOnesCarryTheWholeL2Budget() {
        Budget budget = Budget.defaultL2();
        Protector protector =
                new Protector(new ArPerturbationMethod(ProcessBank.paperDefault(), KEY, budget));
        Image8 image = halfTransparent();
        ProtectedResult r = protector.protect(image, 3, "img");
        byte[] before = image.pixels();
        byte[] after = r.image().pixels();
        double visibleSq = 0;
        for (int p = 0; p < W * H; p++) {
            boolean visible = p % W >= W / 2;
            for (int c = 0; c < 3; c++) {
                int e = (after[p * 3 + c] & 0xFF) - (before[p * 3 + c] & 0xFF);
                if (!visible) {
                    assertThat(e).as("transparent pixel %d changed", p).isZero();
                }
                visibleSq += (double) e * e;
            }
        }
        double epsilon = budget.epsilonFor(H, W, 3);
        assertThat(r.delivered().requestedL2()).isCloseTo(epsilon, within(1e-9));
        // mid-range picture: little clipping, so the visible half carries about all of it
        assertThat(Math.sqrt(visibleSq) / 255).isGreaterThan(0.9 * epsilon);
        assertThat(r.image().alpha()).isEqualTo(image.alpha());
    }

    @Test
    void anLinfBudgetStillReachesItsBoundOnTheVisiblePixels() {
        Budget budget = Budget.linf(8 / 255.0);
        Protector protector =
                new Protector(new ArPerturbationMethod(ProcessBank.paperDefault(), KEY, budget));
        ProtectedResult r = protector.protect(halfTransparent(), 5, "img");
        assertThat(r.delivered().requestedLinf()).isCloseTo(8 / 255.0, within(1e-9));
        assertThat(r.delivered().deliveredLinf() * 255).isCloseTo(8, within(0.51));
    }

    @Test
    void aFullyTransparentImageCarriesNothingAndSaysSo() {
        Image8 picture = SyntheticImages.natural(9, 32, 32, 3);
        Image8 invisible = Image8.of(32, 32, 3, picture.pixels(), new byte[32 * 32]);
        Protector protector =
                new Protector(
                        new ArPerturbationMethod(
                                ProcessBank.paperDefault(), KEY, Budget.defaultL2()));
        ProtectedResult r = protector.protect(invisible, 0, "img");
        assertThat(r.image().pixels()).isEqualTo(picture.pixels());
        assertThat(r.delivered().deliveredL2()).isZero();
        assertThat(r.delivered().l2Ratio()).as("what the shortfall floor reads").isZero();
    }
}
