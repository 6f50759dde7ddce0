package io.scrapeguard.core;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * An 8-bit image: width, height, 1 (grey) or 3 (RGB) channels, pixels in HWC interleaved order.
 *
 * <p>An alpha channel, when the source has one, is kept aside unperturbed (protection changes only
 * the colour channels) and re-attached by {@link #encodePng()} and {@link #toBufferedImage()}.
 * Immutable: accessors return copies.
 */
public final class Image8 {
    /** Default decode limit on width x height: 64 megapixels. */
    public static final long DEFAULT_MAX_PIXELS = 64L * 1024 * 1024;

    private final int width;
    private final int height;
    private final int channels;
    private final byte[] pixels;
    private final byte[] alpha;

    private Image8(int width, int height, int channels, byte[] pixels, byte[] alpha, boolean copy) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image is empty: " + width + "x" + height);
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("an image has 1 or 3 channels, got " + channels);
        }
        long n = (long) width * height * channels;
        if (pixels == null || pixels.length != n) {
            throw new IllegalArgumentException("pixel array has " + (pixels == null ? 0 : pixels.length)
                    + " bytes; " + width + "x" + height + "x" + channels + " needs " + n);
        }
        if (alpha != null && alpha.length != (long) width * height) {
            throw new IllegalArgumentException("alpha array has " + alpha.length + " bytes; needs "
                    + (long) width * height);
        }
        this.width = width;
        this.height = height;
        this.channels = channels;
        this.pixels = copy ? pixels.clone() : pixels;
        this.alpha = alpha == null ? null : copy ? alpha.clone() : alpha;
    }

    /** An image from HWC bytes (copied). */
    public static Image8 of(int width, int height, int channels, byte[] pixels) {
        return new Image8(width, height, channels, pixels, null, true);
    }

    /** An image with an alpha plane (HxW bytes, copied) kept aside. */
    public static Image8 of(int width, int height, int channels, byte[] pixels, byte[] alpha) {
        return new Image8(width, height, channels, pixels, alpha, true);
    }

    /** Wraps arrays this package built itself (no copy). */
    static Image8 wrap(int width, int height, int channels, byte[] pixels, byte[] alpha) {
        return new Image8(width, height, channels, pixels, alpha, false);
    }

    /** A copy with new colour pixels and the same alpha. */
    public Image8 withPixels(byte[] newPixels) {
        return new Image8(width, height, channels, newPixels, alpha, true);
    }

    Image8 wrapWithPixels(byte[] newPixels) {
        return new Image8(width, height, channels, newPixels, alpha, false);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public int channels() {
        return channels;
    }

    /** A copy of the HWC colour bytes. */
    public byte[] pixels() {
        return pixels.clone();
    }

    /** The sample at (y, x, c) as 0..255. */
    public int sample(int y, int x, int c) {
        return pixels[(y * width + x) * channels + c] & 0xFF;
    }

    byte[] pixelArray() {
        return pixels;
    }

    public boolean hasAlpha() {
        return alpha != null;
    }

    /** A copy of the HxW alpha plane, or null. */
    public byte[] alpha() {
        return alpha == null ? null : alpha.clone();
    }

    /** Decodes PNG, JPEG, BMP, GIF (anything ImageIO reads), up to {@link #DEFAULT_MAX_PIXELS}. */
    public static Image8 decode(byte[] bytes) {
        return decode(bytes, DEFAULT_MAX_PIXELS);
    }

    /**
     * Decodes an image; grey sources give 1 channel, colour sources 3 (sRGB). Throws
     * {@link DecodeException} (an IllegalArgumentException with a machine-readable reason) for
     * empty, unknown, corrupt, truncated or too large input.
     */
    public static Image8 decode(byte[] bytes, long maxPixels) {
        if (bytes == null || bytes.length == 0) {
            throw new DecodeException(DecodeException.EMPTY, "image is empty (0 bytes)");
        }
        BufferedImage img;
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new DecodeException(DecodeException.UNSUPPORTED,
                        "not a readable image: unknown format (" + bytes.length + " bytes starting "
                                + hexStart(bytes) + ")");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                if (w <= 0 || h <= 0) {
                    throw new DecodeException(DecodeException.CORRUPT, "image is empty: " + w + "x" + h);
                }
                if ((long) w * h > maxPixels) {
                    throw new DecodeException(DecodeException.TOO_LARGE, "image too large: " + w + "x" + h
                            + " = " + (long) w * h + " pixels, limit " + maxPixels);
                }
                img = reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (DecodeException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            boolean truncated = isTruncation(e);
            throw new DecodeException(truncated ? DecodeException.TRUNCATED : DecodeException.CORRUPT,
                    (truncated ? "truncated image: " : "corrupt image: ") + Guarded.describe(e));
        }
        if (img == null) {
            throw new DecodeException(DecodeException.CORRUPT, "corrupt image: the decoder returned nothing");
        }
        if (isTruncatedJpeg(bytes)) {
            // ImageIO fills the missing rest with grey and only warns: fail closed instead
            throw new DecodeException(DecodeException.TRUNCATED,
                    "truncated image: the JPEG ends before its end-of-image marker");
        }
        return fromBufferedImage(img);
    }

    /**
     * A JPEG whose last start-of-scan (FFDA) has no end-of-image (FFD9) after it. Entropy-coded
     * data stuffs every FF with 00, so FFD9 after the last scan can only be the real end marker.
     */
    static boolean isTruncatedJpeg(byte[] b) {
        if (b.length < 4 || (b[0] & 0xFF) != 0xFF || (b[1] & 0xFF) != 0xD8) {
            return false;
        }
        int lastSos = -1;
        int lastEoi = -1;
        for (int i = 2; i + 1 < b.length; i++) {
            if ((b[i] & 0xFF) == 0xFF) {
                int m = b[i + 1] & 0xFF;
                if (m == 0xDA) {
                    lastSos = i;
                } else if (m == 0xD9) {
                    lastEoi = i;
                }
            }
        }
        return lastSos >= 0 && lastEoi < lastSos;
    }

    private static boolean isTruncation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof EOFException) {
                return true;
            }
            String m = t.getMessage();
            if (m != null) {
                String lm = m.toLowerCase();
                if (lm.contains("eof") || lm.contains("premature end") || lm.contains("unexpected end")
                        || lm.contains("truncat")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String hexStart(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(4, b.length); i++) {
            sb.append(String.format("%02x", b[i] & 0xFF));
        }
        return sb.toString();
    }

    /** Converts any BufferedImage: grey colour spaces to 1 channel, others to sRGB 3 channels. */
    public static Image8 fromBufferedImage(BufferedImage img) {
        if (img == null) {
            throw new IllegalArgumentException("image is missing");
        }
        int w = img.getWidth();
        int h = img.getHeight();
        if (w <= 0 || h <= 0) {
            throw new IllegalArgumentException("image is empty: " + w + "x" + h);
        }
        ColorModel cm = img.getColorModel();
        boolean grey = cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY
                && cm.getNumColorComponents() == 1;
        boolean hasAlpha = cm.hasAlpha();
        byte[] alpha = hasAlpha ? new byte[w * h] : null;
        if (grey) {
            byte[] px = new byte[w * h];
            Raster r = img.getRaster();
            int bits = cm.getComponentSize(0);
            int[] row = new int[w];
            int[] arow = hasAlpha ? new int[w] : null;
            for (int y = 0; y < h; y++) {
                r.getSamples(0, y, w, 1, 0, row);
                if (hasAlpha) {
                    r.getSamples(0, y, w, 1, r.getNumBands() - 1, arow);
                }
                for (int x = 0; x < w; x++) {
                    px[y * w + x] = (byte) to8(row[x], bits);
                    if (hasAlpha) {
                        alpha[y * w + x] = (byte) to8(arow[x], cm.getComponentSize(r.getNumBands() - 1));
                    }
                }
            }
            return wrap(w, h, 1, px, alpha);
        }
        byte[] px = new byte[w * h * 3];
        int[] argb = new int[w];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, argb, 0, w);
            for (int x = 0; x < w; x++) {
                int p = argb[x];
                int o = (y * w + x) * 3;
                px[o] = (byte) (p >>> 16);
                px[o + 1] = (byte) (p >>> 8);
                px[o + 2] = (byte) p;
                if (hasAlpha) {
                    alpha[y * w + x] = (byte) (p >>> 24);
                }
            }
        }
        return wrap(w, h, 3, px, alpha);
    }

    private static int to8(int sample, int bits) {
        if (bits == 8) {
            return sample;
        }
        if (bits > 8) {
            return sample >>> (bits - 8);
        }
        int max = (1 << bits) - 1;
        return Math.round(sample * 255f / max);
    }

    /** A BufferedImage of this image (grey, grey+alpha, RGB or RGBA). */
    public BufferedImage toBufferedImage() {
        int bands = channels + (alpha != null ? 1 : 0);
        byte[] data = new byte[width * height * bands];
        int n = width * height;
        if (channels == 3 && alpha == null) {
            // TYPE_3BYTE_BGR stores B, G, R
            for (int i = 0; i < n; i++) {
                data[3 * i] = pixels[3 * i + 2];
                data[3 * i + 1] = pixels[3 * i + 1];
                data[3 * i + 2] = pixels[3 * i];
            }
            BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
            System.arraycopy(data, 0, ((DataBufferByte) img.getRaster().getDataBuffer()).getData(), 0,
                    data.length);
            return img;
        }
        if (channels == 1 && alpha == null) {
            BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
            System.arraycopy(pixels, 0, ((DataBufferByte) img.getRaster().getDataBuffer()).getData(), 0,
                    n);
            return img;
        }
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < channels; c++) {
                data[bands * i + c] = pixels[channels * i + c];
            }
            data[bands * i + channels] = alpha[i];
        }
        ColorSpace cs = ColorSpace.getInstance(channels == 1 ? ColorSpace.CS_GRAY : ColorSpace.CS_sRGB);
        ComponentColorModel cm = new ComponentColorModel(cs, true, false, Transparency.TRANSLUCENT,
                DataBuffer.TYPE_BYTE);
        int[] offsets = new int[bands];
        for (int b = 0; b < bands; b++) {
            offsets[b] = b;
        }
        WritableRaster raster = Raster.createInterleavedRaster(new DataBufferByte(data, data.length),
                width, height, width * bands, bands, offsets, null);
        return new BufferedImage(cm, raster, false, null);
    }

    /** Lossless PNG bytes (alpha re-attached when present). */
    public byte[] encodePng() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(width * height * channels / 2 + 256);
        try {
            if (!ImageIO.write(toBufferedImage(), "png", out)) {
                throw new IllegalStateException("no PNG writer available");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Image8 i && width == i.width && height == i.height
                && channels == i.channels && Arrays.equals(pixels, i.pixels)
                && Arrays.equals(alpha, i.alpha);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(pixels) + width * 7 + height * 3 + channels;
    }

    @Override
    public String toString() {
        return "Image8(" + width + "x" + height + "x" + channels + (alpha != null ? "+alpha" : "") + ")";
    }

    /**
     * A decode failure with a machine-readable {@link #reason()} matching the dead-letter reasons of
     * docs/metrics.md.
     */
    public static final class DecodeException extends IllegalArgumentException {
        public static final String EMPTY = "empty-payload";
        public static final String UNSUPPORTED = "unsupported-format";
        public static final String CORRUPT = "corrupt-image";
        public static final String TRUNCATED = "truncated-image";
        public static final String TOO_LARGE = "image-too-large";

        private final String reason;

        public DecodeException(String reason, String message) {
            super(message);
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }
}
