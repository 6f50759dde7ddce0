package io.scrapeguard.imaging.scraper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scrapeguard.imaging.Image8;
import io.scrapeguard.imaging.SyntheticImages;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScraperPipelineTest {

    @Test
    void specsParseToNamedStepsAndBadOnesSayWhatIsExpected() {
        ScraperPipeline p = ScraperPipeline.parse("resize:224+jpeg:95");
        assertThat(p.name()).isEqualTo("resize:224+jpeg:95");
        assertThat(p.steps())
                .containsExactly(new ScraperStep.Resize(224), new ScraperStep.Jpeg(95));
        assertThat(p.resolution()).isEqualTo(224);
        assertThat(ScraperPipeline.parse("native").steps()).isEmpty();
        assertThat(ScraperPipeline.parse("native").resolutionFor(128)).isEqualTo(128);
        assertThat(ScraperPipeline.parse(" GRAY ").name()).isEqualTo("gray");
        assertThat(ScraperPipeline.parse("crop:0.08").steps())
                .containsExactly(new ScraperStep.Crop(0.08));
        for (String bad :
                new String[] {
                    "",
                    "jpeg",
                    "jpeg:0",
                    "jpeg:101",
                    "resize:x",
                    "blur:3",
                    "gray:2",
                    "crop:0",
                    "crop:1.5"
                }) {
            assertThatThrownBy(() -> ScraperPipeline.parse(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> ScraperPipeline.parse("blur:3"))
                .hasMessageContaining("native, jpeg:Q, resize:R, gray, crop:F or unwave");
        assertThat(ScraperPipeline.parse("unwave+jpeg:95").steps())
                .containsExactly(new ScraperStep.Unwave(), new ScraperStep.Jpeg(95));
        assertThatThrownBy(() -> ScraperPipeline.parse("unwave:1"))
                .hasMessageContaining("takes no argument");
    }

    @Test
    void theBuiltInSetAddsImg2datasetOnlyForImagesLargerThanItsResolution() {
        List<String> small =
                ScraperPipeline.builtIn(128).stream().map(ScraperPipeline::name).toList();
        assertThat(small)
                .containsExactly("native", "jpeg:95", "jpeg:75", "resize:32", "resize:64", "gray");
        assertThat(ScraperPipeline.builtIn(512).stream().map(ScraperPipeline::name))
                .contains("resize:224+jpeg:95");
    }

    @Test
    void bicubicResizeMatchesPillow() {
        // Pillow 12.3: Image.new('L', (37, 23)) with (x*7 + y*13 + (x*y) % 11 * 9) % 256,
        // .resize((9, 6), Image.BICUBIC)
        int w = 37;
        int h = 23;
        byte[] px = new byte[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                px[y * w + x] = (byte) ((x * 7 + y * 13 + (x * y) % 11 * 9) % 256);
            }
        }
        int[] pillow = {
            53, 100, 125, 150, 188, 185, 142, 82, 95, 120, 160, 178, 189, 137, 115, 68, 64, 87, 175,
            206, 195, 122, 67, 54, 90, 109, 143, 179, 140, 92, 92, 85, 96, 136, 173, 166, 103, 63,
            65, 103, 140, 158, 195, 180, 139, 73, 86, 105, 151, 174, 168, 138, 149, 101
        };
        Image8 out = Resample.bicubic(Image8.of(w, h, 1, px), 9, 6);
        for (int i = 0; i < pillow.length; i++) {
            assertThat(out.pixelArray()[i] & 0xFF)
                    .as("pixel %d", i)
                    .isCloseTo(pillow[i], org.assertj.core.api.Assertions.within(1));
        }
    }

    @Test
    void resizeTakesTheShortSideThenACenterCrop() {
        Image8 wide = SyntheticImages.natural(1, 160, 90, 3);
        Image8 out = ScraperPipeline.parse("resize:32").apply(wide, 7);
        assertThat(out.width()).isEqualTo(32);
        assertThat(out.height()).isEqualTo(32);
        assertThat(out.channels()).isEqualTo(3);
        // antialiased: a one-pixel checkerboard shrinks to grey, not to a sampled pattern
        byte[] board = new byte[128 * 128];
        for (int i = 0; i < board.length; i++) {
            board[i] = (byte) (((i % 128) + (i / 128)) % 2 == 0 ? 0 : 255);
        }
        Image8 grey = ScraperPipeline.parse("resize:32").apply(Image8.of(128, 128, 1, board), 0);
        for (byte b : grey.pixelArray()) {
            assertThat(b & 0xFF).isBetween(120, 135);
        }
    }

    @Test
    void theSameSeedGivesTheSameTransformForOriginalAndProtectedCopy() {
        Image8 img = SyntheticImages.natural(2, 64, 64, 3);
        ScraperPipeline crop = ScraperPipeline.parse("crop:0.08+jpeg:90");
        assertThat(crop.apply(img, 42)).isEqualTo(crop.apply(img, 42));
        assertThat(crop.apply(img, 42)).isNotEqualTo(crop.apply(img, 43));
        assertThat(crop.apply(img, 42).width()).isEqualTo(64);
    }

    @Test
    void grayKeepsTheShapeWithEqualChannels() {
        Image8 img = SyntheticImages.natural(3, 20, 10, 3);
        Image8 g = ScraperPipeline.parse("gray").apply(img, 0);
        assertThat(g.channels()).isEqualTo(3);
        byte[] px = g.pixelArray();
        for (int i = 0; i < px.length; i += 3) {
            assertThat(px[i]).isEqualTo(px[i + 1]).isEqualTo(px[i + 2]);
        }
        // ITU-R 601 luma of the first pixel
        byte[] o = img.pixelArray();
        int l = ((o[0] & 0xFF) * 299 + (o[1] & 0xFF) * 587 + (o[2] & 0xFF) * 114 + 500) / 1000;
        assertThat(px[0] & 0xFF).isEqualTo(l);
    }

    @Test
    void jpegRemovesFineDetailButKeepsTheImage() {
        Image8 img = SyntheticImages.natural(4, 64, 64, 3);
        Image8 q95 = ScraperPipeline.parse("jpeg:95").apply(img, 0);
        Image8 q30 = ScraperPipeline.parse("jpeg:30").apply(img, 0);
        assertThat(io.scrapeguard.imaging.ImageQuality.psnr(img, q95))
                .isGreaterThan(io.scrapeguard.imaging.ImageQuality.psnr(img, q30))
                .isGreaterThan(30);
    }
}
