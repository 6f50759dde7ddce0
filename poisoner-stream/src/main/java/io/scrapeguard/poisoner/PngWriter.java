package io.scrapeguard.poisoner;

import io.scrapeguard.core.Image8;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A small, fast PNG encoder for the stream's hot path: 8-bit grey / RGB (+ alpha), Paeth filter on
 * every row, deflate level 1. About 3x faster than ImageIO's writer (which tries five filters per
 * row and deflates at level 4) for files a few percent larger; lossless either way. Writes only
 * IHDR, IDAT and IEND: no metadata can be carried over.
 */
final class PngWriter {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private PngWriter() {}

    static byte[] encode(Image8 image) {
        int w = image.width();
        int h = image.height();
        int c = image.channels();
        byte[] px = image.pixels();
        byte[] alpha = image.alpha();
        int bpp = c + (alpha != null ? 1 : 0);
        int colorType = c == 1 ? (alpha != null ? 4 : 0) : (alpha != null ? 6 : 2);
        int stride = w * bpp;
        byte[] prev = new byte[stride];
        byte[] cur = new byte[stride];
        byte[] filtered = new byte[(stride + 1) * h];
        int o = 0;
        for (int y = 0; y < h; y++) {
            if (alpha == null) {
                System.arraycopy(px, y * stride, cur, 0, stride);
            } else {
                for (int x = 0; x < w; x++) {
                    for (int k = 0; k < c; k++) {
                        cur[x * bpp + k] = px[(y * w + x) * c + k];
                    }
                    cur[x * bpp + c] = alpha[y * w + x];
                }
            }
            filtered[o++] = 4; // Paeth
            for (int i = 0; i < stride; i++) {
                int a = i >= bpp ? cur[i - bpp] & 0xff : 0;
                int b = prev[i] & 0xff;
                int cc = i >= bpp ? prev[i - bpp] & 0xff : 0;
                filtered[o++] = (byte) ((cur[i] & 0xff) - PngFilters.paeth(a, b, cc));
            }
            byte[] t = prev;
            prev = cur;
            cur = t;
        }
        Deflater deflater = new Deflater(1);
        byte[] idat;
        try {
            deflater.setInput(filtered);
            deflater.finish();
            ByteArrayOutputStream z = new ByteArrayOutputStream(filtered.length / 2 + 64);
            byte[] buf = new byte[64 * 1024];
            while (!deflater.finished()) {
                int n = deflater.deflate(buf);
                z.write(buf, 0, n);
            }
            idat = z.toByteArray();
        } finally {
            deflater.end();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(idat.length + 64);
        out.writeBytes(SIGNATURE);
        byte[] ihdr = new byte[13];
        putInt(ihdr, 0, w);
        putInt(ihdr, 4, h);
        ihdr[8] = 8;
        ihdr[9] = (byte) colorType;
        chunk(out, "IHDR", ihdr);
        chunk(out, "IDAT", idat);
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        byte[] len = new byte[4];
        putInt(len, 0, data.length);
        out.writeBytes(len);
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        byte[] c = new byte[4];
        putInt(c, 0, (int) crc.getValue());
        out.writeBytes(c);
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
