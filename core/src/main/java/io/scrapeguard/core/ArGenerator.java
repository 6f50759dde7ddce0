package io.scrapeguard.core;

/**
 * Paper Algorithm 2 (as the authors' code does it). For channel c with window b: fill an
 * (H+4)x(W+4) array x with N(0,1); for i in 0..H+1, for j in 0..W+1 in raster order,
 * x[i+2][j+2] = sum over u,v in 0..2 of b[u][v]*x[i+u][j+v]; keep x[4:][4:] (HxW). Channel c
 * uses window {@code c % 3} (a 1-channel image uses channel 0).
 *
 * <p><b>Canonical draws.</b> Only the two top rows and two left columns of x are ever read before
 * being overwritten (b[2][2] = 0 multiplies the cell being generated). The Gaussian source is
 * therefore consumed only for those border cells, channel by channel, in raster order; the
 * interior's initial values cannot affect the result (tested with garbage interiors). This makes
 * 32x32x3 need 420 draws instead of 3,888.
 *
 * <p>{@link #reference} runs the algorithm literally (for tests and as the specification);
 * instances run the fast path: one flat scratch array per channel reused across calls, the six
 * terms from the two rows above computed in a vectorisable loop, then the two-term in-row
 * recurrence with channels interleaved for instruction-level parallelism. The fast path sums the
 * nine products in the same order as the literal one, so both give bit-identical results.
 * Instances are not thread-safe: use {@link #forThread()}.
 */
public final class ArGenerator {
    private static final ThreadLocal<ArGenerator> PER_THREAD = ThreadLocal.withInitial(ArGenerator::new);

    private double[][] scratch = new double[0][];
    private int stride;
    private int rows;

    /** This thread's generator (scratch buffers reused). */
    public static ArGenerator forThread() {
        return PER_THREAD.get();
    }

    // ------------------------------------------------------------------ reference (literal)

    /**
     * The start signal [C][H+4][W+4]: border cells (rows 0-1, columns 0-1) from g in the canonical
     * order, interior cells N(0,1) from a second source seeded from g (their values never matter).
     */
    public static double[][][] startSignal(int height, int width, int channels, GaussianSource g) {
        Shapes.check(height, width, channels);
        int rs = height + 4;
        int cs = width + 4;
        double[][][] x = new double[channels][rs][cs];
        for (int c = 0; c < channels; c++) {
            for (int r = 0; r < rs; r++) {
                int end = r < 2 ? cs : 2;
                for (int s = 0; s < end; s++) {
                    x[c][r][s] = g.nextGaussian();
                }
            }
        }
        GaussianSource interior = GaussianSource.fromSeed(g.nextLong());
        for (int c = 0; c < channels; c++) {
            for (int r = 2; r < rs; r++) {
                for (int s = 2; s < cs; s++) {
                    x[c][r][s] = interior.nextGaussian();
                }
            }
        }
        return x;
    }

    /** Algorithm 2's loop, literally, on a copy of the start signal; returns the full arrays. */
    public static double[][][] runLiterally(ArProcess process, double[][][] start) {
        int channels = start.length;
        double[][][] x = new double[channels][][];
        for (int c = 0; c < channels; c++) {
            double[][] b = process.window(c % 3);
            int rs = start[c].length;
            x[c] = new double[rs][];
            for (int r = 0; r < rs; r++) {
                x[c][r] = start[c][r].clone();
            }
            int h = rs - 4;
            int w = x[c][0].length - 4;
            for (int i = 0; i <= h + 1; i++) {
                for (int j = 0; j <= w + 1; j++) {
                    double sum = 0;
                    for (int u = 0; u < 3; u++) {
                        for (int v = 0; v < 3; v++) {
                            sum += b[u][v] * x[c][i + u][j + v];
                        }
                    }
                    x[c][i + 2][j + 2] = sum;
                }
            }
        }
        return x;
    }

    /** The kept part x[4:][4:] of full arrays as an unscaled HWC perturbation. */
    public static Perturbation keep(double[][][] full) {
        int channels = full.length;
        int h = full[0].length - 4;
        int w = full[0][0].length - 4;
        double[] v = new double[h * w * channels];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < channels; c++) {
                    v[(y * w + x) * channels + c] = full[c][y + 4][x + 4];
                }
            }
        }
        return Perturbation.wrap(h, w, channels, v);
    }

    /** Algorithm 2 literally: raw (unscaled) HxWxC perturbation. */
    public static Perturbation reference(
            ArProcess process, int height, int width, int channels, GaussianSource g) {
        return keep(runLiterally(process, startSignal(height, width, channels, g)));
    }

    // ------------------------------------------------------------------ fast path

    /** Raw (unscaled) perturbation, bit-identical to {@link #reference}. */
    public Perturbation generateRaw(
            ArProcess process, int height, int width, int channels, GaussianSource g) {
        run(taps(process, channels), height, width, channels, g, Double.POSITIVE_INFINITY);
        double[] out = new double[height * width * channels];
        copyKept(out, height, width, channels, 1.0);
        return Perturbation.wrap(height, width, channels, out);
    }

    /** A perturbation scaled to the budget (L2 before clamping equals the scaled epsilon). */
    public Perturbation generate(ArProcess process, int height, int width, int channels,
            GaussianSource g, Budget budget) {
        double[] out = new double[height * width * channels];
        generateInto(out, process, height, width, channels, g, budget);
        return Perturbation.wrap(height, width, channels, out);
    }

    /**
     * Fills {@code out} (HWC) with a budget-scaled perturbation; returns the raw norm before
     * scaling in the budget's norm.
     */
    public double generateInto(double[] out, ArProcess process, int height, int width, int channels,
            GaussianSource g, Budget budget) {
        run(taps(process, channels), height, width, channels, g, Double.POSITIVE_INFINITY);
        double raw = budget.norm() == Budget.Norm.L2 ? Math.sqrt(keptSumSquares(height, width, channels))
                : keptMaxAbs(height, width, channels);
        copyKept(out, height, width, channels, budget.factor(raw, height, width, channels));
        return raw;
    }

    static double[][] taps(ArProcess p, int channels) {
        double[][] t = new double[channels][];
        for (int c = 0; c < channels; c++) {
            t[c] = p.filterTaps(c % 3);
        }
        return t;
    }

    /** The full (H+4)x(W+4) array of channel c after the last run (row-major, shared scratch). */
    double[] full(int channel) {
        return scratch[channel];
    }

    int stride() {
        return stride;
    }

    private void ensure(int height, int width, int channels) {
        Shapes.check(height, width, channels);
        stride = width + 4;
        rows = height + 4;
        int n = stride * rows;
        if (scratch.length < channels) {
            double[][] s = new double[channels][];
            System.arraycopy(scratch, 0, s, 0, scratch.length);
            scratch = s;
        }
        for (int c = 0; c < channels; c++) {
            if (scratch[c] == null || scratch[c].length < n) {
                scratch[c] = new double[n];
            }
        }
    }

    /**
     * Runs the recurrence for every channel into the scratch arrays. With a finite
     * {@code maxKeptNorm}, stops early and returns false as soon as the kept region's L2 norm
     * (all channels) exceeds it or turns non-finite; returns true otherwise.
     */
    boolean run(double[][] taps, int height, int width, int channels, GaussianSource g,
            double maxKeptNorm) {
        ensure(height, width, channels);
        currentTaps = taps;
        final int cs = stride;
        for (int c = 0; c < channels; c++) {
            double[] x = scratch[c];
            for (int s = 0; s < 2 * cs; s++) {
                x[s] = g.nextGaussian();
            }
            for (int r = 2; r < rows; r++) {
                x[r * cs] = g.nextGaussian();
                x[r * cs + 1] = g.nextGaussian();
            }
        }
        boolean bounded = maxKeptNorm != Double.POSITIVE_INFINITY;
        double limit = maxKeptNorm * maxKeptNorm;
        double keptSq = 0;
        for (int r = 2; r < rows; r++) {
            for (int c = 0; c < channels; c++) {
                aboveRows(scratch[c], taps[c], r, cs);
            }
            if (channels == 3) {
                inRow3(r, cs);
            } else {
                for (int c = 0; c < channels; c++) {
                    inRow1(scratch[c], taps[c], r, cs);
                }
            }
            if (bounded && r >= 4) {
                for (int c = 0; c < channels; c++) {
                    double[] x = scratch[c];
                    for (int s = r * cs + 4, e = r * cs + cs; s < e; s++) {
                        keptSq += x[s] * x[s];
                    }
                }
                if (!(keptSq <= limit)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** x[r][s] = the six products from rows r-2 and r-1 (vectorisable: no dependency on row r). */
    private static void aboveRows(double[] x, double[] t, int r, int cs) {
        final double b00 = t[0], b01 = t[1], b02 = t[2], b10 = t[3], b11 = t[4], b12 = t[5];
        final int o = r * cs;
        final int a0 = o - 2 * cs;
        final int a1 = o - cs;
        for (int s = 2; s < cs; s++) {
            x[o + s] = b00 * x[a0 + s - 2] + b01 * x[a0 + s - 1] + b02 * x[a0 + s]
                    + b10 * x[a1 + s - 2] + b11 * x[a1 + s - 1] + b12 * x[a1 + s];
        }
    }

    /** The in-row recurrence x[r][s] += b20*x[r][s-2] + b21*x[r][s-1] for one channel. */
    private static void inRow1(double[] x, double[] t, int r, int cs) {
        final double b20 = t[6], b21 = t[7];
        final int o = r * cs;
        double p2 = x[o];
        double p1 = x[o + 1];
        for (int s = 2; s < cs; s++) {
            double v = x[o + s] + b20 * p2 + b21 * p1;
            x[o + s] = v;
            p2 = p1;
            p1 = v;
        }
    }

    /** Three channels' in-row recurrences interleaved: three independent dependency chains. */
    private void inRow3(int r, int cs) {
        final double[] x = scratch[0], y = scratch[1], z = scratch[2];
        final int o = r * cs;
        final double[][] t = currentTaps;
        final double xb20 = t[0][6], xb21 = t[0][7];
        final double yb20 = t[1][6], yb21 = t[1][7];
        final double zb20 = t[2][6], zb21 = t[2][7];
        double x2 = x[o], x1 = x[o + 1];
        double y2 = y[o], y1 = y[o + 1];
        double z2 = z[o], z1 = z[o + 1];
        for (int s = o + 2, e = o + cs; s < e; s++) {
            double xv = x[s] + xb20 * x2 + xb21 * x1;
            double yv = y[s] + yb20 * y2 + yb21 * y1;
            double zv = z[s] + zb20 * z2 + zb21 * z1;
            x[s] = xv;
            y[s] = yv;
            z[s] = zv;
            x2 = x1;
            x1 = xv;
            y2 = y1;
            y1 = yv;
            z2 = z1;
            z1 = zv;
        }
    }

    private double[][] currentTaps;

    double keptSumSquares(int height, int width, int channels) {
        double s = 0;
        for (int c = 0; c < channels; c++) {
            double[] x = scratch[c];
            for (int r = 4; r < height + 4; r++) {
                for (int i = r * stride + 4, e = r * stride + stride; i < e; i++) {
                    s += x[i] * x[i];
                }
            }
        }
        return s;
    }

    double keptMaxAbs(int height, int width, int channels) {
        double m = 0;
        for (int c = 0; c < channels; c++) {
            double[] x = scratch[c];
            for (int r = 4; r < height + 4; r++) {
                for (int i = r * stride + 4, e = r * stride + stride; i < e; i++) {
                    double a = Math.abs(x[i]);
                    if (a > m || Double.isNaN(a)) {
                        m = a;
                    }
                }
            }
        }
        return m;
    }

    /** Writes the kept region, times factor, into out in HWC order. */
    void copyKept(double[] out, int height, int width, int channels, double factor) {
        for (int c = 0; c < channels; c++) {
            double[] x = scratch[c];
            for (int yy = 0; yy < height; yy++) {
                int src = (yy + 4) * stride + 4;
                int dst = yy * width * channels + c;
                for (int xx = 0; xx < width; xx++) {
                    out[dst + xx * channels] = x[src + xx] * factor;
                }
            }
        }
    }
}
