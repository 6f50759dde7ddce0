package io.scrapeguard.imaging;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.util.Arrays;

/**
 * An 8-bit image: width, height, 1 (grey) or 3 (RGB) channels, pixels in HWC interleaved order.
 *
 * <p>An alpha channel, when the source has one, is kept aside unperturbed (protection changes only
 * the colour channels) and re-attached by {@link #encodePng()} and {@link #toBufferedImage()}.
 * Immutable: accessors return copies.
 */
public final class Image8 {
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
            throw new IllegalArgumentException(
                    "pixel array has "
                            + (pixels == null ? 0 : pixels.length)
                            + " bytes; "
                            + width
                            + "x"
                            + height
                            + "x"
                            + channels
                            + " needs "
                            + n);
        }
        if (alpha != null && alpha.length != (long) width * height) {
            throw new IllegalArgumentException(
                    "alpha array has " + alpha.length + " bytes; needs " + (long) width * height);
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

    /** Wraps arrays the caller built and hands over (no copy: they must not change afterwards). */
    public static Image8 wrap(int width, int height, int channels, byte[] pixels, byte[] alpha) {
        return new Image8(width, height, channels, pixels, alpha, false);
    }

    /** A copy with new colour pixels and the same alpha. */
    public Image8 withPixels(byte[] newPixels) {
        return new Image8(width, height, channels, newPixels, alpha, true);
    }

    /** {@link #withPixels} without the copy: the hot path hands over an array it built. */
    public Image8 wrapWithPixels(byte[] newPixels) {
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

    /** The pixel array itself, no copy, for the hot path's readers: never write to it. */
    public byte[] pixelArray() {
        return pixels;
    }

    public boolean hasAlpha() {
        return alpha != null;
    }

    /** A copy of the HxW alpha plane, or null. */
    public byte[] alpha() {
        return alpha == null ? null : alpha.clone();
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
        boolean grey =
                cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY
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
                        alpha[y * w + x] =
                                (byte) to8(arow[x], cm.getComponentSize(r.getNumBands() - 1));
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
            System.arraycopy(
                    data,
                    0,
                    ((DataBufferByte) img.getRaster().getDataBuffer()).getData(),
                    0,
                    data.length);
            return img;
        }
        if (channels == 1 && alpha == null) {
            BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
            System.arraycopy(
                    pixels, 0, ((DataBufferByte) img.getRaster().getDataBuffer()).getData(), 0, n);
            return img;
        }
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < channels; c++) {
                data[bands * i + c] = pixels[channels * i + c];
            }
            data[bands * i + channels] = alpha[i];
        }
        ColorSpace cs =
                ColorSpace.getInstance(channels == 1 ? ColorSpace.CS_GRAY : ColorSpace.CS_sRGB);
        ComponentColorModel cm =
                new ComponentColorModel(
                        cs, true, false, Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE);
        int[] offsets = new int[bands];
        for (int b = 0; b < bands; b++) {
            offsets[b] = b;
        }
        WritableRaster raster =
                Raster.createInterleavedRaster(
                        new DataBufferByte(data, data.length),
                        width,
                        height,
                        width * bands,
                        bands,
                        offsets,
                        null);
        return new BufferedImage(cm, raster, false, null);
    }

    /** Lossless PNG bytes (alpha re-attached when present), by {@link ImageCodec#encodePng}. */
    public byte[] encodePng() {
        return ImageCodec.encodePng(this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Image8 i
                && width == i.width
                && height == i.height
                && channels == i.channels
                && Arrays.equals(pixels, i.pixels)
                && Arrays.equals(alpha, i.alpha);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(pixels) + width * 7 + height * 3 + channels;
    }

    @Override
    public String toString() {
        return "Image8("
                + width
                + "x"
                + height
                + "x"
                + channels
                + (alpha != null ? "+alpha" : "")
                + ")";
    }
}
