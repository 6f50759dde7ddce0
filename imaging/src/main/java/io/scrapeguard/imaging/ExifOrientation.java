package io.scrapeguard.imaging;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

/**
 * The EXIF Orientation tag of a JPEG (APP1, IFD0 tag 0x0112) and the turn that makes the image
 * upright. Published images are built from pixels only, so an upload whose camera stored it
 * sideways with a tag would otherwise be published sideways; it is turned before perturbing. Reads
 * only within the APP1 segment: a malformed block means "no orientation", never an error.
 */
public final class ExifOrientation {
    /** Stored as displayed. */
    public static final int NORMAL = 1;

    private static final int TAG_ORIENTATION = 0x0112;
    private static final int TYPE_SHORT = 3;

    private ExifOrientation() {}

    /** The JPEG's orientation, 1..8; {@link #NORMAL} when absent or unreadable. */
    public static int read(byte[] jpeg) {
        int i = 2; // after SOI
        while (i + 4 <= jpeg.length && (jpeg[i] & 0xFF) == 0xFF) {
            int marker = jpeg[i + 1] & 0xFF;
            if (marker == 0xDA || marker == 0xD9) {
                return NORMAL; // start of scan: metadata segments come before it
            }
            int length = u16(jpeg, i + 2, false);
            if (length < 2 || i + 2 + length > jpeg.length) {
                return NORMAL;
            }
            if (marker == 0xE1) {
                int found = fromApp1(jpeg, i + 4, length - 2);
                if (found != 0) {
                    return found;
                }
            }
            i += 2 + length;
        }
        return NORMAL;
    }

    /** The orientation in one APP1 segment, or 0 when it holds none (XMP, garbage). */
    private static int fromApp1(byte[] b, int start, int length) {
        int end = start + length;
        if (length < 14 || !"Exif\0\0".equals(new String(b, start, 6, ISO_8859_1))) {
            return 0;
        }
        int tiff = start + 6;
        boolean little;
        if (b[tiff] == 'I' && b[tiff + 1] == 'I') {
            little = true;
        } else if (b[tiff] == 'M' && b[tiff + 1] == 'M') {
            little = false;
        } else {
            return 0;
        }
        if (u16(b, tiff + 2, little) != 42) {
            return 0;
        }
        long ifd = tiff + u32(b, tiff + 4, little);
        if (ifd < tiff + 8 || ifd + 2 > end) {
            return 0;
        }
        int entries = u16(b, (int) ifd, little);
        for (int k = 0; k < entries; k++) {
            int e = (int) ifd + 2 + 12 * k;
            if (e + 12 > end) {
                return 0;
            }
            if (u16(b, e, little) == TAG_ORIENTATION) {
                int value = u16(b, e + 8, little);
                boolean valid = u16(b, e + 2, little) == TYPE_SHORT && value >= 1 && value <= 8;
                return valid ? value : 0;
            }
        }
        return 0;
    }

    /** {@code image} turned upright as a viewer shows it (pixels and alpha alike). */
    public static Image8 apply(Image8 image, int orientation) {
        if (orientation < 2 || orientation > 8) {
            return image;
        }
        int w = image.width();
        int h = image.height();
        int c = image.channels();
        boolean swap = orientation >= 5; // the transposing ones: width and height trade places
        int dw = swap ? h : w;
        int dh = swap ? w : h;
        byte[] src = image.pixelArray();
        byte[] srcAlpha = image.alpha();
        byte[] out = new byte[src.length];
        byte[] outAlpha = srcAlpha == null ? null : new byte[srcAlpha.length];
        for (int y = 0; y < dh; y++) {
            for (int x = 0; x < dw; x++) {
                int s = source(orientation, x, y, w, h);
                int d = y * dw + x;
                System.arraycopy(src, s * c, out, d * c, c);
                if (outAlpha != null) {
                    outAlpha[d] = srcAlpha[s];
                }
            }
        }
        return Image8.wrap(dw, dh, c, out, outAlpha);
    }

    /** The stored pixel (index y * w + x) shown at (x, y) of the upright image. */
    private static int source(int orientation, int x, int y, int w, int h) {
        int sx;
        int sy;
        switch (orientation) {
            case 2 -> { // mirrored
                sx = w - 1 - x;
                sy = y;
            }
            case 3 -> { // upside down
                sx = w - 1 - x;
                sy = h - 1 - y;
            }
            case 4 -> { // mirrored upside down
                sx = x;
                sy = h - 1 - y;
            }
            case 5 -> { // transposed
                sx = y;
                sy = x;
            }
            case 6 -> { // stored turned left: turn right
                sx = y;
                sy = h - 1 - x;
            }
            case 7 -> { // transversed
                sx = w - 1 - y;
                sy = h - 1 - x;
            }
            default -> { // 8, stored turned right: turn left
                sx = w - 1 - y;
                sy = x;
            }
        }
        return sy * w + sx;
    }

    private static int u16(byte[] b, int i, boolean little) {
        int b0 = b[i] & 0xFF;
        int b1 = b[i + 1] & 0xFF;
        return little ? b0 | b1 << 8 : b0 << 8 | b1;
    }

    private static long u32(byte[] b, int i, boolean little) {
        long lo = u16(b, little ? i : i + 2, little);
        long hi = u16(b, little ? i + 2 : i, little);
        return hi << 16 | lo;
    }
}
