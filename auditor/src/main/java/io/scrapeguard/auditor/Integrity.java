package io.scrapeguard.auditor;

import io.scrapeguard.core.ClassWave;
import io.scrapeguard.core.MultiscaleArMethod;
import io.scrapeguard.imaging.ImageQuality;
import io.scrapeguard.imaging.scraper.Resample;
import java.util.List;

/**
 * Integrity of the published perturbation: how often the AR-filter classifier names the process of
 * an image's label from the delta of the published bytes, and the delivered norms. The
 * label-to-process assignment is the poisoner's secret, so it is learned here as the process of
 * each label on the train split (one process per label) and scored on the test split; class-free
 * noise then scores near chance instead of near its majority share. A perturbation made on a
 * coarser grid than the scraped image (an upsampled or multi-scale one) is read at that grid: the
 * delta is box-averaged by 1, 2 or 4 ({@code scale}), or downscaled with the scrapers' bicubic to a
 * grid of 32, 64, 128 or 256 cells on the short side ({@code grid}; {@code ar-multiscale}'s grids,
 * which a scraper's resize leaves at no whole factor of the image), and the reading whose train
 * split agrees best with one process per label is scored. Without the grids a 512x512 {@code
 * ar-multiscale} image, whose strongest component has 8-pixel cells, was read right in 60%.
 * Visibility beside it: the PSNR of the squared error pooled over all pairs (as a budget's PSNR is
 * computed) and the mean SSIM over up to {@value #SSIM_PAIRS} held-out pairs, of the protected
 * image against the clean one as the pipeline delivers them. {@code waveShare}: the share of the
 * scored deltas read by their class wave (1 for a wave reading, 0 for the filters; under {@code
 * ar-multiscale}'s {@code wave=auto}, the share of images the poisoner counted as photos).
 */
public record Integrity(
        boolean available,
        double filterAccuracy,
        int scored,
        double meanL2,
        double meanLinf,
        double maxLinf,
        int scale,
        int grid,
        double psnr,
        double meanSsim,
        boolean wave,
        boolean mixed,
        double waveShare) {

    /** The most pairs SSIM is averaged over (an 11x11 window per sample; large images cost). */
    static final int SSIM_PAIRS = 200;

    /** Box-averaging factors tried, finest first. */
    private static final int[] SCALES = {1, 2, 4};

    /** Grids (cells on the short side) tried after the box factors: ar-multiscale's. */
    private static final int[] GRIDS = {32, 64, 128, 256};

    /** Codes of a reading at or above this name a class wave, below it an AR process. */
    private static final int WAVE_CODE = 64;

    /**
     * Where the delta was read, for reports: "", "1/2 scale", "32-cell grid" or, read by its
     * class's chroma wave instead of the AR filters, "class wave"; where some deltas were read by
     * their wave and the others by the filters ({@code ar-multiscale}'s {@code wave=auto}), "class
     * wave or AR filters".
     */
    public String readAt() {
        String at = readWhere();
        String by = mixed ? mixedBy() : "class wave";
        return wave ? (at.isEmpty() ? by : by + " on the " + at) : at;
    }

    /** "class wave on 92% of the deltas, AR filters on the rest". */
    private String mixedBy() {
        return Double.isNaN(waveShare)
                ? "class wave or AR filters"
                : "class wave on " + percent(waveShare) + " of the deltas, AR filters on the rest";
    }

    /**
     * A share as reports print it, whole percent: "92%", and "under 1%" or "over 99%" where
     * rounding would say 0% or 100% of a share that is neither.
     */
    public static String percent(double share) {
        return share > 0 && share < 0.005
                ? "under 1%"
                : share < 1 && share >= 0.995
                        ? "over 99%"
                        : String.format(java.util.Locale.ROOT, "%.0f%%", 100 * share);
    }

    /** Who named the label's process, for reports: "AR-filter classifier names" and so on. */
    public String namedBy() {
        return mixed
                ? "class waves and AR filters name"
                : wave ? "class waves name" : "AR-filter classifier names";
    }

    /** Where the delta was read, for reports: "", "1/2 scale" or "32-cell grid". */
    public String readWhere() {
        return grid > 0 ? grid + "-cell grid" : scale > 1 ? "1/" + scale + " scale" : "";
    }

    /**
     * The reading and its accuracy for progress lines and reports: "AR-filter accuracy 0.998 at 1/2
     * scale", or for the waves "class-wave accuracy 1.000 on the 32-cell grid".
     */
    public String accuracyLine(String accuracy) {
        String at = readWhere();
        return (mixed
                        ? "class-wave/AR-filter accuracy "
                        : wave ? "class-wave accuracy " : "AR-filter accuracy ")
                + accuracy
                + (at.isEmpty() ? "" : wave ? " on the " + at : " at " + at);
    }

    /**
     * One way of reading a delta: a box factor or a grid, the size it reads at, and whether by the
     * class waves ({@code ar-multiscale:wave=S}) instead of the AR filters; {@code mixed}: by its
     * wave where one wave holds half of the delta's energy, else by the filters at that size.
     */
    private record Reading(
            int scale, int grid, int height, int width, boolean wave, boolean mixed) {
        /** The process the filters name, or WAVE_CODE + the class of the wave. */
        int classify(float[] d, int h, int w, int c, DeltaClassifier filters) {
            float[] r = apply(d, h, w, c);
            if (!wave) {
                return filters.classify(r, height, width, c);
            }
            double[] v = new double[r.length];
            double energy = 0;
            for (int i = 0; i < v.length; i++) {
                v[i] = r[i];
                energy += v[i] * v[i];
            }
            double[] e = ClassWave.energies(v, height, width, c);
            if (mixed && ClassWave.dominant(e, energy) < 0) {
                return filters.classify(r, height, width, c);
            }
            return WAVE_CODE + ClassWave.strongest(e);
        }

        float[] apply(float[] d, int h, int w, int c) {
            if (grid == 0) {
                return down(d, h, w, c, scale);
            }
            double[] v = new double[d.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = d[i];
            }
            double[] r = Resample.bicubic(v, h, w, c, height, width);
            float[] out = new float[r.length];
            for (int i = 0; i < r.length; i++) {
                out[i] = (float) r[i];
            }
            return out;
        }
    }

    private static List<Reading> readings(int h, int w) {
        List<Reading> out = new java.util.ArrayList<>();
        for (int f : SCALES) {
            if (h % f == 0 && w % f == 0 && Math.min(h, w) / f >= MIN_SIDE) {
                out.add(new Reading(f, 0, h / f, w / f, false, false));
            }
        }
        int shortSide = Math.min(h, w);
        for (int g : GRIDS) {
            if (g >= shortSide) {
                continue;
            }
            int gh = MultiscaleArMethod.gridSide(h, g, shortSide);
            int gw = MultiscaleArMethod.gridSide(w, g, shortSide);
            // a size a box factor already reads adds nothing
            if (out.stream().noneMatch(r -> r.height() == gh && r.width() == gw)) {
                out.add(new Reading(1, g, gh, gw, false, false));
            }
        }
        // the class waves (3.2 cycles per short side) whole at 32 cells, where they cost little
        for (boolean mixed : new boolean[] {false, true}) {
            if (shortSide <= ClassWave.READ_GRID) {
                out.add(new Reading(1, 0, h, w, true, mixed));
            } else {
                out.add(
                        new Reading(
                                1,
                                ClassWave.READ_GRID,
                                MultiscaleArMethod.gridSide(h, ClassWave.READ_GRID, shortSide),
                                MultiscaleArMethod.gridSide(w, ClassWave.READ_GRID, shortSide),
                                true,
                                mixed));
            }
        }
        return out;
    }

    /** The smallest side the AR filter is read at. */
    private static final int MIN_SIDE = 8;

    /**
     * Label -> process, one process per label at most (a bank assigns each label its own process):
     * greedily the (label, process) pair with the most train votes first. Noise whose filter
     * responses favour one process for every label then maps only one label to it.
     */
    static int[] assign(int[][] counts, int k) {
        int[] mapping = new int[k];
        java.util.Arrays.fill(mapping, -1);
        boolean[] used = new boolean[counts[0].length];
        for (int round = 0; round < k; round++) {
            int bestY = -1, bestP = -1;
            for (int y = 0; y < k; y++) {
                if (mapping[y] >= 0) {
                    continue;
                }
                for (int p = 0; p < counts[y].length; p++) {
                    if (!used[p]
                            && counts[y][p] > 0
                            && (bestY < 0 || counts[y][p] > counts[bestY][bestP])) {
                        bestY = y;
                        bestP = p;
                    }
                }
            }
            if (bestY < 0) {
                break;
            }
            mapping[bestY] = bestP;
            used[bestP] = true;
        }
        return mapping;
    }

    static Integrity measure(AuditSample s, DeltaClassifier classifier) {
        double l2 = 0, linf = 0, maxLinf = 0, squares = 0;
        long samples = 0;
        int n = 0;
        for (List<ImagePair> part : List.of(s.train(), s.test())) {
            for (ImagePair p : part) {
                float[] d = p.delta();
                double sq = 0, m = 0;
                for (float v : d) {
                    sq += (double) v * v;
                    m = Math.max(m, Math.abs(v));
                }
                l2 += Math.sqrt(sq);
                squares += sq;
                samples += d.length;
                linf += m;
                maxLinf = Math.max(maxLinf, m);
                n++;
            }
        }
        double psnr = ImageQuality.psnr(squares, samples);
        double ssim = meanSsim(s.test());
        if (classifier == null) {
            return new Integrity(
                    false,
                    Double.NaN,
                    0,
                    l2 / n,
                    linf / n,
                    maxLinf,
                    1,
                    0,
                    psnr,
                    ssim,
                    false,
                    false,
                    Double.NaN);
        }
        int h = s.height(), w = s.width(), c = s.channels(), k = s.classes();
        int[] trainY = s.trainLabels();
        Reading best = null;
        int bestAgree = -1;
        int[][] bestMappings = null;
        for (Reading rd : readings(h, w)) {
            // AR processes and class waves are counted, and mapped to labels, apart
            int[][] filterCounts = new int[k][WAVE_CODE];
            int[][] waveCounts = new int[k][WAVE_CODE];
            for (int i = 0; i < s.train().size(); i++) {
                int code = rd.classify(s.train().get(i).delta(), h, w, c, classifier);
                if (code >= 0 && code < 2 * WAVE_CODE) {
                    (code < WAVE_CODE ? filterCounts : waveCounts)[trainY[i]][code % WAVE_CODE]++;
                }
            }
            int[][] mappings = {assign(filterCounts, k), assign(waveCounts, k)};
            int agree = 0;
            for (int y = 0; y < k; y++) {
                agree += mappings[0][y] >= 0 ? filterCounts[y][mappings[0][y]] : 0;
                agree += mappings[1][y] >= 0 ? waveCounts[y][mappings[1][y]] : 0;
            }
            if (agree > bestAgree) {
                bestAgree = agree;
                best = rd;
                bestMappings = mappings;
            }
        }
        int right = 0;
        int byWave = 0;
        int[] testY = s.testLabels();
        for (int i = 0; i < s.test().size(); i++) {
            int code = best.classify(s.test().get(i).delta(), h, w, c, classifier);
            int mapped = bestMappings[code < WAVE_CODE ? 0 : 1][testY[i]];
            right += mapped >= 0 && code % WAVE_CODE == mapped ? 1 : 0;
            byWave += code >= WAVE_CODE ? 1 : 0;
        }
        return new Integrity(
                true,
                (double) right / s.test().size(),
                s.test().size(),
                l2 / n,
                linf / n,
                maxLinf,
                best.scale(),
                best.grid(),
                psnr,
                ssim,
                best.wave(),
                best.mixed(),
                (double) byWave / s.test().size());
    }

    private static double meanSsim(List<ImagePair> pairs) {
        int n = Math.min(SSIM_PAIRS, pairs.size());
        double sum = 0;
        for (int i = 0; i < n; i++) {
            ImagePair p = pairs.get(i);
            sum += ImageQuality.ssim(p.raw().toImage8(), p.published().toImage8());
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** The HWC delta box-averaged over f x f blocks. */
    static float[] down(float[] d, int h, int w, int c, int f) {
        if (f == 1) {
            return d;
        }
        int oh = h / f, ow = w / f;
        float[] out = new float[oh * ow * c];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int ch = 0; ch < c; ch++) {
                    out[((y / f) * ow + x / f) * c + ch] += d[(y * w + x) * c + ch];
                }
            }
        }
        for (int i = 0; i < out.length; i++) {
            out[i] /= f * f;
        }
        return out;
    }
}
