package io.scrapeguard.auditor;

import io.scrapeguard.imaging.Image8;
import io.scrapeguard.imaging.ImageCodec;
import io.scrapeguard.imaging.ImageRejectedException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * An 8-bit image as a consumer of the published bytes sees it: height x width x channels (1 or 3),
 * row-major HWC. Alpha is dropped: scrapers train on colour.
 */
public record AuditImage(int height, int width, int channels, byte[] pixels) {

    public AuditImage {
        if (pixels.length != height * width * channels) {
            throw new IllegalArgumentException(
                    "pixel buffer does not match " + shape(height, width, channels));
        }
    }

    /** Decodes PNG or JPEG bytes with the poisoner's decoder ({@link ImageCodec}). */
    public static AuditImage decode(byte[] bytes) throws IOException {
        try {
            return of(ImageCodec.decode(bytes));
        } catch (ImageRejectedException e) {
            throw new IOException(e.reason() + ": " + e.getMessage(), e);
        }
    }

    public static AuditImage read(Path file) throws IOException {
        return decode(Files.readAllBytes(file));
    }

    public static AuditImage of(Image8 img) {
        return new AuditImage(img.height(), img.width(), img.channels(), img.pixels());
    }

    public static AuditImage of(BufferedImage img) {
        return of(Image8.fromBufferedImage(img));
    }

    public Image8 toImage8() {
        return Image8.of(width, height, channels, pixels);
    }

    /** Pixel {@code i} of the HWC buffer in [0, 1]. */
    public double value(int i) {
        return (pixels[i] & 0xff) / 255.0;
    }

    public int size() {
        return pixels.length;
    }

    public boolean sameShape(AuditImage o) {
        return height == o.height && width == o.width && channels == o.channels;
    }

    public String shape() {
        return shape(height, width, channels);
    }

    static String shape(int h, int w, int c) {
        return h + "x" + w + "x" + c;
    }

    public BufferedImage toBufferedImage() {
        return toImage8().toBufferedImage();
    }

    public byte[] encodePng() {
        return toImage8().encodePng();
    }

    /** JPEG bytes at the given quality in (0, 1]: what a re-encoding scraper or CDN does. */
    public byte[] encodeJpeg(float quality) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ByteArrayOutputStream out = new ByteArrayOutputStream();
                MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            ImageWriteParam p = writer.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(quality);
            writer.setOutput(ios);
            writer.write(null, new IIOImage(toBufferedImage(), null, null), p);
            ios.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("JPEG encoding failed", e);
        } finally {
            writer.dispose();
        }
    }

    /** The image after JPEG re-encoding at {@code quality}, decoded again. */
    public AuditImage jpegRoundTrip(float quality) {
        try {
            AuditImage back = decode(encodeJpeg(quality));
            return back.channels == channels ? back : back.withChannels(channels);
        } catch (IOException e) {
            throw new IllegalStateException("JPEG decoding failed", e);
        }
    }

    /** Luma (BT.601) replicated over the channels: the grayscale squeezing defence. */
    public AuditImage grayscale() {
        if (channels == 1) {
            return this;
        }
        byte[] out = new byte[pixels.length];
        for (int i = 0; i < height * width; i++) {
            double y =
                    0.299 * (pixels[3 * i] & 0xff)
                            + 0.587 * (pixels[3 * i + 1] & 0xff)
                            + 0.114 * (pixels[3 * i + 2] & 0xff);
            byte b = (byte) Math.round(Math.min(255, y));
            out[3 * i] = b;
            out[3 * i + 1] = b;
            out[3 * i + 2] = b;
        }
        return new AuditImage(height, width, 3, out);
    }

    private AuditImage withChannels(int c) {
        if (c == 1) {
            byte[] out = new byte[height * width];
            for (int i = 0; i < out.length; i++) {
                out[i] = pixels[i * channels];
            }
            return new AuditImage(height, width, 1, out);
        }
        byte[] out = new byte[height * width * 3];
        for (int i = 0; i < height * width; i++) {
            out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = pixels[i];
        }
        return new AuditImage(height, width, 3, out);
    }
}
