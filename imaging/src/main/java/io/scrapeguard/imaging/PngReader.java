package io.scrapeguard.imaging;

import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A fast PNG decoder for the common case of the stream's hot path: 8-bit grey, grey+alpha, RGB or
 * RGBA, not interlaced, no transparency key, no ICC profile. Returns null for anything else, which
 * then goes through ImageIO (palettes, 16-bit, interlacing, colour profiles). Produces exactly what
 * ImageIO plus core's conversion produce (tested), without ImageIO's per-call set-up and per-pixel
 * colour-model calls.
 */
final class PngReader {
    private PngReader() {}

    static Image8 decode(byte[] b) throws ImageRejectedException {
        int pos = 8;
        int width = 0;
        int height = 0;
        int colorType = -1;
        // where the IDAT chunks' data lie in b: inflated straight from there, never copied
        int[] idat = null;
        int idatChunks = 0;
        while (true) {
            if (pos + 8 > b.length) {
                throw new ImageRejectedException(
                        RejectReason.TRUNCATED_IMAGE, "the PNG ends inside a chunk header");
            }
            long len = u32(b, pos);
            String type = new String(b, pos + 4, 4, java.nio.charset.StandardCharsets.US_ASCII);
            int data = pos + 8;
            if (len > b.length - data - 4L) {
                throw new ImageRejectedException(
                        RejectReason.TRUNCATED_IMAGE, "the PNG ends inside its " + type + " chunk");
            }
            int n = (int) len;
            switch (type) {
                case "IHDR" -> {
                    if (idat != null) {
                        // the probe checked the first IHDR's size: a second one would decide
                        // what is allocated without that check
                        throw new ImageRejectedException(
                                RejectReason.CORRUPT_IMAGE, "the PNG has a second IHDR chunk");
                    }
                    width = (int) u32(b, data);
                    height = (int) u32(b, data + 4);
                    int depth = b[data + 8];
                    colorType = b[data + 9];
                    int interlace = b[data + 12];
                    if (depth != 8
                            || interlace != 0
                            || !(colorType == 0
                                    || colorType == 2
                                    || colorType == 4
                                    || colorType == 6)) {
                        return null;
                    }
                    idat = new int[8];
                }
                case "IDAT" -> {
                    if (idat == null) {
                        throw new ImageRejectedException(
                                RejectReason.CORRUPT_IMAGE, "the PNG has IDAT before IHDR");
                    }
                    if (idatChunks * 2 == idat.length) {
                        idat = java.util.Arrays.copyOf(idat, idat.length * 2);
                    }
                    idat[idatChunks * 2] = data;
                    idat[idatChunks * 2 + 1] = n;
                    idatChunks++;
                }
                case "tRNS", "iCCP", "PLTE" -> {
                    return null; // let ImageIO apply them
                }
                case "IEND" -> {
                    if (idat == null) {
                        throw new ImageRejectedException(
                                RejectReason.CORRUPT_IMAGE, "the PNG has no IHDR");
                    }
                    return pixels(b, idat, idatChunks, width, height, colorType);
                }
                default -> {
                    // ancillary chunks (text, time, gamma...) carry nothing we publish
                }
            }
            pos = data + n + 4;
        }
    }

    /** Inflates the IDAT chunks ({@code chunks} pairs of offset and length in b) and unfilters. */
    private static Image8 pixels(byte[] b, int[] idat, int chunks, int w, int h, int colorType)
            throws ImageRejectedException {
        int bpp =
                switch (colorType) {
                    case 0 -> 1;
                    case 4 -> 2;
                    case 2 -> 3;
                    default -> 4;
                };
        int stride = w * bpp;
        long size = (long) (stride + 1) * h;
        if (size > Integer.MAX_VALUE - 16) {
            return null;
        }
        byte[] raw = new byte[(int) size];
        Inflater inflater = new Inflater();
        try {
            int next = 0;
            int got = 0;
            while (got < raw.length) {
                if (inflater.needsInput() && next < chunks) {
                    inflater.setInput(b, idat[next * 2], idat[next * 2 + 1]);
                    next++;
                    continue;
                }
                int k = inflater.inflate(raw, got, raw.length - got);
                if (k == 0) {
                    if (inflater.finished() || (inflater.needsInput() && next == chunks)) {
                        throw new ImageRejectedException(
                                RejectReason.TRUNCATED_IMAGE,
                                "the PNG's pixel data ends early ("
                                        + got
                                        + " of "
                                        + raw.length
                                        + " bytes)");
                    }
                    if (inflater.needsDictionary()) {
                        throw new ImageRejectedException(
                                RejectReason.CORRUPT_IMAGE, "the PNG's pixel data is corrupt");
                    }
                }
                got += k;
            }
        } catch (DataFormatException e) {
            throw new ImageRejectedException(
                    RejectReason.CORRUPT_IMAGE,
                    "the PNG's pixel data is corrupt: " + e.getMessage(),
                    e);
        } finally {
            inflater.end();
        }
        byte[] prev = new byte[stride];
        byte[] cur = new byte[stride];
        int colors = colorType == 0 || colorType == 4 ? 1 : 3;
        boolean hasAlpha = colorType == 4 || colorType == 6;
        byte[] px = new byte[w * h * colors];
        byte[] alpha = hasAlpha ? new byte[w * h] : null;
        for (int y = 0; y < h; y++) {
            int row = y * (stride + 1);
            int filter = raw[row];
            for (int i = 0; i < stride; i++) {
                int x = raw[row + 1 + i] & 0xff;
                int a = i >= bpp ? cur[i - bpp] & 0xff : 0;
                int up = prev[i] & 0xff;
                int c = i >= bpp ? prev[i - bpp] & 0xff : 0;
                int v =
                        switch (filter) {
                            case 0 -> x;
                            case 1 -> x + a;
                            case 2 -> x + up;
                            case 3 -> x + ((a + up) >>> 1);
                            case 4 -> x + PngFilters.paeth(a, up, c);
                            default ->
                                    throw new ImageRejectedException(
                                            RejectReason.CORRUPT_IMAGE,
                                            "the PNG has row filter " + filter);
                        };
                cur[i] = (byte) v;
            }
            for (int xx = 0; xx < w; xx++) {
                int o = (y * w + xx) * colors;
                for (int k = 0; k < colors; k++) {
                    px[o + k] = cur[xx * bpp + k];
                }
                if (hasAlpha) {
                    alpha[y * w + xx] = cur[xx * bpp + colors];
                }
            }
            byte[] t = prev;
            prev = cur;
            cur = t;
        }
        return Image8.of(w, h, colors, px, alpha);
    }

    private static long u32(byte[] b, int at) {
        return ((long) (b[at] & 0xff) << 24)
                | ((b[at + 1] & 0xff) << 16)
                | ((b[at + 2] & 0xff) << 8)
                | (b[at + 3] & 0xff);
    }
}
