package io.scrapeguard.poisoner;

import io.scrapeguard.runtime.ImageFormat;
import io.scrapeguard.runtime.ImageHeader;
import io.scrapeguard.runtime.ImageLimits;
import io.scrapeguard.runtime.ImageProbe;
import io.scrapeguard.runtime.ImageRejectedException;
import io.scrapeguard.runtime.RejectReason;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Decode (PNG; JPEG through TwelveMonkeys, which reads CMYK/YCCK and broken-but-common JPEGs that
 * the JDK refuses) with every failure classified, and encode from pixels only: what is published
 * is built from the pixel array, so no metadata of the upload (EXIF, GPS, XMP, text chunks) can
 * reach the protected topic.
 */
public final class ImageCodec {
    static {
        ImageIO.setUseCache(false); // in-memory streams, no temp files
        ImageIO.scanForPlugins();
    }

    private ImageCodec() {}

    /** Checks the header against the limits, then decodes. */
    public static DecodedImage decode(byte[] bytes, ImageLimits limits)
            throws ImageRejectedException {
        ImageHeader header = ImageProbe.probe(bytes, limits);
        BufferedImage img = read(bytes, header.format());
        if (img.getWidth() != header.width() || img.getHeight() != header.height()) {
            throw new ImageRejectedException(
                    RejectReason.CORRUPT_IMAGE, "decoded size differs from the header");
        }
        return toPixels(img);
    }

    private static BufferedImage read(byte[] bytes, ImageFormat format)
            throws ImageRejectedException {
        Iterator<ImageReader> readers =
                ImageIO.getImageReadersByFormatName(format == ImageFormat.PNG ? "png" : "jpeg");
        if (!readers.hasNext()) {
            throw new ImageRejectedException(
                    RejectReason.UNSUPPORTED_FORMAT, "no decoder for " + format);
        }
        ImageReader reader = readers.next();
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(in, true, true);
            BufferedImage img = reader.read(0);
            if (img == null) {
                throw new ImageRejectedException(RejectReason.CORRUPT_IMAGE, "the decoder returned nothing");
            }
            return img;
        } catch (EOFException e) {
            throw new ImageRejectedException(
                    RejectReason.TRUNCATED_IMAGE, "the " + format + " data ends early", e);
        } catch (IOException | RuntimeException e) {
            if (e.getCause() instanceof EOFException) {
                throw new ImageRejectedException(
                        RejectReason.TRUNCATED_IMAGE, "the " + format + " data ends early", e);
            }
            throw new ImageRejectedException(
                    RejectReason.CORRUPT_IMAGE,
                    "the " + format + " cannot be decoded: " + e.getMessage(),
                    e);
        } finally {
            reader.dispose();
        }
    }

    /** 8-bit grey or RGB pixels (+ alpha), whatever the source layout (palette, 16-bit, CMYK). */
    static DecodedImage toPixels(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        boolean hasAlpha = img.getColorModel().hasAlpha();
        byte[] alpha = hasAlpha ? new byte[w * h] : null;
        int colorBands = img.getColorModel().getColorSpace().getNumComponents();
        if (colorBands == 1 && img.getColorModel().getComponentSize(0) == 8
                && !(img.getColorModel() instanceof java.awt.image.IndexColorModel)) {
            Raster r = img.getRaster();
            byte[] grey = new byte[w * h];
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                r.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    grey[y * w + x] = (byte) row[x];
                }
                if (alpha != null) {
                    r.getSamples(0, y, w, 1, r.getNumBands() - 1, row);
                    for (int x = 0; x < w; x++) {
                        alpha[y * w + x] = (byte) row[x];
                    }
                }
            }
            return new DecodedImage(w, h, 1, grey, alpha);
        }
        byte[] rgb = new byte[w * h * 3];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int argb = row[x];
                int o = (y * w + x) * 3;
                rgb[o] = (byte) (argb >>> 16);
                rgb[o + 1] = (byte) (argb >>> 8);
                rgb[o + 2] = (byte) argb;
                if (alpha != null) {
                    alpha[y * w + x] = (byte) (argb >>> 24);
                }
            }
        }
        return new DecodedImage(w, h, 3, rgb, alpha);
    }

    /** Pixels to a BufferedImage (no metadata attached). */
    static BufferedImage toBufferedImage(DecodedImage d) {
        int w = d.width();
        int h = d.height();
        int n = w * h;
        BufferedImage img;
        if (d.channels() == 1 && d.alpha() == null) {
            img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
            byte[] dst = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
            System.arraycopy(d.pixels(), 0, dst, 0, n);
        } else if (d.alpha() == null) {
            img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
            byte[] dst = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
            byte[] src = d.pixels();
            for (int i = 0; i < n; i++) {
                dst[3 * i] = src[3 * i + 2];
                dst[3 * i + 1] = src[3 * i + 1];
                dst[3 * i + 2] = src[3 * i];
            }
        } else {
            img = new BufferedImage(w, h, BufferedImage.TYPE_4BYTE_ABGR);
            byte[] dst = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
            byte[] src = d.pixels();
            byte[] a = d.alpha();
            for (int i = 0; i < n; i++) {
                int r;
                int g;
                int b;
                if (d.channels() == 1) {
                    r = g = b = src[i];
                } else {
                    r = src[3 * i];
                    g = src[3 * i + 1];
                    b = src[3 * i + 2];
                }
                dst[4 * i] = a[i];
                dst[4 * i + 1] = (byte) b;
                dst[4 * i + 2] = (byte) g;
                dst[4 * i + 3] = (byte) r;
            }
        }
        return img;
    }

    /** Lossless PNG with only the chunks pixels need (IHDR, IDAT, IEND). */
    public static byte[] encodePng(DecodedImage d) {
        return write(toBufferedImage(d), "png", -1);
    }

    /** JPEG at quality 1..100 (baseline, 4:2:0 as encoders do by default). */
    public static byte[] encodeJpeg(DecodedImage d, int quality) {
        if (quality < 1 || quality > 100) {
            throw new IllegalArgumentException("JPEG quality must be 1..100, got " + quality);
        }
        if (d.alpha() != null) {
            d = new DecodedImage(d.width(), d.height(), d.channels(), d.pixels(), null);
        }
        return write(toBufferedImage(d), "jpeg", quality / 100f);
    }

    private static byte[] write(BufferedImage img, String format, float quality) {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format);
        ImageWriter writer = writers.next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(img.getWidth() * img.getHeight());
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (quality >= 0 && param.canWriteCompressed()) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(quality);
            }
            writer.write(null, new IIOImage(img, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + format + ": " + e.getMessage(), e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
