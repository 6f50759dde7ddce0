package io.scrapeguard.core;

import java.util.Objects;

/**
 * The hand-built classifier of the paper (A.1, A.2). Each process's filter is its window with -1
 * at [2][2]; the response of a channel to a filter is the sum of ReLU(cross-correlation) over the
 * valid region; a perturbation belongs to the class whose filters give the smallest total
 * response over the channels (its own filters respond with zero: Lemma 3.1). Thread-safe.
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

    /** The class whose filters respond least (ties: the lower class). */
    public int classify(Perturbation p) {
        return argMin(responses(p));
    }

    /** Total response of every class's filters, summed over the perturbation's channels. */
    public double[] responses(Perturbation p) {
        double[][] planes = planes(p);
        double[] r = new double[bank.size()];
        for (int k = 0; k < r.length; k++) {
            for (int c = 0; c < planes.length; c++) {
                r[k] += response(planes[c], p.height(), p.width(), taps[k][c % 3]);
            }
        }
        return r;
    }

    /** Responses per class and channel, [k][c]. */
    public double[][] channelResponses(Perturbation p) {
        double[][] planes = planes(p);
        double[][] r = new double[bank.size()][planes.length];
        for (int k = 0; k < r.length; k++) {
            for (int c = 0; c < planes.length; c++) {
                r[k][c] = response(planes[c], p.height(), p.width(), taps[k][c % 3]);
            }
        }
        return r;
    }

    /** Total response of class k's filters. */
    public double response(int k, Perturbation p) {
        bank.process(k);
        double[][] planes = planes(p);
        double r = 0;
        for (int c = 0; c < planes.length; c++) {
            r += response(planes[c], p.height(), p.width(), taps[k][c % 3]);
        }
        return r;
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

    private static double[][] planes(Perturbation p) {
        if (p.height() < 3 || p.width() < 3) {
            throw new IllegalArgumentException("a perturbation needs at least 3x3 pixels for the AR"
                    + " filters, got " + p.height() + "x" + p.width());
        }
        double[][] planes = new double[p.channels()][];
        for (int c = 0; c < planes.length; c++) {
            planes[c] = p.channel(c);
        }
        return planes;
    }

    /**
     * Sum of ReLU of the valid cross-correlation of a row-major h x w plane with 9 filter taps.
     */
    static double response(double[] x, int h, int w, double[] f) {
        return responseFrom(x, 0, w, h, w, f, Double.POSITIVE_INFINITY);
    }

    /**
     * The response over a plane stored at {@code offset} with row {@code stride}, stopping early
     * once it reaches {@code stopAt} (a threshold check needs no more).
     */
    static double responseFrom(double[] x, int offset, int stride, int h, int w, double[] f,
            double stopAt) {
        final double f0 = f[0], f1 = f[1], f2 = f[2], f3 = f[3], f4 = f[4], f5 = f[5], f6 = f[6],
                f7 = f[7], f8 = f[8];
        double total = 0;
        for (int i = 0; i + 2 < h; i++) {
            int r0 = offset + i * stride;
            int r1 = r0 + stride;
            int r2 = r1 + stride;
            double row = 0;
            for (int j = 0; j + 2 < w; j++) {
                double v = f0 * x[r0 + j] + f1 * x[r0 + j + 1] + f2 * x[r0 + j + 2]
                        + f3 * x[r1 + j] + f4 * x[r1 + j + 1] + f5 * x[r1 + j + 2]
                        + f6 * x[r2 + j] + f7 * x[r2 + j + 1] + f8 * x[r2 + j + 2];
                row += Math.max(v, 0.0);
            }
            total += row;
            if (total >= stopAt) {
                return total;
            }
        }
        return total;
    }
}
