package io.scrapeguard.core;

import java.util.Locale;

/**
 * How evenly a perturbation covers an image: its energy per sample in each 32x32 region (a strip
 * narrower than 32 at the right or bottom edge joins the region next to it, so that a few pixels
 * never count as a region) against the mean over regions. {@code covered} is the share of regions
 * with at least half the mean, {@code peak} the largest region's multiple of it. A corner blotch
 * has few regions covered and a large peak; an image of one region is covered by definition.
 */
public record RegionCoverage(int regions, double covered, double peak) {
    public static final int REGION = 32;

    /** The coverage of HWC values. */
    public static RegionCoverage of(double[] values, int height, int width, int channels) {
        Accumulator a = new Accumulator(height, width);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int o = (y * width + x) * channels;
                double e = 0;
                for (int k = 0; k < channels; k++) {
                    e += values[o + k] * values[o + k];
                }
                a.add(y, x, e);
            }
        }
        return a.coverage();
    }

    /** The coverage of a perturbation. */
    public static RegionCoverage of(Perturbation p) {
        return of(p.valueArray(), p.height(), p.width(), p.channels());
    }

    /** Per-region energy sums, filled pixel by pixel. */
    static final class Accumulator {
        private final int width;
        private final int height;
        private final int cols;
        private final int rows;
        private final double[] energy;
        private final int[] pixels;
        private final int[] columnOf;

        Accumulator(int height, int width) {
            this.height = height;
            this.width = width;
            this.cols = Math.max(1, width / REGION);
            this.rows = Math.max(1, height / REGION);
            this.energy = new double[cols * rows];
            this.pixels = new int[cols * rows];
            this.columnOf = new int[width];
            for (int x = 0; x < width; x++) {
                columnOf[x] = Math.min(x / REGION, cols - 1);
            }
        }

        void add(int y, int x, double e) {
            int r = Math.min(y / REGION, rows - 1) * cols + columnOf[x];
            energy[r] += e;
            pixels[r]++;
        }

        /** Adds a whole row's pixel energies (one value per pixel). */
        void addRow(int y, double[] pixelEnergy) {
            int base = Math.min(y / REGION, rows - 1) * cols;
            for (int x = 0; x < width; x++) {
                energy[base + columnOf[x]] += pixelEnergy[x];
                pixels[base + columnOf[x]]++;
            }
        }

        RegionCoverage coverage() {
            int n = energy.length;
            if (n == 1) {
                return new RegionCoverage(1, energy[0] > 0 ? 1 : 0, 1);
            }
            double[] perPixel = new double[n];
            double mean = 0;
            for (int i = 0; i < n; i++) {
                perPixel[i] = energy[i] / pixels[i];
                mean += perPixel[i];
            }
            mean /= n;
            if (!(mean > 0)) {
                return new RegionCoverage(n, 0, 0);
            }
            int covered = 0;
            double peak = 0;
            for (double e : perPixel) {
                if (e >= 0.5 * mean) {
                    covered++;
                }
                peak = Math.max(peak, e / mean);
            }
            return new RegionCoverage(n, (double) covered / n, peak);
        }
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "%.1f%% of %d regions covered, peak %.2fx mean",
                100 * covered,
                regions,
                peak);
    }
}
