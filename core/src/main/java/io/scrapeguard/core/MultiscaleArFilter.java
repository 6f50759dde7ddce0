package io.scrapeguard.core;

import io.scrapeguard.imaging.scraper.Resample;
import java.util.Map;
import java.util.Objects;

/**
 * The AR-filter classifier for every variant, on a delivered delta of any size (also one that a
 * scraper has downscaled). For {@code ar-multiscale} the delta is first downscaled, with the
 * scrapers' antialiased bicubic, to the grid that carries the largest share of the energy at the
 * delta's size: there that component is an AR field again, while at full size the 8-bit rounding
 * buries the small native share. A delta of a method that gives the class's chroma wave energy
 * ({@code ar-multiscale:wave=S}, and the default's {@code wave=auto}) is read on the waves ({@link
 * ClassWave}), which the AR filters do not name, where one wave holds at least half of its energy
 * (an AR delta holds a few percent on any). Other variants are classified as delivered.
 * Thread-safe.
 */
public final class MultiscaleArFilter {
    private final ArFilterClassifier filters;
    private final Map<Integer, Double> shares;

    /** Whether some of the method's deltas carry a class wave (wave=S or wave=auto). */
    private final boolean readsWaves;

    /** For a method's published deltas. */
    public static MultiscaleArFilter of(PerturbationMethod method, ProcessBank bank) {
        return method instanceof MultiscaleArMethod m
                ? new MultiscaleArFilter(bank, m.shares(), m.readsWaves())
                : new MultiscaleArFilter(bank, Map.of(MultiscaleArMethod.NATIVE, 1.0), false);
    }

    /** For {@code ar-multiscale} with these shares ({@code {NATIVE: 1}}: classify as delivered). */
    public MultiscaleArFilter(ProcessBank bank, Map<Integer, Double> shares) {
        this(bank, shares, false);
    }

    private MultiscaleArFilter(ProcessBank bank, Map<Integer, Double> shares, boolean readsWaves) {
        this.filters = new ArFilterClassifier(Objects.requireNonNull(bank, "bank"));
        this.shares = Map.copyOf(shares);
        this.readsWaves = readsWaves;
    }

    /**
     * The class whose wave holds the most energy, where that is at least half of the delta's; else
     * the class whose filters respond least at the scale of the strongest component.
     */
    public int classify(Perturbation delta) {
        double[] e = waveEnergies(delta);
        return e != null ? ClassWave.strongest(e) : filters.classify(atStrongestScale(delta));
    }

    /**
     * How clearly the label's process is in the delta: (r - r_label) / r with r the least response
     * of any other class's filters (at the strongest scale); positive when the label is named.
     */
    public double margin(Perturbation delta, int label) {
        double[] e = waveEnergies(delta);
        if (e != null) {
            return waveMargin(e, label);
        }
        double[] r = filters.responses(atStrongestScale(delta));
        double other = Double.POSITIVE_INFINITY;
        for (int k = 0; k < r.length; k++) {
            if (k != label) {
                other = Math.min(other, r[k]);
            }
        }
        return other > 0 ? (other - r[label]) / other : -1;
    }

    /**
     * For a wave delta: (e_label - e) / e_label with e the most energy on any other class's wave;
     * positive when the label is named.
     */
    private static double waveMargin(double[] e, int label) {
        if (label >= e.length || !(e[label] > 0)) {
            return -1;
        }
        double other = 0;
        for (int k = 0; k < e.length; k++) {
            if (k != label) {
                other = Math.max(other, e[k]);
            }
        }
        return (e[label] - other) / e[label];
    }

    /**
     * The delta's energy on each class's wave, where one holds half of it; else null. A larger
     * delta is read on the {@link ClassWave#READ_GRID}-cell grid, as the audit reads it.
     */
    private double[] waveEnergies(Perturbation delta) {
        if (!readsWaves) {
            return null;
        }
        Perturbation d =
                Math.min(delta.height(), delta.width()) > ClassWave.READ_GRID
                        ? atGrid(delta, ClassWave.READ_GRID)
                        : delta;
        double[] v = d.valueArray();
        double[] e = ClassWave.energies(v, d.height(), d.width(), d.channels());
        double l2 = Norms.l2(v);
        return ClassWave.dominant(e, l2 * l2) >= 0 ? e : null;
    }

    /** The delta at the grid of the largest share for its size (itself when that is native). */
    Perturbation atStrongestScale(Perturbation delta) {
        int h = delta.height();
        int w = delta.width();
        int grid = MultiscaleArMethod.NATIVE;
        double best = -1;
        for (Map.Entry<Integer, Double> e : MultiscaleArMethod.sharesFor(shares, h, w).entrySet()) {
            if (e.getValue() > best) {
                best = e.getValue();
                grid = e.getKey();
            }
        }
        return grid == MultiscaleArMethod.NATIVE ? delta : atGrid(delta, grid);
    }

    /** The delta downscaled with the scrapers' bicubic to {@code grid} cells on its short side. */
    private static Perturbation atGrid(Perturbation delta, int grid) {
        int h = delta.height();
        int w = delta.width();
        int shortSide = Math.min(h, w);
        int gh = MultiscaleArMethod.gridSide(h, grid, shortSide);
        int gw = MultiscaleArMethod.gridSide(w, grid, shortSide);
        double[] v = Resample.bicubic(delta.valueArray(), h, w, delta.channels(), gh, gw);
        return Perturbation.wrap(gh, gw, delta.channels(), v);
    }
}
