package io.scrapeguard.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.scrapeguard.imaging.FineTexture;
import io.scrapeguard.imaging.Image8;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The default {@code ar-multiscale} ({@code wave=auto}) gives a small colour photo, with a photo's
 * fine texture, its class's chroma wave, and a flat image, a gray image or a larger one what it
 * gave before: Algorithm 2 (or the grids), byte for byte.
 */
class WaveOnTextureTest {
    private final SeedingKey key = SeedingKey.of("wave-on-texture");
    private final ProcessBank bank = ProcessBank.paperDefault();

    private PerturbationMethod method(String spec) {
        return ArVariants.create(spec, bank, key, Budget.defaultL2());
    }

    /** Grain of +-40 levels around mid-grey: a photo's texture (FineTexture about 50). */
    private static Image8 textured(int h, int w, int channels, long seed) {
        Random rng = new Random(seed);
        byte[] px = new byte[h * w * channels];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (88 + rng.nextInt(80));
        }
        return Image8.wrap(w, h, channels, px, null);
    }

    /** One flat colour with a level of noise, as the generated shapes' interiors. */
    private static Image8 flat(int h, int w, long seed) {
        Random rng = new Random(seed);
        byte[] px = new byte[h * w * 3];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) ((i % 3 == 0 ? 150 : 90) + rng.nextInt(2));
        }
        return Image8.wrap(w, h, 3, px, null);
    }

    private static double[] delta(Image8 clean, Image8 prot) {
        byte[] a = clean.pixelArray(), b = prot.pixelArray();
        double[] d = new double[a.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = ((b[i] & 0xFF) - (a[i] & 0xFF)) / 255.0;
        }
        return d;
    }

    @Test
    void aTexturedPhotoGetsItsClasssWaveAtTheBudget() {
        PerturbationMethod m = method("ar-multiscale");
        assertThat(m.describe()).contains("wave=auto");
        Protector protector = new Protector(m);
        MultiscaleArFilter filter = MultiscaleArFilter.of(m, bank);
        for (int k = 0; k < 10; k++) {
            Image8 img = textured(32, 32, 3, k);
            assertThat(FineTexture.level(img)).isGreaterThan(MultiscaleArMethod.TEXTURED);
            ProtectedResult r = protector.protect(img, k, "photo-" + k);
            double[] d = delta(img, r.image());
            double[] e = ClassWave.energies(d, 32, 32, 3);
            double l2 = Norms.l2(d);
            assertThat(ClassWave.strongest(e)).as("class %d", k).isEqualTo(k);
            assertThat(e[k]).as("class %d", k).isGreaterThan(0.8 * l2 * l2);
            assertThat(r.delivered().l2Ratio()).isGreaterThan(0.97);
            assertThat(filter.classify(Perturbation.delta(img, r.image()))).isEqualTo(k);
            // the same bytes again: deterministic in the key, the id and the image
            assertThat(protector.protect(img, k, "photo-" + k).image().pixelArray())
                    .isEqualTo(r.image().pixelArray());
        }
    }

    @Test
    void flatGrayAndLargerImagesKeepWhatTheyGotBefore() {
        Protector auto = new Protector(method("ar-multiscale"));
        Protector paper = new Protector(method("ar-paper"));
        Protector noWave = new Protector(method("ar-multiscale:wave=0"));
        for (int k = 0; k < 10; k++) {
            Image8 flat = flat(32, 32, k);
            assertThat(FineTexture.level(flat)).isLessThan(MultiscaleArMethod.TEXTURED);
            assertThat(auto.protect(flat, k, "flat-" + k).image().pixelArray())
                    .isEqualTo(paper.protect(flat, k, "flat-" + k).image().pixelArray());

            Image8 gray = textured(32, 32, 1, k);
            assertThat(auto.protect(gray, k, "gray-" + k).image().pixelArray())
                    .isEqualTo(paper.protect(gray, k, "gray-" + k).image().pixelArray());
        }
        Image8 larger = textured(64, 48, 3, 1);
        Protector grids =
                new Protector(
                        new MultiscaleArMethod(
                                bank, key, Budget.defaultL2(), MultiscaleArMethod.DEFAULT_SHARES));
        assertThat(auto.protect(larger, 3, "larger").image().pixelArray())
                .isEqualTo(grids.protect(larger, 3, "larger").image().pixelArray());
        // a spec's named knobs are the whole variant: no wave unless named
        Image8 photo = textured(32, 32, 3, 5);
        assertThat(noWave.protect(photo, 5, "p").image().pixelArray())
                .isEqualTo(paper.protect(photo, 5, "p").image().pixelArray());
        assertThat(
                        new Protector(method("ar-multiscale:wave=auto"))
                                .protect(photo, 5, "p")
                                .image()
                                .pixelArray())
                .isEqualTo(auto.protect(photo, 5, "p").image().pixelArray());
    }

    @Test
    void thePlatformSetsTheTextureFromWhichAnImageCountsAsAPhoto() {
        Protector paper = new Protector(method("ar-paper"));
        for (int k = 0; k < 10; k++) {
            Image8 photo = textured(32, 32, 3, 100 + k);
            double level = FineTexture.level(photo);
            String id = "cut-" + k;
            byte[] algorithm2 = paper.protect(photo, k, id).image().pixelArray();
            // at its own level the image is a photo and gets the wave; one level above, not
            PerturbationMethod at = method("ar-multiscale:texture=" + level);
            PerturbationMethod above = method("ar-multiscale:texture=" + (level + 1));
            double[] d = delta(photo, new Protector(at).protect(photo, k, id).image());
            assertThat(ClassWave.strongest(ClassWave.energies(d, 32, 32, 3))).isEqualTo(k);
            assertThat(new Protector(at).protect(photo, k, id).image().pixelArray())
                    .isNotEqualTo(algorithm2);
            assertThat(new Protector(above).protect(photo, k, id).image().pixelArray())
                    .isEqualTo(algorithm2);
        }
        // a noisy flat image counts as a photo once the cut is below its noise
        Image8 flat = flat(32, 32, 7);
        assertThat(((MultiscaleArMethod) method("ar-multiscale:texture=0")).wavesOn(flat)).isTrue();
        assertThat(((MultiscaleArMethod) method("ar-multiscale")).wavesOn(flat)).isFalse();
    }

    @Test
    void theTextureKnobIsWaveAutoAndSaysItsCut() {
        MultiscaleArMethod m = (MultiscaleArMethod) method("ar-multiscale:texture=14");
        assertThat(m.textured()).isEqualTo(14);
        assertThat(m.readsWaves()).isTrue();
        assertThat(m.describe()).endsWith("wave=auto texture=14");
        assertThat(method("ar-multiscale").describe()).endsWith("wave=auto");
        assertThat(
                        ((MultiscaleArMethod) method("ar-multiscale:32=1,native=0.1,texture=2.5"))
                                .textured())
                .isEqualTo(2.5);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> method("ar-multiscale:wave=0.5,texture=12"))
                .hasMessageContaining("texture sets the cut of wave=auto");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> method("ar-multiscale:texture=65"))
                .hasMessageContaining("texture is not in [0, 64]");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> method("ar-multiscale:texture=-1"))
                .hasMessageContaining("texture is not in [0, 64]");
    }
}
