package io.scrapeguard.imaging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A JPEG stored sideways with an EXIF orientation decodes upright, as viewers show it. */
class ExifOrientationTest {
    private static final int W = 48;
    private static final int H = 32;

    /** Which corner the stored top-left block shows in, for each orientation (EXIF 2.32 4.6.4). */
    @ParameterizedTest(name = "orientation {0}: block {1}, {2}x{3}")
    @CsvSource({
        "1, top-left, 48, 32",
        "2, top-right, 48, 32",
        "3, bottom-right, 48, 32",
        "4, bottom-left, 48, 32",
        "5, top-left, 32, 48",
        "6, top-right, 32, 48",
        "7, bottom-right, 32, 48",
        "8, bottom-left, 32, 48"
    })
    void theDecodedImageIsUpright(int orientation, String corner, int width, int height)
            throws Exception {
        for (boolean little : new boolean[] {false, true}) {
            byte[] jpeg = TestImages.jpegWithOrientation(W, H, orientation, little);
            assertThat(ExifOrientation.read(jpeg)).isEqualTo(orientation);
            Image8 upright = ImageCodec.decode(jpeg, ImageLimits.DEFAULT);
            assertThat(upright.width()).isEqualTo(width);
            assertThat(upright.height()).isEqualTo(height);
            assertThat(brightCorner(upright)).as("little-endian %s", little).isEqualTo(corner);
        }
    }

    @Test
    void garbageOrNoExifLeavesTheImageAsStored() throws Exception {
        assertThat(ExifOrientation.read(TestImages.jpeg(20, 10, 1)))
                .isEqualTo(ExifOrientation.NORMAL);
        // an APP1 that says Exif but holds no TIFF structure
        byte[] garbage = TestImages.jpegWithExif(20, 10, 1);
        assertThat(ExifOrientation.read(garbage)).isEqualTo(ExifOrientation.NORMAL);
        assertThat(ImageCodec.decode(garbage, ImageLimits.DEFAULT).width()).isEqualTo(20);
        // an orientation out of range is ignored, not an error
        assertThat(ExifOrientation.read(TestImages.jpegWithOrientation(W, H, 9, false)))
                .isEqualTo(ExifOrientation.NORMAL);
        // cut inside the APP1 segment: read within bounds, nothing thrown
        byte[] cut = java.util.Arrays.copyOf(TestImages.jpegWithOrientation(W, H, 6, true), 30);
        assertThat(ExifOrientation.read(cut)).isEqualTo(ExifOrientation.NORMAL);
    }

    @Test
    void alphaTurnsWithThePixels() {
        byte[] px = {1, 2, 3, 4, 5, 6}; // 3x2 grey
        byte[] alpha = {10, 20, 30, 40, 50, 60};
        Image8 turned = ExifOrientation.apply(Image8.of(3, 2, 1, px, alpha), 6);
        assertThat(turned.width()).isEqualTo(2);
        assertThat(turned.height()).isEqualTo(3);
        assertThat(turned.pixels()).containsExactly(4, 1, 5, 2, 6, 3);
        assertThat(turned.alpha()).containsExactly(40, 10, 50, 20, 60, 30);
    }

    private static String brightCorner(Image8 img) {
        int w = img.width();
        int h = img.height();
        String best = null;
        int bestValue = -1;
        int[][] corners = {{2, 2}, {w - 3, 2}, {w - 3, h - 3}, {2, h - 3}};
        String[] names = {"top-left", "top-right", "bottom-right", "bottom-left"};
        for (int k = 0; k < 4; k++) {
            int v = img.sample(corners[k][1], corners[k][0], 0);
            if (v > bestValue) {
                bestValue = v;
                best = names[k];
            }
        }
        assertThat(bestValue).as("the block is bright").isGreaterThan(200);
        return best;
    }
}
