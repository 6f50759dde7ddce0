package io.scrapeguard.imaging;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.CRC32;

/** Images the tests generate: real-looking (smooth, mid-range) pictures and planted bad ones. */
public final class TestImages {
    private TestImages() {}

    /** A smooth RGB picture with texture, seeded, pixel values kept off 0/255 mostly. */
    public static Image8 picture(int w, int h, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double fx = 0.05 + rnd.nextDouble() * 0.3;
        double fy = 0.05 + rnd.nextDouble() * 0.3;
        int[] base = {40 + rnd.nextInt(170), 40 + rnd.nextInt(170), 40 + rnd.nextInt(170)};
        byte[] px = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    double v =
                            base[c]
                                    + 30 * Math.sin(fx * x + c) * Math.cos(fy * y)
                                    + rnd.nextInt(9)
                                    - 4;
                    px[(y * w + x) * 3 + c] = (byte) Math.max(0, Math.min(255, Math.round(v)));
                }
            }
        }
        return Image8.of(w, h, 3, px, null);
    }

    public static byte[] png(int w, int h, long seed) {
        return ImageCodec.encodePng(picture(w, h, seed));
    }

    public static byte[] jpeg(int w, int h, long seed) {
        return ImageCodec.encodeJpeg(picture(w, h, seed), 92);
    }

    /** A PNG whose compressed pixel data is overwritten with garbage (header intact). */
    public static byte[] corruptPng(int w, int h, long seed) {
        byte[] b = png(w, h, seed);
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 45; i < b.length - 16; i++) {
            b[i] = (byte) rnd.nextInt(256);
        }
        return b;
    }

    /** A JPEG cut in the middle of its scan data. */
    public static byte[] truncatedJpeg(int w, int h, long seed) {
        byte[] b = jpeg(w, h, seed);
        return Arrays.copyOf(b, b.length * 2 / 3);
    }

    /** A tiny file whose PNG header says 60,000 x 60,000 pixels (a decompression bomb). */
    public static byte[] bombPngHeader() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
            ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
            DataOutputStream d = new DataOutputStream(ihdr);
            d.writeInt(60_000);
            d.writeInt(60_000);
            d.write(new byte[] {8, 2, 0, 0, 0});
            chunk(out, "IHDR", ihdr.toByteArray());
            chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
            chunk(out, "IEND", new byte[0]);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A small 1x1 PNG with a second IHDR saying 12000x12000: the probe reads the first, a decoder
     * that trusted the second would allocate 432 MB.
     */
    public static byte[] doubleIhdrPng() {
        try {
            byte[] small = png(1, 1, 1);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            bytes.write(small, 0, 33); // signature and the first IHDR
            ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
            DataOutputStream d = new DataOutputStream(ihdr);
            d.writeInt(12_000);
            d.writeInt(12_000);
            d.write(new byte[] {8, 2, 0, 0, 0});
            chunk(new DataOutputStream(bytes), "IHDR", ihdr.toByteArray());
            bytes.write(small, 33, small.length - 33); // IDAT, IEND
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A progressive JPEG whose last scan is repeated {@code repeats} times: each repeat is a few
     * bytes, and each costs a pass over every pixel to decode (a "scan bomb").
     */
    public static byte[] jpegScanBomb(int w, int h, int repeats) {
        byte[] jpeg = progressiveJpeg(picture(w, h, 5));
        int lastScan = -1;
        for (int i = 2; i + 1 < jpeg.length; i++) {
            if ((jpeg[i] & 0xff) == 0xFF && (jpeg[i + 1] & 0xff) == 0xDA) {
                lastScan = i;
            }
        }
        int eoi = jpeg.length - 2;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, eoi);
        for (int r = 0; r < repeats; r++) {
            out.write(jpeg, lastScan, eoi - lastScan);
        }
        out.write(jpeg, eoi, 2);
        return out.toByteArray();
    }

    /** JPEG in progressive mode (the JDK's default progression: several scans). */
    public static byte[] progressiveJpeg(Image8 img) {
        javax.imageio.ImageWriter writer =
                javax.imageio.ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (javax.imageio.stream.ImageOutputStream out =
                new javax.imageio.stream.MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
            param.setProgressiveMode(javax.imageio.ImageWriteParam.MODE_DEFAULT);
            writer.write(
                    null, new javax.imageio.IIOImage(img.toBufferedImage(), null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeInt(data.length);
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeInt((int) crc.getValue());
    }

    /** A JPEG carrying an EXIF block with GPS coordinates and a camera owner's name. */
    public static byte[] jpegWithExif(int w, int h, long seed) {
        byte[] jpeg = jpeg(w, h, seed);
        byte[] payload =
                "Exif\0\0MM\0*GPSLatitude=48.8584N GPSLongitude=2.2945E Owner=Alice Example"
                        .getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2); // SOI
        out.write(0xFF);
        out.write(0xE1); // APP1
        int len = payload.length + 2;
        out.write(len >> 8);
        out.write(len & 0xff);
        out.write(payload, 0, payload.length);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    /**
     * A {@code w}x{@code h} grey picture with a white block in its stored top-left corner (a
     * quarter of each side), as a JPEG tagged with EXIF {@code orientation} (1..8), big-endian or
     * little-endian TIFF: where the block shows after decoding tells which turn was applied.
     */
    public static byte[] jpegWithOrientation(int w, int h, int orientation, boolean littleEndian) {
        byte[] px = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean marked = x < w / 4 && y < h / 4;
                Arrays.fill(px, (y * w + x) * 3, (y * w + x) * 3 + 3, (byte) (marked ? 250 : 60));
            }
        }
        byte[] jpeg = ImageCodec.encodeJpeg(Image8.of(w, h, 3, px), 95);
        java.nio.ByteBuffer tiff = java.nio.ByteBuffer.allocate(26);
        tiff.order(littleEndian ? java.nio.ByteOrder.LITTLE_ENDIAN : java.nio.ByteOrder.BIG_ENDIAN);
        tiff.put((byte) (littleEndian ? 'I' : 'M')).put((byte) (littleEndian ? 'I' : 'M'));
        tiff.putShort((short) 42).putInt(8); // magic, IFD0 right after the header
        tiff.putShort((short) 1); // one entry: Orientation, SHORT, count 1, value
        tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1);
        tiff.putShort((short) orientation).putShort((short) 0);
        tiff.putInt(0); // no next IFD
        byte[] payload = new byte[6 + 26];
        System.arraycopy("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1), 0, payload, 0, 6);
        System.arraycopy(tiff.array(), 0, payload, 6, 26);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2); // SOI
        out.write(0xFF);
        out.write(0xE1); // APP1
        out.write((payload.length + 2) >> 8);
        out.write((payload.length + 2) & 0xff);
        out.write(payload, 0, payload.length);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    public static boolean contains(byte[] haystack, String needle) {
        byte[] n = needle.getBytes(StandardCharsets.ISO_8859_1);
        outer:
        for (int i = 0; i + n.length <= haystack.length; i++) {
            for (int k = 0; k < n.length; k++) {
                if (haystack[i + k] != n[k]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
