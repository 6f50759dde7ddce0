package io.scrapeguard.core;

import java.util.Objects;

/**
 * The hand-built classifier of the paper (A.1, A.2). Each process's filter is its window with -1 at
 * [2][2]; the response of a channel to a filter is the sum of ReLU(cross-correlation) over the
 * valid region; a perturbation belongs to the class whose filters give the smallest total response
 * over the channels (its own filters respond with zero: Lemma 3.1). Thread-safe.
 */
public final class ArFilterClassifier {
    private final ProcessBank bank;

    /** [k][window channel][9] filter taps. */
    private final double[][][] taps;

    public ArFilterClassifier(ProcessBank bank) {
        this.bank = Objects.requireNonNull(bank, "bank");
        this.taps = new double[bank.size()][3][];
        for (int k = 0; k < bank.size(); k++) {
            for (int c = 0; c < 3; c++) {
                taps[k][c] = bank.process(k).filterTaps(c);
            }
        }
    }

    public ProcessBank bank() {
        return bank;
    }

    /**
     * The class whose filters respond least (ties: the lower class). Equal to the argmin of {@link
     * #responses}, but cheaper: the most likely class (least response on the first rows) is
     * measured first, and every other class stops as soon as it exceeds that bound.
     */
    public int classify(Perturbation p) {
        double[][][] planes = planes(p);
        int h = p.height();
        int w = p.width();
        int k0 = bank.size();
        int probeRows = Math.min(h, 4);
        double[] probe = new double[k0];
        for (int k = 0; k < k0; k++) {
            probe[k] = total(planes, k, 0, probeRows, w, Double.POSITIVE_INFINITY);
        }
        int best = argMin(probe);
        double bound = total(planes, best, 0, h, w, Double.POSITIVE_INFINITY);
        for (int k = 0; k < k0; k++) {
            if (k == best) {
                continue;
            }
            double r = total(planes, k, 0, h, w, bound);
            if (r < bound || (r == bound && k < best)) {
                best = k;
                bound = r;
            }
        }
        return best;
    }

    /** Total response of every class's filters, summed over the perturbation's channels. */
    public double[] responses(Perturbation p) {
        double[][][] planes = planes(p);
        double[] r = new double[bank.size()];
        for (int k = 0; k < r.length; k++) {
            r[k] = total(planes, k, 0, p.height(), p.width(), Double.POSITIVE_INFINITY);
        }
        return r;
    }

    /** Responses per class and channel, [k][c]. */
    public double[][] channelResponses(Perturbation p) {
        double[][][] planes = planes(p);
        double[][] r = new double[bank.size()][planes.length];
        for (int k = 0; k < r.length; k++) {
            for (int c = 0; c < planes.length; c++) {
                r[k][c] =
                        responseRows(
                                planes[c],
                                0,
                                0,
                                p.height(),
                                p.width(),
                                taps[k][c % 3],
                                Double.POSITIVE_INFINITY);
            }
        }
        return r;
    }

    /** Total response of class k's filters. */
    public double response(int k, Perturbation p) {
        bank.process(k);
        return total(planes(p), k, 0, p.height(), p.width(), Double.POSITIVE_INFINITY);
    }

    /** Class k's response over rows [top, top+h), stopping once it exceeds {@code stopAbove}. */
    private double total(double[][][] planes, int k, int top, int h, int w, double stopAbove) {
        double t = 0;
        for (int c = 0; c < planes.length; c++) {
            t += responseRows(planes[c], top, 0, h, w, taps[k][c % 3], stopAbove - t);
            if (t > stopAbove) {
                return t;
            }
        }
        return t;
    }

    static int argMin(double[] r) {
        int best = 0;
        for (int k = 1; k < r.length; k++) {
            if (r[k] < r[best]) {
                best = k;
            }
        }
        return best;
    }

    /** The perturbation as [channel][row][col] row arrays. */
    private static double[][][] planes(Perturbation p) {
        int h = p.height();
        int w = p.width();
        int ch = p.channels();
        if (h < 3 || w < 3) {
            throw new IllegalArgumentException(
                    "a perturbation needs at least 3x3 pixels for the AR"
                            + " filters, got "
                            + h
                            + "x"
                            + w);
        }
        double[] v = p.valueArray();
        double[][][] planes = new double[ch][h][w];
        for (int y = 0; y < h; y++) {
            int o = y * w * ch;
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < ch; c++) {
                    planes[c][y][x] = v[o + x * ch + c];
                }
            }
        }
        return planes;
    }

    private static final ThreadLocal<double[]> ROW = ThreadLocal.withInitial(() -> new double[64]);

    /**
     * The response over rows [top, top+h) x columns [left, left+w) of a plane stored as row arrays,
     * stopping early (after a row) once it is above {@code stopAbove}.
     */
    static double responseRows(
            double[][] x, int top, int left, int h, int w, double[] f, double stopAbove) {
        final double f0 = f[0],
                f1 = f[1],
                f2 = f[2],
                f3 = f[3],
                f4 = f[4],
                f5 = f[5],
                f6 = f[6],
                f7 = f[7],
                f8 = f[8];
        final int n = w - 2;
        double[] v = ROW.get();
        if (v.length < n) {
            v = new double[n];
            ROW.set(v);
        }
        double total = 0;
        for (int i = top; i + 2 < top + h; i++) {
            final double[] r0 = x[i];
            final double[] r1 = x[i + 1];
            final double[] r2 = x[i + 2];
            // the 9-tap correlation of the row (vectorisable: distinct arrays, no reduction)
            for (int j = 0; j < n; j++) {
                int a = left + j;
                v[j] =
                        f0 * r0[a]
                                + f1 * r0[a + 1]
                                + f2 * r0[a + 2]
                                + f3 * r1[a]
                                + f4 * r1[a + 1]
                                + f5 * r1[a + 2]
                                + f6 * r2[a]
                                + f7 * r2[a + 1]
                                + f8 * r2[a + 2];
            }
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            int j = 0;
            for (; j + 3 < n; j += 4) {
                s0 += Math.max(v[j], 0.0);
                s1 += Math.max(v[j + 1], 0.0);
                s2 += Math.max(v[j + 2], 0.0);
                s3 += Math.max(v[j + 3], 0.0);
            }
            for (; j < n; j++) {
                s0 += Math.max(v[j], 0.0);
            }
            total += (s0 + s1) + (s2 + s3);
            if (total > stopAbove) {
                return total;
            }
        }
        return total;
    }
}
