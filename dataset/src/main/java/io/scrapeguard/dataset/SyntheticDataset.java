package io.scrapeguard.dataset;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;

/**
 * A generated, labelled image set: one shape or texture per class, drawn with a random colour,
 * position, scale and rotation over a noisy gradient background. A small CNN learns it well from
 * clean images, but not trivially (the class is in the geometry, never in the colour or the
 * position). Every image is a pure function of (seed, class, index), so a dataset is reproducible
 * and can be written in parallel.
 */
public final class SyntheticDataset {

    /** Class names in class-index order; the first ten are the most distinct shapes. */
    public static final List<String> SHAPES =
            List.of(
                    "circle",
                    "square",
                    "triangle",
                    "cross",
                    "ring",
                    "star",
                    "stripes",
                    "checker",
                    "dots",
                    "frame",
                    "hexagon",
                    "arrow",
                    "ellipse",
                    "crescent",
                    "lshape",
                    "heart");

    public static final int MIN_SIZE = 16;
    public static final int MAX_SIZE = 1024;

    private final int classes;
    private final int size;
    private final long seed;
    private final boolean numericLabels;

    public SyntheticDataset(int classes, int size, long seed) {
        this(classes, size, seed, false);
    }

    /**
     * With {@code numericLabels}, folders are named by class index ("0", "1", ...) as {@code
     * ./guard perturb} expects; otherwise by shape ("circle", "square", ...).
     */
    public SyntheticDataset(int classes, int size, long seed, boolean numericLabels) {
        if (classes < 2 || classes > SHAPES.size()) {
            throw new IllegalArgumentException(
                    "classes must be between 2 and " + SHAPES.size() + ", got " + classes);
        }
        if (size < MIN_SIZE || size > MAX_SIZE) {
            throw new IllegalArgumentException(
                    "size must be between " + MIN_SIZE + " and " + MAX_SIZE + ", got " + size);
        }
        this.classes = classes;
        this.size = size;
        this.seed = seed;
        this.numericLabels = numericLabels;
    }

    public int classes() {
        return classes;
    }

    public int size() {
        return size;
    }

    /** The label (folder name) of a class index. */
    public String label(int classIndex) {
        return numericLabels ? Integer.toString(classIndex) : SHAPES.get(classIndex);
    }

    public List<String> labels() {
        return IntStream.range(0, classes).mapToObj(this::label).toList();
    }

    /** The file name of image {@code index} of a class; unique across the whole dataset. */
    public String fileName(int classIndex, int index) {
        return String.format(Locale.ROOT, "%s-%05d.png", SHAPES.get(classIndex), index);
    }

    /** Renders image {@code index} of class {@code classIndex} (3-channel, 8-bit). */
    public BufferedImage render(int classIndex, int index) {
        SplittableRandom rng = new SplittableRandom(mix(seed, classIndex, index));
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            Color bgA = randomColour(rng);
            Color bgB = blend(bgA, randomColour(rng), 0.5);
            double angle = rng.nextDouble(2 * Math.PI);
            float dx = (float) (Math.cos(angle) * size), dy = (float) (Math.sin(angle) * size);
            g.setPaint(
                    new GradientPaint(
                            size / 2f - dx / 2,
                            size / 2f - dy / 2,
                            bgA,
                            size / 2f + dx / 2,
                            size / 2f + dy / 2,
                            bgB));
            g.fillRect(0, 0, size, size);

            Color fg = contrasting(rng, blend(bgA, bgB, 0.5));
            double radius = size * (0.22 + 0.14 * rng.nextDouble());
            double margin = radius * 0.8;
            double cx = margin + rng.nextDouble() * Math.max(1, size - 2 * margin);
            double cy = margin + rng.nextDouble() * Math.max(1, size - 2 * margin);
            AffineTransform at = new AffineTransform();
            at.translate(cx, cy);
            at.rotate(rng.nextDouble(2 * Math.PI));
            at.scale(radius, radius);
            g.setColor(fg);
            g.fill(at.createTransformedShape(unitShape(classIndex)));
            // A thin random line: clutter that carries no class information.
            g.setColor(blend(fg, bgA, 0.5));
            g.setStroke(new BasicStroke(Math.max(1f, size / 32f)));
            g.drawLine(rng.nextInt(size), rng.nextInt(size), rng.nextInt(size), rng.nextInt(size));
        } finally {
            g.dispose();
        }
        // Sensor-like noise of 0.6-2.6 levels: photos carry about that much. Stronger i.i.d. noise
        // (it was 5-18 levels) buries the AR perturbation (about 4.6 levels RMS) for a small
        // canary, which then learned nothing of the shortcut that it learns on real photos.
        addNoise(img, rng, 255 * (0.0025 + 0.0075 * rng.nextDouble()));
        return img;
    }

    /** What {@link #write} produced. */
    public record Summary(Path root, int classes, int perClass, int size, int files, long millis) {}

    /**
     * Writes {@code perClass} images of every class as {@code <root>/<label>/<label>-<index>.png}
     * (the image-folder layout), reporting progress about every tenth of the way.
     */
    public Summary write(Path root, int perClass, Consumer<String> progress) throws IOException {
        if (perClass < 1) {
            throw new IllegalArgumentException("per-class must be at least 1, got " + perClass);
        }
        long start = System.nanoTime();
        for (String label : labels()) {
            Files.createDirectories(root.resolve(label));
        }
        int total = classes * perClass;
        int step = Math.max(1, total / 10);
        AtomicInteger done = new AtomicInteger();
        try {
            IntStream.range(0, total)
                    .parallel()
                    .forEach(
                            i -> {
                                int c = i / perClass, k = i % perClass;
                                Path file = root.resolve(label(c)).resolve(fileName(c, k));
                                try {
                                    if (!ImageIO.write(render(c, k), "png", file.toFile())) {
                                        throw new IOException("no PNG writer available");
                                    }
                                } catch (IOException e) {
                                    throw new UncheckedIOException("cannot write " + file, e);
                                }
                                int n = done.incrementAndGet();
                                if (n % step == 0 || n == total) {
                                    progress.accept(
                                            String.format(
                                                    Locale.ROOT,
                                                    "dataset: %d/%d images (%d%%)",
                                                    n,
                                                    total,
                                                    100L * n / total));
                                }
                            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return new Summary(
                root, classes, perClass, size, total, (System.nanoTime() - start) / 1_000_000);
    }

    /** The class's shape, centred on the origin, about unit radius. */
    static Shape unitShape(int classIndex) {
        return switch (SHAPES.get(classIndex)) {
            case "circle" -> new Ellipse2D.Double(-0.85, -0.85, 1.7, 1.7);
            case "square" -> new Rectangle2D.Double(-0.75, -0.75, 1.5, 1.5);
            case "triangle" -> polygon(3, 1.0, 0);
            case "cross" -> {
                Area a = new Area(new Rectangle2D.Double(-1, -0.22, 2, 0.44));
                a.add(new Area(new Rectangle2D.Double(-0.22, -1, 0.44, 2)));
                yield a;
            }
            case "ring" -> ring(1.0, 0.55);
            case "star" -> star(5, 1.0, 0.42);
            case "stripes" -> {
                Area a = new Area();
                for (int i = 0; i < 4; i++) {
                    a.add(new Area(new Rectangle2D.Double(-0.8, -0.8 + i * 0.45, 1.6, 0.22)));
                }
                yield a;
            }
            case "checker" -> {
                Area a = new Area();
                for (int y = 0; y < 4; y++) {
                    for (int x = 0; x < 4; x++) {
                        if ((x + y) % 2 == 0) {
                            a.add(
                                    new Area(
                                            new Rectangle2D.Double(
                                                    -0.8 + x * 0.4, -0.8 + y * 0.4, 0.4, 0.4)));
                        }
                    }
                }
                yield a;
            }
            case "dots" -> {
                Area a = new Area();
                for (int y = -1; y <= 1; y++) {
                    for (int x = -1; x <= 1; x++) {
                        a.add(
                                new Area(
                                        new Ellipse2D.Double(
                                                x * 0.6 - 0.18, y * 0.6 - 0.18, 0.36, 0.36)));
                    }
                }
                yield a;
            }
            case "frame" -> {
                Area a = new Area(new Rectangle2D.Double(-0.85, -0.85, 1.7, 1.7));
                a.subtract(new Area(new Rectangle2D.Double(-0.5, -0.5, 1.0, 1.0)));
                yield a;
            }
            case "hexagon" -> polygon(6, 0.95, 0);
            case "arrow" -> {
                Path2D p = new Path2D.Double();
                p.moveTo(1, 0);
                p.lineTo(0.1, -0.7);
                p.lineTo(0.1, -0.25);
                p.lineTo(-1, -0.25);
                p.lineTo(-1, 0.25);
                p.lineTo(0.1, 0.25);
                p.lineTo(0.1, 0.7);
                p.closePath();
                yield p;
            }
            case "ellipse" -> new Ellipse2D.Double(-1, -0.45, 2, 0.9);
            case "crescent" -> {
                Area a = new Area(new Ellipse2D.Double(-0.9, -0.9, 1.8, 1.8));
                a.subtract(new Area(new Ellipse2D.Double(-0.45, -0.95, 1.8, 1.8)));
                yield a;
            }
            case "lshape" -> {
                Area a = new Area(new Rectangle2D.Double(-0.8, -0.9, 0.5, 1.8));
                a.add(new Area(new Rectangle2D.Double(-0.8, 0.4, 1.6, 0.5)));
                yield a;
            }
            case "heart" -> {
                Area a = new Area(new Ellipse2D.Double(-0.9, -0.8, 0.95, 0.95));
                a.add(new Area(new Ellipse2D.Double(-0.05, -0.8, 0.95, 0.95)));
                Path2D p = new Path2D.Double();
                p.moveTo(-0.85, -0.15);
                p.lineTo(0.85, -0.15);
                p.lineTo(0, 0.95);
                p.closePath();
                a.add(new Area(p));
                yield a;
            }
            default -> throw new IllegalStateException("no shape for class " + classIndex);
        };
    }

    private static Shape polygon(int sides, double r, double phase) {
        Path2D p = new Path2D.Double();
        for (int i = 0; i < sides; i++) {
            double a = phase + 2 * Math.PI * i / sides - Math.PI / 2;
            if (i == 0) {
                p.moveTo(r * Math.cos(a), r * Math.sin(a));
            } else {
                p.lineTo(r * Math.cos(a), r * Math.sin(a));
            }
        }
        p.closePath();
        return p;
    }

    private static Shape star(int points, double outer, double inner) {
        Path2D p = new Path2D.Double();
        for (int i = 0; i < 2 * points; i++) {
            double r = i % 2 == 0 ? outer : inner;
            double a = Math.PI * i / points - Math.PI / 2;
            if (i == 0) {
                p.moveTo(r * Math.cos(a), r * Math.sin(a));
            } else {
                p.lineTo(r * Math.cos(a), r * Math.sin(a));
            }
        }
        p.closePath();
        return p;
    }

    private static Shape ring(double outer, double inner) {
        Area a = new Area(new Ellipse2D.Double(-outer, -outer, 2 * outer, 2 * outer));
        a.subtract(new Area(new Ellipse2D.Double(-inner, -inner, 2 * inner, 2 * inner)));
        return a;
    }

    private static Color randomColour(SplittableRandom rng) {
        return new Color(rng.nextInt(256), rng.nextInt(256), rng.nextInt(256));
    }

    /** A random colour whose luminance differs clearly from the background's. */
    private static Color contrasting(SplittableRandom rng, Color background) {
        double bg = luminance(background);
        for (int attempt = 0; attempt < 32; attempt++) {
            Color c = randomColour(rng);
            if (Math.abs(luminance(c) - bg) >= 0.3) {
                return c;
            }
        }
        return bg > 0.5 ? Color.BLACK : Color.WHITE;
    }

    private static double luminance(Color c) {
        return (0.299 * c.getRed() + 0.587 * c.getGreen() + 0.114 * c.getBlue()) / 255.0;
    }

    private static Color blend(Color a, Color b, double t) {
        return new Color(
                (int) Math.round(a.getRed() * (1 - t) + b.getRed() * t),
                (int) Math.round(a.getGreen() * (1 - t) + b.getGreen() * t),
                (int) Math.round(a.getBlue() * (1 - t) + b.getBlue() * t));
    }

    private static void addNoise(BufferedImage img, SplittableRandom rng, double sigma) {
        WritableRaster r = img.getRaster();
        int[] px = r.getPixels(0, 0, img.getWidth(), img.getHeight(), (int[]) null);
        for (int i = 0; i < px.length; i++) {
            double v = px[i] + sigma * gaussian(rng);
            px[i] = (int) Math.max(0, Math.min(255, Math.round(v)));
        }
        r.setPixels(0, 0, img.getWidth(), img.getHeight(), px);
    }

    private static double gaussian(SplittableRandom rng) {
        double u = 1 - rng.nextDouble(), v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    private static long mix(long seed, int classIndex, int index) {
        long z = seed * 0x9E3779B97F4A7C15L + classIndex * 0xBF58476D1CE4E5B9L + index;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
