package io.scrapeguard.bench.audit;

import io.scrapeguard.imaging.Image8;
import io.scrapeguard.imaging.ImageCodec;
import io.scrapeguard.imaging.ImageRejectedException;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Real photos for the audit benchmark: an image folder ({@code <dir>/<label>/*.png|jpg}) turned
 * into same-shaped RGB PNGs, centre-cropped to a square and resized to {@code size} (the paper's
 * canaries train on CIFAR-sized images; a canary cannot train on mixed shapes). Photos already
 * {@code size} x {@code size} RGB keep their pixels.
 */
final class PhotoSet {
    private PhotoSet() {}

    /** What {@link #prepare} wrote and skipped. */
    record Prepared(int labels, int photos, int unreadable) {}

    /** Up to {@code perLabel} photos of each label (file-name order), into {@code out}. */
    static Prepared prepare(Path photos, Path out, int size, int perLabel) throws IOException {
        if (!Files.isDirectory(photos)) {
            throw new IllegalArgumentException("--photos " + photos + ": no such folder");
        }
        List<Path> labels;
        try (Stream<Path> s = Files.list(photos)) {
            labels = s.filter(Files::isDirectory).sorted().toList();
        }
        if (labels.size() < 2) {
            throw new IllegalArgumentException(
                    "--photos " + photos + " needs two or more <label>/ folders of images");
        }
        int written = 0;
        int unreadable = 0;
        for (Path label : labels) {
            Path dir = Files.createDirectories(out.resolve(label.getFileName().toString()));
            List<Path> files;
            try (Stream<Path> s = Files.list(label)) {
                files = s.filter(PhotoSet::isImage).sorted().limit(perLabel).toList();
            }
            for (Path f : files) {
                Image8 img;
                try {
                    img = ImageCodec.decode(Files.readAllBytes(f));
                } catch (ImageRejectedException e) {
                    unreadable++;
                    continue;
                }
                String name = f.getFileName().toString();
                name = name.substring(0, name.lastIndexOf('.')) + ".png";
                Files.write(dir.resolve(name), square(img, size).encodePng());
                written++;
            }
        }
        return new Prepared(labels.size(), written, unreadable);
    }

    private static boolean isImage(Path f) {
        String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
    }

    /** The centre square, resized to size x size, as opaque RGB. */
    static Image8 square(Image8 img, int size) {
        if (img.width() == size && img.height() == size && img.channels() == 3 && !img.hasAlpha()) {
            return img;
        }
        int side = Math.min(img.width(), img.height());
        BufferedImage src =
                img.toBufferedImage()
                        .getSubimage(
                                (img.width() - side) / 2, (img.height() - side) / 2, side, side);
        // halve first: one bilinear step from a large photo would alias
        while (side / 2 >= size * 2) {
            side /= 2;
            src = draw(src, side);
        }
        return Image8.fromBufferedImage(draw(src, size));
    }

    private static BufferedImage draw(BufferedImage src, int size) {
        BufferedImage dst = new BufferedImage(size, size, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = dst.createGraphics();
        try {
            g.setRenderingHint(
                    RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(src, 0, 0, size, size, null);
        } finally {
            g.dispose();
        }
        return dst;
    }
}
