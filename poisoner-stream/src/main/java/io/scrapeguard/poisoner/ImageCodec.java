package io.scrapeguard.poisoner;

import io.scrapeguard.core.Image8;
import io.scrapeguard.runtime.ImageFormat;
import io.scrapeguard.runtime.ImageHeader;
import io.scrapeguard.runtime.ImageLimits;
import io.scrapeguard.runtime.ImageProbe;
import io.scrapeguard.runtime.ImageRejectedException;
import io.scrapeguard.runtime.RejectReason;
import java.awt.image.BufferedImage;
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
    public static Image8 decode(byte[] bytes, ImageLimits limits)
            throws ImageRejectedException {
        ImageHeader header = ImageProbe.probe(bytes, limits);
        BufferedImage img = read(bytes, header.format());
        if (img.getWidth() != header.width() || img.getHeight() != header.height()) {
            throw new ImageRejectedException(
                    RejectReason.CORRUPT_IMAGE, "decoded size differs from the header");
        }
        return Image8.fromBufferedImage(img); // grey, RGB (+ alpha), 16-bit, CMYK: 8-bit sRGB
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

    /** Lossless PNG with only the chunks pixels need (IHDR, IDAT, IEND). */
    public static byte[] encodePng(Image8 d) {
        return write(d.toBufferedImage(), "png", -1);
    }

    /** JPEG at quality 1..100 (baseline, 4:2:0 as encoders do by default). */
    public static byte[] encodeJpeg(Image8 d, int quality) {
        if (quality < 1 || quality > 100) {
            throw new IllegalArgumentException("JPEG quality must be 1..100, got " + quality);
        }
        if (d.hasAlpha()) {
            d = Image8.of(d.width(), d.height(), d.channels(), d.pixels());
        }
        return write(d.toBufferedImage(), "jpeg", quality / 100f);
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
