package io.scrapeguard.imaging;

/**
 * Reads an image's format and dimensions from its first bytes (PNG IHDR, JPEG SOF), checks them
 * against {@link ImageLimits}, and checks that the file is complete (PNG ends with IEND, JPEG with
 * EOI): a decoder would otherwise quietly return a half-grey truncated image. Nothing is decoded,
 * so a 60,000 x 60,000 header costs nothing.
 */
public final class ImageProbe {
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final byte[] IEND = {
        0, 0, 0, 0, 'I', 'E', 'N', 'D', (byte) 0xAE, 0x42, 0x60, (byte) 0x82
    };

    private ImageProbe() {}

    /** Header and completeness check, then the limits. */
    public static ImageHeader probe(byte[] bytes, ImageLimits limits)
            throws ImageRejectedException {
        if (bytes == null || bytes.length == 0) {
            throw new ImageRejectedException(RejectReason.EMPTY_PAYLOAD, "the image has no bytes");
        }
        if (bytes.length > limits.maxBytes()) {
            throw new ImageRejectedException(
                    RejectReason.IMAGE_TOO_LARGE,
                    "the image has "
                            + bytes.length
                            + " bytes, over the limit of "
                            + limits.maxBytes());
        }
        ImageHeader header = header(bytes);
        if (header.pixels() > limits.maxPixels()) {
            throw new ImageRejectedException(
                    RejectReason.IMAGE_TOO_LARGE,
                    "the image is "
                            + header.width()
                            + "x"
                            + header.height()
                            + " ("
                            + header.pixels()
                            + " pixels), over the limit of "
                            + limits.maxPixels()
                            + " pixels");
        }
        checkComplete(header.format(), bytes);
        if (header.format() == ImageFormat.PNG) {
            checkSingleHeader(bytes);
        } else {
            checkScans(bytes, header);
        }
        return header;
    }

    /**
     * A PNG has one IHDR: a second one, read by a decoder after the probe checked the first, would
     * size the pixel buffer unchecked (1x1 then 12000x12000).
     */
    private static void checkSingleHeader(byte[] b) throws ImageRejectedException {
        int pos = 8;
        int headers = 0;
        while (pos + 8 <= b.length) {
            long len = u32(b, pos);
            if (b[pos + 4] == 'I'
                    && b[pos + 5] == 'H'
                    && b[pos + 6] == 'D'
                    && b[pos + 7] == 'R'
                    && ++headers > 1) {
                throw new ImageRejectedException(
                        RejectReason.CORRUPT_IMAGE, "the PNG has a second IHDR chunk");
            }
            if (b[pos + 4] == 'I' && b[pos + 5] == 'E' && b[pos + 6] == 'N' && b[pos + 7] == 'D') {
                return;
            }
            pos += 12 + (int) Math.min(len, b.length); // data + type, length and CRC
        }
    }

    /**
     * A progressive JPEG's decoding time grows with its number of scans times its pixels, and
     * nothing bounds the scans but the file size: 3,000 repeats of one small scan over 3000x3000
     * take a minute. Counted from the markers, so the check costs one pass over the bytes, whatever
     * the machine.
     */
    private static void checkScans(byte[] b, ImageHeader header) throws ImageRejectedException {
        int scans = jpegScans(b);
        long work = (long) scans * header.pixels();
        if (scans > ImageLimits.MAX_JPEG_SCANS || work > ImageLimits.MAX_JPEG_SCAN_PIXELS) {
            throw new ImageRejectedException(
                    RejectReason.IMAGE_TOO_EXPENSIVE,
                    "the JPEG has "
                            + scans
                            + " scans over "
                            + header.pixels()
                            + " pixels (at most "
                            + ImageLimits.MAX_JPEG_SCANS
                            + " scans and "
                            + ImageLimits.MAX_JPEG_SCAN_PIXELS
                            + " scan-pixels are decoded)");
        }
    }

    /** The number of SOS markers: segments are skipped by length, entropy data to its marker. */
    static int jpegScans(byte[] b) {
        int scans = 0;
        int i = 2;
        while (i + 1 < b.length) {
            if ((b[i] & 0xff) != 0xFF) {
                i++; // inside entropy-coded data
                continue;
            }
            int marker = b[i + 1] & 0xff;
            if (marker == 0x00 || marker == 0xFF || (marker >= 0xD0 && marker <= 0xD7)) {
                i += marker == 0xFF ? 1 : 2; // stuffed byte, fill byte or restart marker
                continue;
            }
            if (marker == 0xD9 || i + 3 >= b.length) {
                return scans;
            }
            if (marker == 0xDA) {
                scans++;
            }
            i += 2 + (((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff)); // the segment's header
        }
        return scans;
    }

    /** Format and dimensions only (no limits, no completeness check). */
    public static ImageHeader header(byte[] bytes) throws ImageRejectedException {
        if (bytes == null || bytes.length == 0) {
            throw new ImageRejectedException(RejectReason.EMPTY_PAYLOAD, "the image has no bytes");
        }
        if (startsWith(bytes, PNG_MAGIC)) {
            return pngHeader(bytes);
        }
        if (bytes.length >= 3
                && (bytes[0] & 0xff) == 0xFF
                && (bytes[1] & 0xff) == 0xD8
                && (bytes[2] & 0xff) == 0xFF) {
            return jpegHeader(bytes);
        }
        throw new ImageRejectedException(
                RejectReason.UNSUPPORTED_FORMAT,
                "not a PNG or JPEG image (first bytes " + hex(bytes, 8) + ")");
    }

    private static ImageHeader pngHeader(byte[] b) throws ImageRejectedException {
        // signature (8) + IHDR length (4) + "IHDR" (4) + width (4) + height (4) + depth + color
        if (b.length < 33) {
            throw new ImageRejectedException(
                    RejectReason.TRUNCATED_IMAGE, "the PNG ends inside its header");
        }
        if (b[12] != 'I' || b[13] != 'H' || b[14] != 'D' || b[15] != 'R') {
            throw new ImageRejectedException(
                    RejectReason.CORRUPT_IMAGE, "the PNG does not start with an IHDR chunk");
        }
        long width = u32(b, 16);
        long height = u32(b, 20);
        int colorType = b[25] & 0xff;
        int channels =
                switch (colorType) {
                    case 0 -> 1;
                    case 2, 3 -> 3;
                    case 4 -> 2;
                    case 6 -> 4;
                    default ->
                            throw new ImageRejectedException(
                                    RejectReason.CORRUPT_IMAGE,
                                    "the PNG has color type " + colorType);
                };
        return dims(ImageFormat.PNG, width, height, channels);
    }

    private static ImageHeader jpegHeader(byte[] b) throws ImageRejectedException {
        int i = 2;
        while (true) {
            // skip fill bytes, find the next marker
            while (i < b.length && (b[i] & 0xff) != 0xFF) {
                i++;
            }
            while (i < b.length && (b[i] & 0xff) == 0xFF) {
                i++;
            }
            if (i >= b.length) {
                throw new ImageRejectedException(
                        RejectReason.TRUNCATED_IMAGE, "the JPEG ends before its frame header");
            }
            int marker = b[i] & 0xff;
            i++;
            if (marker == 0xD9 || marker == 0xDA) {
                throw new ImageRejectedException(
                        RejectReason.CORRUPT_IMAGE, "the JPEG has no frame header (SOF)");
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                continue; // markers without a length
            }
            if (i + 2 > b.length) {
                throw new ImageRejectedException(
                        RejectReason.TRUNCATED_IMAGE, "the JPEG ends inside a segment header");
            }
            int length = ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
            boolean sof =
                    marker >= 0xC0
                            && marker <= 0xCF
                            && marker != 0xC4
                            && marker != 0xC8
                            && marker != 0xCC;
            if (sof) {
                if (i + 8 > b.length) {
                    throw new ImageRejectedException(
                            RejectReason.TRUNCATED_IMAGE, "the JPEG ends inside its frame header");
                }
                int height = ((b[i + 3] & 0xff) << 8) | (b[i + 4] & 0xff);
                int width = ((b[i + 5] & 0xff) << 8) | (b[i + 6] & 0xff);
                int components = b[i + 7] & 0xff;
                return dims(ImageFormat.JPEG, width, height, components);
            }
            if (length < 2) {
                throw new ImageRejectedException(
                        RejectReason.CORRUPT_IMAGE, "the JPEG has a segment of length " + length);
            }
            i += length;
        }
    }

    private static ImageHeader dims(ImageFormat f, long width, long height, int channels)
            throws ImageRejectedException {
        if (width <= 0 || height <= 0 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
            throw new ImageRejectedException(
                    RejectReason.CORRUPT_IMAGE,
                    "the " + f + " header says " + width + "x" + height + " pixels");
        }
        if (channels < 1 || channels > 4) {
            throw new ImageRejectedException(
                    RejectReason.UNSUPPORTED_FORMAT,
                    "the " + f + " image has " + channels + " channels (1 to 4 supported)");
        }
        return new ImageHeader(f, (int) width, (int) height, channels);
    }

    private static void checkComplete(ImageFormat format, byte[] b) throws ImageRejectedException {
        int end = b.length;
        if (format == ImageFormat.PNG) {
            // a PNG may carry trailing bytes after IEND; look for IEND near the end
            int from = Math.max(8, end - 4096);
            for (int i = end - IEND.length; i >= from; i--) {
                if (matchesAt(b, i, IEND)) {
                    return;
                }
            }
            throw new ImageRejectedException(
                    RejectReason.TRUNCATED_IMAGE, "the PNG is truncated (no IEND chunk)");
        }
        while (end > 2 && b[end - 1] == 0) {
            end--; // zero padding after EOI is common and harmless
        }
        if (end < 4 || (b[end - 2] & 0xff) != 0xFF || (b[end - 1] & 0xff) != 0xD9) {
            throw new ImageRejectedException(
                    RejectReason.TRUNCATED_IMAGE, "the JPEG is truncated (no end-of-image marker)");
        }
    }

    private static boolean startsWith(byte[] b, byte[] prefix) {
        return b.length >= prefix.length && matchesAt(b, 0, prefix);
    }

    private static boolean matchesAt(byte[] b, int at, byte[] what) {
        for (int k = 0; k < what.length; k++) {
            if (b[at + k] != what[k]) {
                return false;
            }
        }
        return true;
    }

    private static long u32(byte[] b, int at) {
        return ((long) (b[at] & 0xff) << 24)
                | ((b[at + 1] & 0xff) << 16)
                | ((b[at + 2] & 0xff) << 8)
                | (b[at + 3] & 0xff);
    }

    static String hex(byte[] b, int max) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(max, b.length); i++) {
            s.append(String.format("%02x", b[i] & 0xff));
        }
        return s.toString();
    }
}
