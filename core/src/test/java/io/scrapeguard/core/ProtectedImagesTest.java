package io.scrapeguard.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.scrapeguard.imaging.Image8;
import io.scrapeguard.imaging.ImageCodec;
import io.scrapeguard.imaging.SyntheticImages;
import org.junit.jupiter.api.Test;

/** Whole images through the protector: alpha left alone, any size and channel count. */
class ProtectedImagesTest {
    private final Protector protector =
            new Protector(new ArPerturbationMethod(SeedingKey.of("img")));

    @Test
    void alphaIsKeptAsideUnperturbedAndReattached() throws Exception {
        Image8 rgb = SyntheticImages.natural(3, 20, 10, 3);
        byte[] alpha = new byte[200];
        for (int i = 0; i < alpha.length; i++) {
            alpha[i] = (byte) (i % 256);
        }
        Image8 rgba = ImageCodec.decode(Image8.of(20, 10, 3, rgb.pixels(), alpha).encodePng());
        Image8 prot = ImageCodec.decode(protector.protect(rgba, 4, "rgba").image().encodePng());
        assertThat(prot.alpha()).isEqualTo(alpha);
        assertThat(prot.pixels()).isNotEqualTo(rgb.pixels());
    }

    @Test
    void largeAndOddImagesAreProtected() throws Exception {
        for (int[] s : new int[][] {{1024, 768, 3}, {17, 45, 1}, {45, 17, 3}}) {
            Image8 img = SyntheticImages.natural(s[0], s[0], s[1], s[2]);
            ProtectedResult r = protector.protect(img, 9, "big");
            assertThat(r.image().width()).isEqualTo(s[0]);
            assertThat(r.image().height()).isEqualTo(s[1]);
            assertThat(r.delivered().requestedL2())
                    .isCloseTo(
                            Budget.DEFAULT_L2 * Math.sqrt(s[0] * s[1] * s[2] / 3072.0),
                            within(1e-6));
            assertThat(r.delivered().deliveredL2()).isPositive();
        }
    }
}
