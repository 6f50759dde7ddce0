package io.scrapeguard.core;

import java.util.Locale;

/**
 * How large a perturbation may be. L2: epsilon is given at the paper's reference size 32x32x3 and
 * scaled by sqrt(H*W*C/3072) (1 at 32x32x3 gives 3 at 96x96x3). Linf: epsilon per sample. Defaults:
 * L2 1.0, Linf 8/255.
 */
public final class Budget {
    /** The paper's reference size, 32x32x3 values. */
    public static final int REFERENCE_VALUES = 32 * 32 * 3;

    public enum Norm {
        L2,
        LINF
    }

    private final Norm norm;
    private final double epsilon;

    private Budget(Norm norm, double epsilon) {
        if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
            throw new IllegalArgumentException(
                    "epsilon must be a positive finite number, got " + epsilon);
        }
        if (norm == Norm.LINF && epsilon > 1) {
            throw new IllegalArgumentException(
                    "an Linf epsilon above 1 exceeds the pixel range, got " + epsilon);
        }
        this.norm = norm;
        this.epsilon = epsilon;
    }

    /** L2 budget, epsilon at 32x32x3. */
    public static Budget l2(double epsilonAtReference) {
        return new Budget(Norm.L2, epsilonAtReference);
    }

    /** Linf budget in pixel units of [0, 1]. */
    public static Budget linf(double epsilon) {
        return new Budget(Norm.LINF, epsilon);
    }

    /**
     * The default L2 epsilon at 32x32x3. The paper's is 1.0; 1.11 costs 0.9 dB of PSNR (34.0 dB
     * against 34.9) and a scraper's model learns the shortcut far more readily, since its response
     * to the energy that survives a resize is steep: on 2,000 photos upscaled to 128 and scraped at
     * 32, the canary's protection score went from 0.22 to 0.40 and its follow rate from 33% to 50%
     * (docs/benchmarks.md). {@code --budget l2=1.0} gives the paper's.
     */
    public static final double DEFAULT_L2 = 1.11;

    /** The default L2 budget: {@value #DEFAULT_L2} at 32x32x3. */
    public static Budget defaultL2() {
        return l2(DEFAULT_L2);
    }

    /** The usual Linf budget: 8/255. */
    public static Budget defaultLinf() {
        return linf(8.0 / 255.0);
    }

    /**
     * Parses "l2", "linf", "l2=0.5", "linf=8/255", "l2:1", "linf:0.03" (the forms {@link
     * #describe()} prints are accepted too).
     */
    public static Budget parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("budget is empty; use e.g. l2=1.0 or linf=8/255");
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        int at = t.indexOf('@');
        if (at >= 0) {
            t = t.substring(0, at);
        }
        String[] parts = t.split("[=:]", 2);
        String n = parts[0].trim();
        Norm norm =
                switch (n) {
                    case "l2" -> Norm.L2;
                    case "linf", "l-inf", "inf" -> Norm.LINF;
                    default ->
                            throw new IllegalArgumentException(
                                    "unknown budget norm '"
                                            + parts[0]
                                            + "'; use l2 or linf (e.g. l2=1.0, linf=8/255)");
                };
        if (parts.length == 1) {
            return norm == Norm.L2 ? defaultL2() : defaultLinf();
        }
        return new Budget(norm, parseNumber(parts[1].trim()));
    }

    private static double parseNumber(String s) {
        try {
            int slash = s.indexOf('/');
            if (slash >= 0) {
                return Double.parseDouble(s.substring(0, slash))
                        / Double.parseDouble(s.substring(slash + 1));
            }
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("budget epsilon '" + s + "' is not a number");
        }
    }

    public Norm norm() {
        return norm;
    }

    /** Epsilon as given (for L2: at the reference size 32x32x3). */
    public double epsilon() {
        return epsilon;
    }

    /** The norm a perturbation of this size is scaled to. */
    public double epsilonFor(int height, int width, int channels) {
        Shapes.check(height, width, channels);
        if (norm == Norm.LINF) {
            return epsilon;
        }
        return epsilon * Math.sqrt((double) height * width * channels / REFERENCE_VALUES);
    }

    /** This budget's norm of the values. */
    public double measure(double[] values) {
        return norm == Norm.L2 ? Norms.l2(values) : Norms.linf(values);
    }

    /**
     * Scales values in place to exactly this budget and returns the norm they had before. Fails for
     * an all-zero or non-finite input (a diverged AR process), which cannot be scaled.
     */
    public double scaleInPlace(double[] values, int height, int width, int channels) {
        double before = measure(values);
        double factor = factor(before, height, width, channels);
        for (int i = 0; i < values.length; i++) {
            values[i] *= factor;
        }
        return before;
    }

    /** The factor that scales a perturbation of the given norm to the budget. */
    double factor(double normBefore, int height, int width, int channels) {
        if (!Double.isFinite(normBefore)) {
            throw new ArithmeticException(
                    "perturbation norm is "
                            + normBefore
                            + " (diverged); it cannot be scaled to "
                            + describe(height, width, channels));
        }
        if (normBefore == 0) {
            throw new ArithmeticException(
                    "perturbation is all zero; it cannot be scaled to "
                            + describe(height, width, channels));
        }
        return epsilonFor(height, width, channels) / normBefore;
    }

    /** For publishing: "l2=1.0@32x32x3" or "linf=8/255". */
    public String describe() {
        if (norm == Norm.L2) {
            return "l2=" + fmt(epsilon) + "@32x32x3";
        }
        double k = epsilon * 255;
        if (Math.abs(k - Math.rint(k)) < 1e-9) {
            return "linf=" + (long) Math.rint(k) + "/255";
        }
        return "linf=" + fmt(epsilon);
    }

    /** The budget at a concrete size: "l2=3.0 at 96x96x3 (l2=1.0@32x32x3)". */
    public String describe(int height, int width, int channels) {
        if (norm == Norm.LINF) {
            return describe();
        }
        return "l2="
                + fmt(epsilonFor(height, width, channels))
                + " at "
                + height
                + "x"
                + width
                + "x"
                + channels
                + " ("
                + describe()
                + ")";
    }

    private static String fmt(double x) {
        String s = String.format(Locale.ROOT, "%.6g", x);
        if (s.contains("e")) {
            return s;
        }
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s + "0" : s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Budget b && b.norm == norm && b.epsilon == epsilon;
    }

    @Override
    public int hashCode() {
        return norm.hashCode() * 31 + Double.hashCode(epsilon);
    }

    @Override
    public String toString() {
        return describe();
    }
}
