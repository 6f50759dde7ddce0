package io.scrapeguard.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** Files built to cost the decoder more than their size: each is refused before it costs. */
class HostileImageTest {

    @Test
    void aSecondIhdrIsCorruptAndNothingIsAllocatedForIt() {
        byte[] png = TestImages.doubleIhdrPng();
        assertThat(png.length).isLessThan(200);

        long before = allocated();
        ImageRejectedException e =
                catchThrowableOfType(ImageRejectedException.class, () -> ImageCodec.decode(png));
        long cost = allocated() - before;

        assertThat(e.reason()).isEqualTo(RejectReason.CORRUPT_IMAGE);
        assertThat(e).hasMessageContaining("second IHDR");
        assertThat(cost).as("bytes allocated").isLessThan(8L << 20);
    }

    @Test
    void theFastPngReaderRefusesASecondIhdrOnItsOwn() {
        ImageRejectedException e =
                catchThrowableOfType(
                        ImageRejectedException.class,
                        () -> PngReader.decode(TestImages.doubleIhdrPng()));
        assertThat(e.reason()).isEqualTo(RejectReason.CORRUPT_IMAGE);
    }

    @Test
    void scansAreCountedFromTheMarkers() {
        Image8 picture = TestImages.picture(48, 40, 3);
        byte[] baseline = ImageCodec.encodeJpeg(picture, 90);
        byte[] progressive = TestImages.progressiveJpeg(picture);
        int scans = ImageProbe.jpegScans(progressive);

        assertThat(ImageProbe.jpegScans(baseline)).isEqualTo(1);
        assertThat(scans).isBetween(2, 12);
        assertThat(ImageProbe.jpegScans(TestImages.jpegScanBomb(48, 40, 500)))
                .isEqualTo(scans + 500);
    }

    @Test
    void anOrdinaryProgressiveJpegDecodesAndAScanBombIsTooExpensive() throws Exception {
        Image8 picture = TestImages.picture(48, 40, 3);
        Image8 decoded = ImageCodec.decode(TestImages.progressiveJpeg(picture));
        byte[] bomb = TestImages.jpegScanBomb(48, 40, ImageLimits.MAX_JPEG_SCANS);

        ImageRejectedException e =
                catchThrowableOfType(ImageRejectedException.class, () -> ImageCodec.decode(bomb));

        assertThat(decoded.width()).isEqualTo(48);
        assertThat(e.reason()).isEqualTo(RejectReason.IMAGE_TOO_EXPENSIVE);
        assertThat(e).hasMessageContaining("scans");
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getCurrentThreadAllocatedBytes();
    }
}
