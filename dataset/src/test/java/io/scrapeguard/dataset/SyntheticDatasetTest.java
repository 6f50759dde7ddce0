package io.scrapeguard.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticDatasetTest {

    @Test
    void writesTheImageFolderLayoutDeterministically(@TempDir Path tmp) throws Exception {
        SyntheticDataset ds = new SyntheticDataset(10, 32, 7);
        List<String> lines = new ArrayList<>();
        SyntheticDataset.Summary s = ds.write(tmp.resolve("a"), 5, lines::add);
        ds.write(tmp.resolve("b"), 5, l -> {});

        assertThat(s.files()).isEqualTo(50);
        assertThat(lines).isNotEmpty().last().asString().contains("50/50");
        try (Stream<Path> labels = Files.list(tmp.resolve("a"))) {
            assertThat(labels.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrderElementsOf(SyntheticDataset.SHAPES.subList(0, 10));
        }
        for (int c = 0; c < 10; c++) {
            for (int k = 0; k < 5; k++) {
                String rel = ds.label(c) + "/" + ds.fileName(c, k);
                Path a = tmp.resolve("a").resolve(rel);
                BufferedImage img = ImageIO.read(a.toFile());
                assertThat(img.getWidth()).isEqualTo(32);
                assertThat(img.getHeight()).isEqualTo(32);
                assertThat(Files.readAllBytes(a))
                        .as("same seed, same bytes: %s", rel)
                        .isEqualTo(Files.readAllBytes(tmp.resolve("b").resolve(rel)));
            }
        }
    }

    @Test
    void anotherSeedGivesOtherImagesAndLargerSizesWork() {
        int[] a = pixels(new SyntheticDataset(10, 64, 1).render(3, 0));
        int[] b = pixels(new SyntheticDataset(10, 64, 2).render(3, 0));
        assertThat(a).hasSize(64 * 64 * 3).isNotEqualTo(b);
    }

    /**
     * Learnable but not trivial: images of a class are not copies of each other (random colour,
     * position, rotation), yet a shape-only statistic separates classes: the nearest class centroid
     * of edge-magnitude histograms beats chance clearly while raw-colour centroids do not (the
     * class is in the geometry, not the colour).
     */
    @Test
    void classesDifferByShapeNotByColour() {
        int classes = 10, per = 40, size = 32;
        SyntheticDataset ds = new SyntheticDataset(classes, size, 3);
        double[][][] colour = new double[classes][per][];
        double[][][] shape = new double[classes][per][];
        for (int c = 0; c < classes; c++) {
            for (int k = 0; k < per; k++) {
                int[] px = pixels(ds.render(c, k));
                colour[c][k] = meanColour(px);
                shape[c][k] = foregroundProfile(px, size);
            }
            assertThat(pixels(ds.render(c, 0))).isNotEqualTo(pixels(ds.render(c, 1)));
        }
        double colourAcc = nearestCentroidAccuracy(colour);
        double shapeAcc = nearestCentroidAccuracy(shape);
        assertThat(colourAcc).as("colour alone").isLessThan(0.3);
        assertThat(shapeAcc).as("geometry").isGreaterThan(colourAcc + 0.1);
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> new SyntheticDataset(1, 32, 0)).hasMessageContaining("classes");
        assertThatThrownBy(() -> new SyntheticDataset(17, 32, 0)).hasMessageContaining("classes");
        assertThatThrownBy(() -> new SyntheticDataset(10, 8, 0)).hasMessageContaining("size");
    }

    private static int[] pixels(BufferedImage img) {
        return img.getRaster().getPixels(0, 0, img.getWidth(), img.getHeight(), (int[]) null);
    }

    private static double[] meanColour(int[] px) {
        double[] m = new double[3];
        for (int i = 0; i < px.length; i++) {
            m[i % 3] += px[i];
        }
        for (int i = 0; i < 3; i++) {
            m[i] /= px.length / 3.0;
        }
        return m;
    }

    /**
     * Shape descriptor independent of colour: the share of foreground pixels (far from the image's
     * median grey) and a histogram of run lengths along rows, which tells filled, hollow, striped
     * and dotted shapes apart.
     */
    private static double[] foregroundProfile(int[] px, int size) {
        double[] grey = new double[size * size];
        for (int i = 0; i < grey.length; i++) {
            grey[i] = (px[3 * i] + px[3 * i + 1] + px[3 * i + 2]) / 3.0;
        }
        double[] sorted = grey.clone();
        java.util.Arrays.sort(sorted);
        double median = sorted[sorted.length / 2];
        boolean[] fg = new boolean[grey.length];
        int count = 0;
        for (int i = 0; i < grey.length; i++) {
            fg[i] = Math.abs(grey[i] - median) > 40;
            count += fg[i] ? 1 : 0;
        }
        double[] f = new double[9];
        f[0] = 10.0 * count / grey.length;
        int runs = 0;
        for (int y = 0; y < size; y++) {
            int run = 0;
            for (int x = 0; x <= size; x++) {
                boolean on = x < size && fg[y * size + x];
                if (on) {
                    run++;
                } else if (run > 0) {
                    f[1 + Math.min(7, run / 2)]++;
                    runs++;
                    run = 0;
                }
            }
        }
        for (int i = 1; i < f.length; i++) {
            f[i] = runs == 0 ? 0 : 10.0 * f[i] / runs;
        }
        return f;
    }

    /** Centroids from the first half of each class, accuracy on the second half. */
    private static double nearestCentroidAccuracy(double[][][] features) {
        int classes = features.length, per = features[0].length, half = per / 2;
        int dim = features[0][0].length;
        double[][] centroid = new double[classes][dim];
        for (int c = 0; c < classes; c++) {
            for (int k = 0; k < half; k++) {
                for (int d = 0; d < dim; d++) {
                    centroid[c][d] += features[c][k][d] / half;
                }
            }
        }
        int right = 0, total = 0;
        for (int c = 0; c < classes; c++) {
            for (int k = half; k < per; k++) {
                int best = -1;
                double bestDist = Double.MAX_VALUE;
                for (int o = 0; o < classes; o++) {
                    double dist = 0;
                    for (int d = 0; d < dim; d++) {
                        double diff = features[c][k][d] - centroid[o][d];
                        dist += diff * diff;
                    }
                    if (dist < bestDist) {
                        bestDist = dist;
                        best = o;
                    }
                }
                right += best == c ? 1 : 0;
                total++;
            }
        }
        return (double) right / total;
    }
}
