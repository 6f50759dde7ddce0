package io.scrapeguard.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class Image8Test {
    @Test
    void pngRoundTripsForRgbAndGrey() throws Exception {
        Image8 rgb = SyntheticImages.natural(1, 17, 45, 3);
        assertThat(ImageCodec.decode(rgb.encodePng())).isEqualTo(rgb);
        Image8 grey = SyntheticImages.natural(2, 45, 17, 1);
        Image8 back = ImageCodec.decode(grey.encodePng());
        assertThat(back.channels()).isEqualTo(1);
        assertThat(back).isEqualTo(grey);
    }

    @Test
    void alphaIsKeptAsideAndReattached() throws Exception {
        Image8 rgb = SyntheticImages.natural(3, 20, 10, 3);
        byte[] alpha = new byte[200];
        for (int i = 0; i < alpha.length; i++) {
            alpha[i] = (byte) (i % 256);
        }
        Image8 rgba = Image8.of(20, 10, 3, rgb.pixels(), alpha);
        Image8 decoded = ImageCodec.decode(rgba.encodePng());
        assertThat(decoded.hasAlpha()).isTrue();
        assertThat(decoded.alpha()).isEqualTo(alpha);
        assertThat(decoded.pixels()).isEqualTo(rgb.pixels());

        Image8 greyAlpha = Image8.of(20, 10, 1, Arrays.copyOf(rgb.pixels(), 200), alpha);
        Image8 ga = ImageCodec.decode(greyAlpha.encodePng());
        assertThat(ga.channels()).isEqualTo(1);
        assertThat(ga.alpha()).isEqualTo(alpha);
        assertThat(ga).isEqualTo(greyAlpha);
    }

    @Test
    void decodesJpegAsColour() throws Exception {
        BufferedImage bi = SyntheticImages.natural(4, 64, 48, 3).toBufferedImage();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(bi, "jpg", out);
        Image8 img = ImageCodec.decode(out.toByteArray());
        assertThat(img.width()).isEqualTo(64);
        assertThat(img.height()).isEqualTo(48);
        assertThat(img.channels()).isEqualTo(3);
        // a cut JPEG decodes as grey garbage in ImageIO: it must be refused (fail closed)
        byte[] cut = Arrays.copyOf(out.toByteArray(), out.size() * 9 / 10);
        assertThatThrownBy(() -> ImageCodec.decode(cut))
                .isInstanceOfSatisfying(
                        ImageRejectedException.class,
                        e -> assertThat(e.reason().tag()).isEqualTo("truncated-image"));
    }

    @Test
    void badInputGivesClearErrorsWithReasons() throws Exception {
        assertThatThrownBy(() -> ImageCodec.decode(new byte[0]))
                .isInstanceOfSatisfying(
                        ImageRejectedException.class,
                        e -> assertThat(e.reason().tag()).isEqualTo("empty-payload"))
                .hasMessageContaining("no bytes");
        assertThatThrownBy(() -> ImageCodec.decode("hello, not an image".getBytes()))
                .isInstanceOfSatisfying(
                        ImageRejectedException.class,
                        e -> assertThat(e.reason().tag()).isEqualTo("unsupported-format"));
        byte[] png = SyntheticImages.natural(5, 64, 64, 3).encodePng();
        assertThatThrownBy(() -> ImageCodec.decode(Arrays.copyOf(png, png.length / 2)))
                .isInstanceOfSatisfying(
                        ImageRejectedException.class,
                        e -> assertThat(e.reason().tag()).isIn("truncated-image", "corrupt-image"));
        assertThatThrownBy(() -> ImageCodec.decode(png, new ImageLimits(1000, 1 << 20)))
                .isInstanceOfSatisfying(
                        ImageRejectedException.class,
                        e -> assertThat(e.reason().tag()).isEqualTo("image-too-large"))
                .hasMessageContaining("64x64");
        assertThatThrownBy(() -> Image8.of(0, 5, 3, new byte[0])).hasMessageContaining("empty");
        assertThatThrownBy(() -> Image8.of(2, 2, 3, new byte[5])).hasMessageContaining("needs 12");
    }
}
