package io.scrapeguard.imaging;

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
 * the JDK refuses) with every failure classified, and encode from pixels only: what is published is
 * built from the pixel array, so no metadata of the upload (EXIF, GPS, XMP, text chunks) can reach
 * the protected topic.
 */
public final class ImageCodec {
    static {
        ImageIO.setUseCache(false); // in-memory streams, no temp files
        ImageIO.scanForPlugins();
    }

    private ImageCodec() {}

    /** {@link #decode(byte[], ImageLimits)} with the default limits. */
    public static Image8 decode(byte[] bytes) throws ImageRejectedException {
        return decode(bytes, ImageLimits.DEFAULT);
    }

    /** Checks the header against the limits, then decodes. */
    public static Image8 decode(byte[] bytes, ImageLimits limits) throws ImageRejectedException {
        ImageHeader header = ImageProbe.probe(bytes, limits);
        if (header.format() == ImageFormat.PNG) {
            Image8 fast = PngReader.decode(bytes); // null: not the common case, ImageIO decides
            if (fast != null) {
                return sameSize(fast.width(), fast.height(), header, fast);
            }
        }
        BufferedImage img = read(bytes, header);
        if (img.getWidth() != header.width() || img.getHeight() != header.height()) {
            throw new ImageRejectedException(
                    RejectReason.CORRUPT_IMAGE, "decoded size differs from the header");
        }
        Image8 fast = fastPixels(img);
        // anything else (palette, 16-bit, CMYK, other colour spaces): core's general conversion
        Image8 decoded = fast != null ? fast : Image8.fromBufferedImage(img);
        // upright as viewers show it: the published image carries no EXIF to turn it
        return header.format() == ImageFormat.JPEG
                ? ExifOrientation.apply(decoded, ExifOrientation.read(bytes))
                : decoded;
    }

    /** {@code image} when it has the probed size; a decoder that disagrees means a corrupt file. */
    private static <T> T sameSize(int width, int height, ImageHeader header, T image)
            throws ImageRejectedException {
        if (width != header.width() || height != header.height()) {
            throw new ImageRejectedException(
                    RejectReason.CORRUPT_IMAGE,
                    "the decoder sees "
                            + width
                            + "x"
                            + height
                            + " pixels where the header says "
                            + header.width()
                            + "x"
                            + header.height());
        }
        return image;
    }

    private static BufferedImage read(byte[] bytes, ImageHeader header)
            throws ImageRejectedException {
        ImageFormat format = header.format();
        Iterator<ImageReader> readers =
                ImageIO.getImageReadersByFormatName(format == ImageFormat.PNG ? "png" : "jpeg");
        if (!readers.hasNext()) {
            throw new ImageRejectedException(
                    RejectReason.UNSUPPORTED_FORMAT, "no decoder for " + format);
        }
        ImageReader reader = readers.next();
        try (ImageInputStream in =
                new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(in, true, true);
            // what the reader would allocate must be what the probe checked against the limits
            sameSize(reader.getWidth(0), reader.getHeight(0), header, reader);
            BufferedImage img = reader.read(0);
            if (img == null) {
                throw new ImageRejectedException(
                        RejectReason.CORRUPT_IMAGE, "the decoder returned nothing");
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

    /**
     * 8-bit interleaved grey/sRGB rasters (what the PNG and JPEG readers return for ordinary files)
     * copied straight from the data buffer; null for anything else. Core's general conversion goes
     * through the colour model pixel by pixel, several times slower.
     */
    static Image8 fastPixels(BufferedImage img) {
        java.awt.image.ColorModel cm = img.getColorModel();
        java.awt.image.WritableRaster raster = img.getRaster();
        if (!(cm instanceof java.awt.image.ComponentColorModel)
                || !(raster.getDataBuffer() instanceof java.awt.image.DataBufferByte data)
                || !(raster.getSampleModel()
                        instanceof java.awt.image.PixelInterleavedSampleModel sm)
                || data.getNumBanks() != 1
                || raster.getParent() != null) {
            return null;
        }
        java.awt.color.ColorSpace cs = cm.getColorSpace();
        int colors = cm.getNumColorComponents();
        boolean grey = colors == 1 && cs.getType() == java.awt.color.ColorSpace.TYPE_GRAY;
        boolean rgb = colors == 3 && cs.isCS_sRGB();
        if (!(grey || rgb) || cm.isAlphaPremultiplied()) {
            return null;
        }
        for (int size : cm.getComponentSize()) {
            if (size != 8) {
                return null;
            }
        }
        if (grey
                && !cs.equals(
                        java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_GRAY))) {
            return null; // a grey profile other than linear grey: let core convert it
        }
        int w = img.getWidth();
        int h = img.getHeight();
        int[] offsets = sm.getBandOffsets();
        int pixelStride = sm.getPixelStride();
        int scanStride = sm.getScanlineStride();
        byte[] src = data.getData();
        int base = data.getOffset();
        byte[] px = new byte[w * h * colors];
        byte[] alpha = cm.hasAlpha() ? new byte[w * h] : null;
        for (int y = 0; y < h; y++) {
            int row = base + y * scanStride;
            for (int x = 0; x < w; x++) {
                int p = row + x * pixelStride;
                int o = (y * w + x) * colors;
                for (int k = 0; k < colors; k++) {
                    px[o + k] = src[p + offsets[k]];
                }
                if (alpha != null) {
                    alpha[y * w + x] = src[p + offsets[colors]];
                }
            }
        }
        return Image8.of(w, h, colors, px, alpha);
    }

    /** Lossless PNG with only the chunks pixels need (IHDR, IDAT, IEND). */
    public static byte[] encodePng(Image8 d) {
        return PngWriter.encode(d);
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
