package io.scrapeguard.bench.robustness;

import io.scrapeguard.dataset.SyntheticDataset;
import io.scrapeguard.imaging.Image8;
import io.scrapeguard.imaging.ImageCodec;
import io.scrapeguard.imaging.ImageRejectedException;
import io.scrapeguard.imaging.scraper.Resample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The labelled images the robustness benchmark protects: the generated set, a folder in the
 * image-folder layout ({@code <label>/<file>}, e.g. the real photos in ../shared), balanced over
 * the labels and resized (Pillow's bicubic) to the size under test, as a platform's larger
 * originals would be.
 */
final class RobustnessSources {
    /**
     * One labelled original; {@code id} seeds its perturbation; {@code labelName} is its folder,
     * the label an offline audit of the same folders reads.
     */
    record Source(String id, int label, String labelName, Image8 image) {}

    private RobustnessSources() {}

    /** {@code generated} or a folder; {@code pairs} images balanced over its labels. */
    static List<Source> load(
            String source, int pairs, int width, int height, Consumer<String> progress)
            throws IOException {
        if (source.equals("generated")) {
            Path tmp = Files.createTempDirectory("robustness-src");
            try {
                new SyntheticDataset(10, Math.max(32, Math.min(width, height)), 1)
                        .write(tmp, (pairs + 9) / 10, l -> {});
                return folder(tmp, pairs, width, height, progress);
            } finally {
                try (Stream<Path> w = Files.walk(tmp)) {
                    w.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }
        Path dir = Path.of(source);
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(
                    "--source must be 'generated' or a folder of"
                            + " <label>/<file> images; not found: "
                            + dir);
        }
        return folder(dir, pairs, width, height, progress);
    }

    private static List<Source> folder(
            Path dir, int pairs, int width, int height, Consumer<String> progress)
            throws IOException {
        List<Path> labels;
        try (Stream<Path> s = Files.list(dir)) {
            labels = s.filter(Files::isDirectory).sorted().toList();
        }
        if (labels.isEmpty()) {
            throw new IllegalArgumentException("no <label>/ folders in " + dir);
        }
        int perLabel = (pairs + labels.size() - 1) / labels.size();
        List<Source> out = new ArrayList<>();
        for (int k = 0; k < labels.size(); k++) {
            List<Path> files;
            try (Stream<Path> s = Files.list(labels.get(k))) {
                files = s.filter(Files::isRegularFile).sorted().limit(perLabel).toList();
            }
            for (Path f : files) {
                Image8 img;
                try {
                    img = ImageCodec.decode(Files.readAllBytes(f));
                } catch (ImageRejectedException e) {
                    progress.accept("robustness: skipped " + f + ": " + e.getMessage());
                    continue;
                }
                String id = labels.get(k).getFileName() + "/" + f.getFileName();
                out.add(
                        new Source(
                                id,
                                k,
                                labels.get(k).getFileName().toString(),
                                Resample.bicubic(img, width, height)));
            }
        }
        progress.accept(
                "robustness: "
                        + out.size()
                        + " images in "
                        + labels.size()
                        + " labels from "
                        + dir
                        + " at "
                        + width
                        + "x"
                        + height);
        return out;
    }
}
