package io.scrapeguard.imaging.scraper;

import io.scrapeguard.imaging.ChromaWaves;
import io.scrapeguard.imaging.Image8;
import io.scrapeguard.imaging.ImageCodec;
import io.scrapeguard.imaging.ImageRejectedException;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * One transform a scraper applies to an image before training on it. Deterministic given the seed,
 * so that an original and its protected copy go through exactly the same transform.
 */
public sealed interface ScraperStep {
    Image8 apply(Image8 image, long seed);

    /** The step as written in a pipeline spec, e.g. {@code jpeg:95}. */
    String spec();

    /**
     * The side of the square the step trains at, or 0 when it keeps the size it is given. Only
     * {@code resize:R} sets a resolution.
     */
    default int resolution() {
        return 0;
    }

    static ScraperStep parse(String step) {
        String s = step.strip().toLowerCase(Locale.ROOT);
        int colon = s.indexOf(':');
        String name = colon < 0 ? s : s.substring(0, colon);
        String arg = colon < 0 ? null : s.substring(colon + 1);
        return switch (name) {
            case "native" -> {
                noArgument(name, arg);
                yield new Native();
            }
            case "gray", "grey" -> {
                noArgument(name, arg);
                yield new Gray();
            }
            case "unwave" -> {
                noArgument(name, arg);
                yield new Unwave();
            }
            case "jpeg" -> new Jpeg(intArgument(step, arg, 1, 100));
            case "resize" -> new Resize(intArgument(step, arg, 1, 16384));
            case "crop" -> new Crop(doubleArgument(step, arg));
            default ->
                    throw new IllegalArgumentException(
                            "unknown scraper step '"
                                    + step
                                    + "': use native, jpeg:Q, resize:R, gray, crop:F or unwave");
        };
    }

    private static void noArgument(String name, String arg) {
        if (arg != null) {
            throw new IllegalArgumentException("scraper step '" + name + "' takes no argument");
        }
    }

    private static int intArgument(String step, String arg, int min, int max) {
        try {
            int v = Integer.parseInt(arg == null ? "" : arg);
            if (v < min || v > max) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "scraper step '" + step + "' needs a whole number " + min + ".." + max);
        }
    }

    private static double doubleArgument(String step, String arg) {
        try {
            double v = Double.parseDouble(arg == null ? "" : arg);
            if (!(v > 0 && v <= 1)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "scraper step '" + step + "' needs a scale in (0, 1], e.g. crop:0.08");
        }
    }

    /** The published bytes as they are. */
    record Native() implements ScraperStep {
        @Override
        public Image8 apply(Image8 image, long seed) {
            return image;
        }

        @Override
        public String spec() {
            return "native";
        }
    }

    /** A JPEG re-encoding at quality Q (4:2:0, as common encoders default to), decoded again. */
    record Jpeg(int quality) implements ScraperStep {
        @Override
        public Image8 apply(Image8 image, long seed) {
            try {
                return ImageCodec.decode(ImageCodec.encodeJpeg(image, quality));
            } catch (ImageRejectedException e) {
                throw new IllegalStateException("our own JPEG does not decode", e);
            }
        }

        @Override
        public String spec() {
            return "jpeg:" + quality;
        }
    }

    /**
     * The short side resized to R with antialiasing (bicubic, as Pillow and torchvision), then a
     * center crop to R x R: torchvision's {@code Resize(R)} + {@code CenterCrop(R)}, and
     * img2dataset's {@code resize_mode=center_crop}.
     */
    record Resize(int size) implements ScraperStep {
        @Override
        public Image8 apply(Image8 image, long seed) {
            int w = image.width();
            int h = image.height();
            int nw;
            int nh;
            if (w <= h) {
                nw = size;
                nh = Math.max(1, (int) ((long) size * h / w));
            } else {
                nh = size;
                nw = Math.max(1, (int) ((long) size * w / h));
            }
            Image8 resized = Resample.bicubic(image, nw, nh);
            return Crops.crop(
                    resized,
                    (int) Math.round((nw - size) / 2.0),
                    (int) Math.round((nh - size) / 2.0),
                    size,
                    size);
        }

        @Override
        public String spec() {
            return "resize:" + size;
        }

        @Override
        public int resolution() {
            return size;
        }
    }

    /**
     * Luminance (ITU-R 601, as Pillow's {@code convert("L")}), kept in as many channels as the
     * image had, so a model's input shape does not change: the "image shortcut squeezing" defence.
     */
    record Gray() implements ScraperStep {
        @Override
        public Image8 apply(Image8 image, long seed) {
            if (image.channels() == 1) {
                return image;
            }
            byte[] px = image.pixelArray();
            byte[] out = new byte[px.length];
            for (int i = 0; i < px.length; i += 3) {
                int l =
                        ((px[i] & 0xFF) * 299
                                        + (px[i + 1] & 0xFF) * 587
                                        + (px[i + 2] & 0xFF) * 114
                                        + 500)
                                / 1000;
                out[i] = out[i + 1] = out[i + 2] = (byte) l;
            }
            return Image8.wrap(image.width(), image.height(), 3, out, null);
        }

        @Override
        public String spec() {
            return "gray";
        }
    }

    /**
     * A targeted scraper: one that knows ScrapeGuard's public class-wave codes ({@link
     * ChromaWaves}) and fits all ten waves out of every image up to 64x64, at any phase, by least
     * squares. It takes the photo's own chroma at those ten waves too.
     */
    record Unwave() implements ScraperStep {
        @Override
        public Image8 apply(Image8 image, long seed) {
            return ChromaWaves.fitOut(image);
        }

        @Override
        public String spec() {
            return "unwave";
        }
    }

    /**
     * A random resized crop (torchvision's default training transform): an area share in [F, 1] and
     * an aspect ratio in [3/4, 4/3], chosen by the seed, resized back to the image's size.
     */
    record Crop(double minScale) implements ScraperStep {
        @Override
        public Image8 apply(Image8 image, long seed) {
            int w = image.width();
            int h = image.height();
            SplittableRandom rnd = new SplittableRandom(seed);
            double area = (double) w * h;
            for (int attempt = 0; attempt < 10; attempt++) {
                double target = area * (minScale + (1 - minScale) * rnd.nextDouble());
                double logRatio = Math.log(3 / 4.0) + rnd.nextDouble() * Math.log(16 / 9.0);
                double ratio = Math.exp(logRatio);
                int cw = (int) Math.round(Math.sqrt(target * ratio));
                int ch = (int) Math.round(Math.sqrt(target / ratio));
                if (cw > 0 && ch > 0 && cw <= w && ch <= h) {
                    int x = rnd.nextInt(w - cw + 1);
                    int y = rnd.nextInt(h - ch + 1);
                    return Resample.bicubic(Crops.crop(image, x, y, cw, ch), w, h);
                }
            }
            return image; // torchvision falls back to a center crop of the whole image
        }

        @Override
        public String spec() {
            return "crop:" + minScale;
        }
    }
}
