package io.scrapeguard.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class Image8Test {
    private final Protector protector = new Protector(new ArPerturbationMethod(SeedingKey.of("img")));

    @Test
    void pngRoundTripsForRgbAndGrey() {
        Image8 rgb = SyntheticImages.natural(1, 17, 45, 3);
        assertThat(Image8.decode(rgb.encodePng())).isEqualTo(rgb);
        Image8 grey = SyntheticImages.natural(2, 45, 17, 1);
        Image8 back = Image8.decode(grey.encodePng());
        assertThat(back.channels()).isEqualTo(1);
        assertThat(back).isEqualTo(grey);
    }

    @Test
    void alphaIsKeptAsideUnperturbedAndReattached() {
        Image8 rgb = SyntheticImages.natural(3, 20, 10, 3);
        byte[] alpha = new byte[200];
        for (int i = 0; i < alpha.length; i++) {
            alpha[i] = (byte) (i % 256);
        }
        Image8 rgba = Image8.of(20, 10, 3, rgb.pixels(), alpha);
        Image8 decoded = Image8.decode(rgba.encodePng());
        assertThat(decoded.hasAlpha()).isTrue();
        assertThat(decoded.alpha()).isEqualTo(alpha);
        assertThat(decoded.pixels()).isEqualTo(rgb.pixels());
        Image8 prot = Image8.decode(protector.protect(decoded, 4, "rgba").image().encodePng());
        assertThat(prot.alpha()).isEqualTo(alpha);
        assertThat(prot.pixels()).isNotEqualTo(rgb.pixels());

        Image8 greyAlpha = Image8.of(20, 10, 1, Arrays.copyOf(rgb.pixels(), 200), alpha);
        Image8 ga = Image8.decode(greyAlpha.encodePng());
        assertThat(ga.channels()).isEqualTo(1);
        assertThat(ga.alpha()).isEqualTo(alpha);
        assertThat(ga).isEqualTo(greyAlpha);
    }

    @Test
    void decodesJpegAsColour() throws Exception {
        BufferedImage bi = SyntheticImages.natural(4, 64, 48, 3).toBufferedImage();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(bi, "jpg", out);
        Image8 img = Image8.decode(out.toByteArray());
        assertThat(img.width()).isEqualTo(64);
        assertThat(img.height()).isEqualTo(48);
        assertThat(img.channels()).isEqualTo(3);
        // a cut JPEG decodes as grey garbage in ImageIO: it must be refused (fail closed)
        byte[] cut = Arrays.copyOf(out.toByteArray(), out.size() * 9 / 10);
        assertThatThrownBy(() -> Image8.decode(cut))
                .isInstanceOfSatisfying(Image8.DecodeException.class,
                        e -> assertThat(e.reason()).isEqualTo("truncated-image"));
    }

    @Test
    void badInputGivesClearErrorsWithReasons() {
        assertThatThrownBy(() -> Image8.decode(new byte[0]))
                .isInstanceOfSatisfying(Image8.DecodeException.class,
                        e -> assertThat(e.reason()).isEqualTo("empty-payload"))
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> Image8.decode("hello, not an image".getBytes()))
                .isInstanceOfSatisfying(Image8.DecodeException.class,
                        e -> assertThat(e.reason()).isEqualTo("unsupported-format"));
        byte[] png = SyntheticImages.natural(5, 64, 64, 3).encodePng();
        assertThatThrownBy(() -> Image8.decode(Arrays.copyOf(png, png.length / 2)))
                .isInstanceOfSatisfying(Image8.DecodeException.class,
                        e -> assertThat(e.reason()).isIn("truncated-image", "corrupt-image"));
        assertThatThrownBy(() -> Image8.decode(png, 1000))
                .isInstanceOfSatisfying(Image8.DecodeException.class,
                        e -> assertThat(e.reason()).isEqualTo("image-too-large"))
                .hasMessageContaining("64x64");
        assertThatThrownBy(() -> Image8.of(0, 5, 3, new byte[0])).hasMessageContaining("empty");
        assertThatThrownBy(() -> Image8.of(2, 2, 3, new byte[5])).hasMessageContaining("needs 12");
    }

    @Test
    void largeAndOddImagesAreProtected() {
        for (int[] s : new int[][] {{1024, 768, 3}, {17, 45, 1}, {45, 17, 3}}) {
            Image8 img = SyntheticImages.natural(s[0], s[0], s[1], s[2]);
            ProtectedResult r = protector.protect(img, 9, "big");
            assertThat(r.image().width()).isEqualTo(s[0]);
            assertThat(r.image().height()).isEqualTo(s[1]);
            assertThat(r.delivered().requestedL2())
                    .isCloseTo(Math.sqrt(s[0] * s[1] * s[2] / 3072.0), org.assertj.core.api.Assertions.within(1e-6));
            assertThat(r.delivered().deliveredL2()).isPositive();
        }
    }
}
