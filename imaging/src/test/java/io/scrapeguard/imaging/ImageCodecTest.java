package io.scrapeguard.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ImageCodecTest {
    private static final ImageLimits LIMITS = ImageLimits.DEFAULT;

    @Test
    void pngRoundTripIsLossless() throws Exception {
        Image8 img = TestImages.picture(17, 45, 1);
        Image8 back = ImageCodec.decode(ImageCodec.encodePng(img), LIMITS);
        assertThat(back.width()).isEqualTo(17);
        assertThat(back.height()).isEqualTo(45);
        assertThat(back.pixels()).isEqualTo(img.pixels());
    }

    @Test
    void greyAndAlphaSurviveRoundTrip() throws Exception {
        byte[] grey = new byte[20 * 10];
        byte[] alpha = new byte[20 * 10];
        for (int i = 0; i < grey.length; i++) {
            grey[i] = (byte) (i * 7);
            alpha[i] = (byte) (255 - i);
        }
        Image8 g = Image8.of(20, 10, 1, grey, null);
        assertThat(ImageCodec.decode(ImageCodec.encodePng(g), LIMITS).pixels()).isEqualTo(grey);
        Image8 ga = Image8.of(20, 10, 1, grey, alpha);
        Image8 back = ImageCodec.decode(ImageCodec.encodePng(ga), LIMITS);
        assertThat(back.alpha()).isEqualTo(alpha);
    }

    @Test
    void jpegDecodes() throws Exception {
        Image8 d = ImageCodec.decode(TestImages.jpeg(32, 24, 3), LIMITS);
        assertThat(d.width()).isEqualTo(32);
        assertThat(d.height()).isEqualTo(24);
        assertThat(d.channels()).isEqualTo(3);
    }

    @Test
    void exifAndGpsNeverReachTheOutput() throws Exception {
        byte[] withExif = TestImages.jpegWithExif(32, 32, 4);
        assertThat(TestImages.contains(withExif, "GPSLatitude")).isTrue();
        Image8 d = ImageCodec.decode(withExif, LIMITS);
        byte[] png = ImageCodec.encodePng(d);
        assertThat(TestImages.contains(png, "GPS")).isFalse();
        assertThat(TestImages.contains(png, "Alice")).isFalse();
        assertThat(TestImages.contains(png, "eXIf")).isFalse();
        assertThat(TestImages.contains(png, "tEXt")).isFalse();
        byte[] jpeg = ImageCodec.encodeJpeg(d, 90);
        assertThat(TestImages.contains(jpeg, "GPS")).isFalse();
        assertThat(TestImages.contains(jpeg, "Exif")).isFalse();
    }

    @Test
    void everyBadInputHasItsReason() throws Exception {
        assertReason(new byte[0], RejectReason.EMPTY_PAYLOAD);
        assertReason(
                "GIF89a not supported".getBytes(StandardCharsets.US_ASCII),
                RejectReason.UNSUPPORTED_FORMAT);
        assertReason(TestImages.corruptPng(32, 32, 5), RejectReason.CORRUPT_IMAGE);
        assertReason(TestImages.truncatedJpeg(32, 32, 6), RejectReason.TRUNCATED_IMAGE);
        byte[] png = TestImages.png(32, 32, 7);
        assertReason(java.util.Arrays.copyOf(png, png.length - 20), RejectReason.TRUNCATED_IMAGE);
        assertReason(TestImages.bombPngHeader(), RejectReason.IMAGE_TOO_LARGE);
    }

    @Test
    void byteLimitIsChecked() throws Exception {
        byte[] png = TestImages.png(32, 32, 8);
        assertThatThrownBy(() -> ImageCodec.decode(png, new ImageLimits(1_000_000, png.length - 1)))
                .isInstanceOf(ImageRejectedException.class)
                .satisfies(
                        e ->
                                assertThat(((ImageRejectedException) e).reason())
                                        .isEqualTo(RejectReason.IMAGE_TOO_LARGE))
                .hasMessageContaining("bytes");
    }

    private static void assertReason(byte[] bytes, RejectReason reason) {
        assertThatThrownBy(() -> ImageCodec.decode(bytes, LIMITS))
                .isInstanceOf(ImageRejectedException.class)
                .satisfies(
                        e -> assertThat(((ImageRejectedException) e).reason()).isEqualTo(reason));
    }

    @Test
    void fastPixelPathAgreesWithCoresGeneralConversion() throws Exception {
        java.util.List<byte[]> files = new java.util.ArrayList<>();
        files.add(TestImages.png(33, 17, 20));
        files.add(TestImages.jpeg(40, 24, 21));
        byte[] grey = new byte[30 * 20];
        byte[] alpha = new byte[30 * 20];
        for (int i = 0; i < grey.length; i++) {
            grey[i] = (byte) (i * 13);
            alpha[i] = (byte) (i * 3);
        }
        files.add(ImageCodec.encodePng(Image8.of(30, 20, 1, grey)));
        files.add(ImageCodec.encodePng(Image8.of(30, 20, 1, grey, alpha)));
        files.add(
                ImageCodec.encodePng(
                        Image8.of(
                                30,
                                20,
                                3,
                                TestImages.picture(30, 20, 22).pixels(),
                                alpha.clone())));
        for (byte[] f : files) {
            java.awt.image.BufferedImage img =
                    javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(f));
            Image8 fast = ImageCodec.fastPixels(img);
            assertThat(fast).as("fast path taken for %s", img).isNotNull();
            assertThat(fast).isEqualTo(Image8.fromBufferedImage(img));
        }
    }

    @Test
    void ownPngWriterIsReadByImageIo() throws Exception {
        Image8 img = TestImages.picture(37, 23, 30);
        java.awt.image.BufferedImage back =
                javax.imageio.ImageIO.read(
                        new java.io.ByteArrayInputStream(ImageCodec.encodePng(img)));
        assertThat(Image8.fromBufferedImage(back)).isEqualTo(img);
    }

    @Test
    void fastPngReaderAgreesWithImageIo() throws Exception {
        byte[] grey = new byte[31 * 19];
        byte[] alpha = new byte[31 * 19];
        for (int i = 0; i < grey.length; i++) {
            grey[i] = (byte) (i * 13 + (i / 31) * 7);
            alpha[i] = (byte) (255 - i * 3);
        }
        Image8 rgb = TestImages.picture(31, 19, 40);
        java.util.List<Image8> images =
                java.util.List.of(
                        rgb,
                        Image8.of(31, 19, 3, rgb.pixels(), alpha),
                        Image8.of(31, 19, 1, grey),
                        Image8.of(31, 19, 1, grey, alpha));
        for (Image8 img : images) {
            // our writer (Paeth rows) and ImageIO's (adaptive filters, via core) both
            for (byte[] png : new byte[][] {ImageCodec.encodePng(img), img.encodePng()}) {
                Image8 fast = PngReader.decode(png);
                assertThat(fast).as("fast path for %s", img).isNotNull();
                assertThat(fast)
                        .isEqualTo(
                                Image8.fromBufferedImage(
                                        javax.imageio.ImageIO.read(
                                                new java.io.ByteArrayInputStream(png))));
                assertThat(fast).isEqualTo(img);
            }
        }
    }

    @Test
    void pngWriterKeepsNothingOfThePreviousImage() throws Exception {
        // one thread's buffers are reused: large, small, different channels, large again
        java.util.List<Image8> images =
                java.util.List.of(
                        TestImages.picture(300, 200, 1),
                        TestImages.picture(7, 5, 2),
                        Image8.of(6, 4, 1, new byte[24]),
                        TestImages.picture(300, 200, 3),
                        TestImages.picture(301, 199, 4));
        for (Image8 img : images) {
            byte[] png = ImageCodec.encodePng(img);
            assertThat(
                            Image8.fromBufferedImage(
                                    javax.imageio.ImageIO.read(
                                            new java.io.ByteArrayInputStream(png))))
                    .isEqualTo(img);
            assertThat(PngReader.decode(png)).isEqualTo(img);
        }
    }

    @Test
    void fastPngReaderReadsPixelDataSplitOverManyChunks() throws Exception {
        // ImageIO's writer splits IDAT into 32 KB chunks; noise does not compress below that
        Image8 img = TestImages.picture(400, 300, 5);
        byte[] rgb = img.pixels().clone();
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(6);
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (byte) rnd.nextInt(256);
        }
        Image8 noisy = Image8.of(400, 300, 3, rgb);
        var out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(noisy.toBufferedImage(), "png", out);
        byte[] png = out.toByteArray();
        assertThat(idatChunks(png)).isGreaterThan(3);
        assertThat(PngReader.decode(png)).isEqualTo(noisy);
        // cut inside the last IDAT chunk's data, with a well-formed IEND after it
        byte[] cut = dropTailOfPixelData(png, 1000);
        assertThatThrownBy(() -> PngReader.decode(cut))
                .isInstanceOfSatisfying(
                        ImageRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectReason.TRUNCATED_IMAGE));
    }

    private static int idatChunks(byte[] png) {
        int n = 0;
        for (int pos = 8; pos + 8 <= png.length; ) {
            int len = java.nio.ByteBuffer.wrap(png, pos, 4).getInt();
            if (new String(png, pos + 4, 4, StandardCharsets.US_ASCII).equals("IDAT")) {
                n++;
            }
            pos += 12 + len;
        }
        return n;
    }

    /** The PNG with its last IDAT chunk shortened by {@code drop} bytes (length field fixed). */
    private static byte[] dropTailOfPixelData(byte[] png, int drop) {
        int last = -1;
        for (int pos = 8; pos + 8 <= png.length; ) {
            int len = java.nio.ByteBuffer.wrap(png, pos, 4).getInt();
            if (new String(png, pos + 4, 4, StandardCharsets.US_ASCII).equals("IDAT")) {
                last = pos;
            }
            pos += 12 + len;
        }
        int len = java.nio.ByteBuffer.wrap(png, last, 4).getInt();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(png, 0, last);
        out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt(len - drop).array());
        out.write(png, last + 4, 4 + len - drop);
        out.writeBytes(new byte[4]); // CRC: the reader does not check it
        out.write(png, last + 12 + len, png.length - (last + 12 + len));
        return out.toByteArray();
    }
}
