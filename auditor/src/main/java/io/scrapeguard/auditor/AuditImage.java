package io.scrapeguard.auditor;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
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
 * An 8-bit image as a consumer of the published bytes sees it: height x width x channels (1 or
 * 3), row-major HWC. Alpha is dropped: scrapers train on colour.
 */
public record AuditImage(int height, int width, int channels, byte[] pixels) {

    public AuditImage {
        if (pixels.length != height * width * channels) {
            throw new IllegalArgumentException("pixel buffer does not match " + shape(height,
                    width, channels));
        }
    }

    /** Decodes PNG, JPEG, BMP or GIF bytes. */
    public static AuditImage decode(byte[] bytes) throws IOException {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
        if (img == null) {
            throw new IOException("not a decodable image");
        }
        return of(img);
    }

    public static AuditImage read(Path file) throws IOException {
        return decode(Files.readAllBytes(file));
    }

    public static AuditImage of(BufferedImage img) {
        int h = img.getHeight(), w = img.getWidth();
        Raster r = img.getRaster();
        boolean grey = img.getColorModel().getNumColorComponents() == 1
                && img.getColorModel().getPixelSize() <= 16;
        int c = grey ? 1 : 3;
        byte[] px = new byte[h * w * c];
        if (grey && r.getNumBands() == 1 && img.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            int[] v = r.getPixels(0, 0, w, h, (int[]) null);
            for (int i = 0; i < v.length; i++) {
                px[i] = (byte) v[i];
            }
            return new AuditImage(h, w, 1, px);
        }
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < argb.length; i++) {
            int p = argb[i];
            if (c == 1) {
                px[i] = (byte) (p & 0xff);
            } else {
                px[3 * i] = (byte) (p >>> 16);
                px[3 * i + 1] = (byte) (p >>> 8);
                px[3 * i + 2] = (byte) p;
            }
        }
        return new AuditImage(h, w, c, px);
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
        BufferedImage img = new BufferedImage(width, height,
                channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        if (channels == 1) {
            int[] v = new int[pixels.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = pixels[i] & 0xff;
            }
            img.getRaster().setPixels(0, 0, width, height, v);
        } else {
            int[] rgb = new int[height * width];
            for (int i = 0; i < rgb.length; i++) {
                rgb[i] = (pixels[3 * i] & 0xff) << 16 | (pixels[3 * i + 1] & 0xff) << 8
                        | (pixels[3 * i + 2] & 0xff);
            }
            img.setRGB(0, 0, width, height, rgb, 0, width);
        }
        return img;
    }

    public byte[] encodePng() {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(toBufferedImage(), "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("PNG encoding failed", e);
        }
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
            double y = 0.299 * (pixels[3 * i] & 0xff) + 0.587 * (pixels[3 * i + 1] & 0xff)
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
