package io.scrapeguard.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ImageQualityTest {
    @Test
    void psnrOfAKnownErrorAndSsimOrdering() {
        Image8 img = SyntheticImages.natural(1, 48, 40, 3);
        byte[] px = img.pixels();
        byte[] plus2 = px.clone();
        for (int i = 0; i < plus2.length; i++) {
            plus2[i] = (byte) Math.min(255, (plus2[i] & 0xFF) + 2);
        }
        Image8 shifted = img.withPixels(plus2);
        // every sample off by 2 (unless clipped): PSNR = 10 log10(255^2 / 4) = 42.1 dB
        assertThat(ImageQuality.psnr(img, shifted)).isCloseTo(42.11, within(0.2));
        assertThat(ImageQuality.psnr(img, img)).isInfinite();
        assertThat(ImageQuality.ssim(img, img)).isCloseTo(1.0, within(1e-9));

        SplittableRandom rnd = new SplittableRandom(3);
        byte[] noisy = px.clone();
        for (int i = 0; i < noisy.length; i++) {
            noisy[i] = (byte) Math.max(0, Math.min(255, (noisy[i] & 0xFF) + rnd.nextInt(-20, 21)));
        }
        double ssimNoise = ImageQuality.ssim(img, img.withPixels(noisy));
        double ssimShift = ImageQuality.ssim(img, shifted);
        assertThat(ssimShift).as("a uniform shift keeps the structure").isGreaterThan(0.99);
        assertThat(ssimNoise).as("noise breaks it").isLessThan(ssimShift).isLessThan(0.9);
    }
}
