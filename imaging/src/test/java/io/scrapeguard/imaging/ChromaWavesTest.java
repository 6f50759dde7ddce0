package io.scrapeguard.imaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.scrapeguard.imaging.scraper.ScraperPipeline;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A scraper that knows the public class waves ({@code unwave}) fits any of them, at any phase, out
 * of a photo, and leaves the photo itself nearly as it was.
 */
class ChromaWavesTest {
    /** A 32x32 colour image with grain of +-40 levels around mid-grey. */
    private static double[] photo(long seed) {
        Random rng = new Random(seed);
        double[] v = new double[32 * 32 * 3];
        for (int i = 0; i < v.length; i++) {
            v[i] = 88 + rng.nextInt(80);
        }
        return v;
    }

    private static Image8 image(double[] v) {
        byte[] px = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            px[i] = (byte) Math.max(0, Math.min(255, Math.round(v[i])));
        }
        return Image8.wrap(32, 32, 3, px, null);
    }

    private static double sumSquares(Image8 a, Image8 b) {
        byte[] x = a.pixelArray(), y = b.pixelArray();
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            double d = (x[i] & 0xFF) - (y[i] & 0xFF);
            s += d * d;
        }
        return s;
    }

    @Test
    void everyClassWaveAtAnyPhaseIsFittedOutOfAPhoto() {
        ScraperPipeline unwave = ScraperPipeline.parse("unwave");
        Random rng = new Random(3);
        for (int k = 0; k < ChromaWaves.DISTINCT; k++) {
            double[] clean = photo(k);
            double[] wave = new double[clean.length];
            ChromaWaves.unitRmsInto(wave, k, rng.nextDouble(), 32, 32, 3);
            double[] prot = clean.clone();
            for (int i = 0; i < prot.length; i++) {
                prot[i] += 5 * wave[i]; // the default budget's RMS at 32x32: about 5 levels
            }
            Image8 c = image(clean), p = image(prot);
            double before = sumSquares(c, p);
            double after = sumSquares(unwave.apply(c, 1), unwave.apply(p, 1));
            // what is left of the delta is 8-bit rounding: under 5% of its energy
            assertThat(after).as("wave %d", k).isLessThan(0.05 * before);
        }
    }

    @Test
    void aPhotoWithoutAWaveKeepsNearlyAllOfItself() {
        for (long seed = 0; seed < 5; seed++) {
            Image8 c = image(photo(100 + seed));
            Image8 u = ChromaWaves.fitOut(c);
            double mse = sumSquares(c, u) / c.pixelArray().length;
            // the fit takes the photo's own energy on 20 of its 3,072 dimensions: PSNR over 40 dB
            assertThat(10 * Math.log10(255.0 * 255.0 / mse)).isGreaterThan(40);
            // its brightness is not a wave: the mean of each channel stays
            assertThat(mean(u, 0))
                    .isCloseTo(mean(c, 0), org.assertj.core.api.Assertions.within(0.5));
        }
        // larger images, which get no wave, pass unchanged
        Image8 large = Image8.wrap(65, 64, 3, new byte[65 * 64 * 3], null);
        assertThat(ChromaWaves.fitOut(large)).isSameAs(large);
    }

    private static double mean(Image8 img, int channel) {
        byte[] px = img.pixelArray();
        double s = 0;
        for (int i = channel; i < px.length; i += 3) {
            s += px[i] & 0xFF;
        }
        return s / (px.length / 3);
    }
}
