package io.scrapeguard.core;

import java.util.Arrays;

/**
 * One autoregressive AR(8) process: for each of 3 channels a 3x3 window of coefficients. Entry
 * [2][2] is the pixel being generated and is always 0; the other 8 entries weigh the already
 * generated neighbours above and to the left (paper Algorithm 2).
 *
 * <p>A perturbation with C channels uses window {@code c % 3} for channel c, so a 1-channel image
 * uses channel 0.
 */
public final class ArProcess {
    public static final int CHANNELS = 3;
    public static final int WINDOW = 3;

    /** [channel][row][col], defensive copies in and out. */
    private final double[][][] windows;

    public ArProcess(double[][][] windows) {
        this.windows = validated(windows, "AR process");
    }

    /** Validates shape [3][3][3], finite entries and a zero centre-last entry [2][2]. */
    static double[][][] validated(double[][][] w, String what) {
        if (w == null || w.length != CHANNELS) {
            throw new IllegalArgumentException(
                    what
                            + " must have "
                            + CHANNELS
                            + " channel windows, got "
                            + (w == null ? "none" : w.length));
        }
        double[][][] copy = new double[CHANNELS][WINDOW][WINDOW];
        for (int c = 0; c < CHANNELS; c++) {
            if (w[c] == null || w[c].length != WINDOW) {
                throw new IllegalArgumentException(
                        what
                                + " channel "
                                + c
                                + " must be a 3x3 window, got "
                                + (w[c] == null ? "none" : w[c].length + " rows"));
            }
            for (int u = 0; u < WINDOW; u++) {
                if (w[c][u] == null || w[c][u].length != WINDOW) {
                    throw new IllegalArgumentException(
                            what
                                    + " channel "
                                    + c
                                    + " row "
                                    + u
                                    + " must have 3 coefficients, got "
                                    + (w[c][u] == null ? "none" : w[c][u].length));
                }
                for (int v = 0; v < WINDOW; v++) {
                    double x = w[c][u][v];
                    if (!Double.isFinite(x)) {
                        throw new IllegalArgumentException(
                                what
                                        + " channel "
                                        + c
                                        + " ["
                                        + u
                                        + "]["
                                        + v
                                        + "] is not finite: "
                                        + x);
                    }
                    copy[c][u][v] = x;
                }
            }
            if (Math.abs(copy[c][2][2]) > 1e-9) {
                throw new IllegalArgumentException(
                        what
                                + " channel "
                                + c
                                + " entry [2][2] is the generated pixel and must be 0, got "
                                + copy[c][2][2]);
            }
            copy[c][2][2] = 0.0; // normalises -0.0 for a canonical form
        }
        return copy;
    }

    /** Coefficient b[u][v] of channel c (0..2). */
    public double coefficient(int channel, int row, int col) {
        return windows[channel][row][col];
    }

    /** A copy of channel c's 3x3 window. */
    public double[][] window(int channel) {
        double[][] w = new double[WINDOW][];
        for (int u = 0; u < WINDOW; u++) {
            w[u] = windows[channel][u].clone();
        }
        return w;
    }

    /** A copy of all windows, [channel][row][col]. */
    public double[][][] windows() {
        double[][][] w = new double[CHANNELS][][];
        for (int c = 0; c < CHANNELS; c++) {
            w[c] = window(c);
        }
        return w;
    }

    /**
     * The AR filter of channel c (paper A.1): the window with -1 at [2][2]. Its cross-correlation
     * with a perturbation of this process is zero wherever the window covers generated pixels.
     */
    public double[][] filter(int channel) {
        double[][] f = window(channel);
        f[2][2] = -1.0;
        return f;
    }

    /** The 9 filter taps of channel c in row-major order (hot loops). */
    double[] filterTaps(int channel) {
        double[] f = new double[9];
        for (int u = 0; u < WINDOW; u++) {
            for (int v = 0; v < WINDOW; v++) {
                f[u * 3 + v] = windows[channel][u][v];
            }
        }
        f[8] = -1.0;
        return f;
    }

    /** Sum of channel c's 8 coefficients (1 for the paper's processes and searched ones). */
    public double coefficientSum(int channel) {
        double s = 0;
        for (double[] row : windows[channel]) {
            for (double x : row) {
                s += x;
            }
        }
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArProcess p && Arrays.deepEquals(windows, p.windows);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(windows);
    }

    /** Deliberately vague: a process is secret material and must not end up in logs. */
    @Override
    public String toString() {
        return "ArProcess(3 channels, 3x3 windows)";
    }
}
