package io.scrapeguard.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ImageLimitsTest {
    private static final long MIB = 1L << 20;

    @Test
    void theHeapBoundsThePixelLimitPerStreamThread() {
        long one = ImageLimits.pixelsHeapAllows(512 * MIB, 1);
        // 512 MiB protects a few megapixels on one thread, half as many on each of two
        assertThat(one).isBetween(5_000_000L, 9_000_000L);
        assertThat(ImageLimits.pixelsHeapAllows(512 * MIB, 2)).isBetween(one / 2 - 1, one / 2);
        // a generous heap keeps the configured limit; a small one lowers it
        assertThat(ImageLimits.DEFAULT.cappedForHeap(16_384 * MIB, 2))
                .isSameAs(ImageLimits.DEFAULT);
        ImageLimits capped = ImageLimits.DEFAULT.cappedForHeap(512 * MIB, 2);
        assertThat(capped.maxPixels()).isLessThan(ImageLimits.DEFAULT_MAX_PIXELS);
        assertThat(capped.maxBytes()).isEqualTo(ImageLimits.DEFAULT_MAX_BYTES);
        // a configured limit below what the heap allows stays as configured
        ImageLimits strict = new ImageLimits(1_000_000, 1_000_000);
        assertThat(strict.cappedForHeap(512 * MIB, 2)).isSameAs(strict);
        assertThatThrownBy(() -> ImageLimits.pixelsHeapAllows(512 * MIB, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
