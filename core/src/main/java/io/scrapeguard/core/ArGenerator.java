package io.scrapeguard.core;

/**
 * Paper Algorithm 2 (as the authors' code does it). For channel c with window b: fill an
 * (H+4)x(W+4) array x with N(0,1); for i in 0..H+1, for j in 0..W+1 in raster order, x[i+2][j+2] =
 * sum over u,v in 0..2 of b[u][v]*x[i+u][j+v]; keep x[4:][4:] (HxW). Channel c uses window {@code c
 * % 3} (a 1-channel image uses channel 0).
 *
 * <p><b>Canonical draws.</b> Only the two top rows and two left columns of x are ever read before
 * being overwritten (b[2][2] = 0 multiplies the cell being generated). The Gaussian source is
 * therefore consumed only for those border cells, channel by channel, in raster order; the
 * interior's initial values cannot affect the result (tested with garbage interiors). This makes
 * 32x32x3 need 420 draws instead of 3,888.
 *
 * <p>{@link #reference} runs the algorithm literally (for tests and as the specification): the nine
 * products are summed in raster order with fused multiply-adds (one rounding per term). Instances
 * run the fast path: row arrays per channel reused across calls, neighbours sliding through
 * registers, the same FMA sequence, so both give bit-identical results. (Math.fma is a single
 * instruction on every x86-64 CPU since 2013 and on ARM64.) Instances are not thread-safe: use
 * {@link #forThread()}.
 */
public final class ArGenerator {
    private static final ThreadLocal<ArGenerator> PER_THREAD =
            ThreadLocal.withInitial(ArGenerator::new);

    /** [channel][row][col] of the (H+4)x(W+4) arrays, reused across calls. */
    private double[][][] scratch = new double[0][][];

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

    /**
     * The values Algorithm 2 actually reads from the start signal, in the canonical draw order: per
     * channel, rows 0 and 1 in full (W+4 each), then columns 0 and 1 of rows 2..H+3. Other backends
     * (core-gpu) use this to produce the same perturbations as the Java path.
     */
    public static double[][] borderDraws(int height, int width, int channels, GaussianSource g) {
        Shapes.check(height, width, channels);
        int n = 2 * (width + 4) + 2 * (height + 2);
        double[][] d = new double[channels][n];
        for (int c = 0; c < channels; c++) {
            g.fill(d[c], 0, n);
        }
        return d;
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
                    // the nine products summed in raster order, each added with one rounding
                    double sum = b[0][0] * x[c][i][j];
                    for (int q = 1; q < 9; q++) {
                        int u = q / 3;
                        int v = q % 3;
                        sum = Math.fma(b[u][v], x[c][i + u][j + v], sum);
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
    public Perturbation generate(
            ArProcess process,
            int height,
            int width,
            int channels,
            GaussianSource g,
            Budget budget) {
        double[] out = new double[height * width * channels];
        generateInto(out, process, height, width, channels, g, budget);
        return Perturbation.wrap(height, width, channels, out);
    }

    /**
     * Fills {@code out} (HWC) with a budget-scaled perturbation; returns the raw norm before
     * scaling in the budget's norm.
     */
    public double generateInto(
            double[] out,
            ArProcess process,
            int height,
            int width,
            int channels,
            GaussianSource g,
            Budget budget) {
        run(taps(process, channels), height, width, channels, g, Double.POSITIVE_INFINITY);
        double raw =
                budget.norm() == Budget.Norm.L2
                        ? Math.sqrt(lastKeptSumSquares)
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

    /** Rows of the full (H+4)x(W+4) array of channel c after the last run (shared scratch). */
    double[][] full(int channel) {
        return scratch[channel];
    }

    private void ensure(int height, int width, int channels) {
        Shapes.check(height, width, channels);
        int cs = width + 4;
        int rs = height + 4;
        if (scratch.length < channels) {
            double[][][] s = new double[channels][][];
            System.arraycopy(scratch, 0, s, 0, scratch.length);
            scratch = s;
        }
        for (int c = 0; c < channels; c++) {
            double[][] x = scratch[c];
            if (x == null || x.length < rs || x[0].length != cs) {
                // one array per row: the compiler can then vectorise the rows-above pass
                scratch[c] =
                        new double[Math.max(rs, x == null || x[0].length != cs ? 0 : x.length)][cs];
            }
        }
        stride = cs;
        rows = rs;
    }

    /**
     * Runs the recurrence for every channel into the scratch arrays. With a finite {@code
     * maxKeptNorm}, stops early and returns false as soon as the kept region's L2 norm (all
     * channels) exceeds it or turns non-finite; returns true otherwise.
     */
    boolean run(
            double[][] taps,
            int height,
            int width,
            int channels,
            GaussianSource g,
            double maxKeptNorm) {
        ensure(height, width, channels);
        final int cs = stride;
        for (int c = 0; c < channels; c++) {
            double[][] x = scratch[c];
            for (int r = 0; r < 2; r++) {
                double[] row = x[r];
                for (int s = 0; s < cs; s++) {
                    row[s] = g.nextGaussian();
                }
            }
            for (int r = 2; r < rows; r++) {
                x[r][0] = g.nextGaussian();
                x[r][1] = g.nextGaussian();
            }
        }
        boolean bounded = maxKeptNorm != Double.POSITIVE_INFINITY;
        double limit = maxKeptNorm * maxKeptNorm;
        double keptSq = 0;
        for (int r = 2; r < rows; r++) {
            for (int c = 0; c < channels; c++) {
                double[][] x = scratch[c];
                keptSq += row(x[r], x[r - 2], x[r - 1], taps[c], cs, r >= 4);
            }
            if (bounded && r >= 4 && !(keptSq <= limit)) {
                return false;
            }
        }
        lastKeptSumSquares = keptSq;
        return true;
    }

    /**
     * Sum of squares of the kept region of the last complete run (accumulated while generating).
     */
    private double lastKeptSumSquares;

    /**
     * Generates one row: x[s] = b00*r0[s-2] + b01*r0[s-1] + b02*r0[s] + b10*r1[s-2] + b11*r1[s-1] +
     * b12*r1[s] + b20*x[s-2] + b21*x[s-1], accumulated with fused multiply-adds in exactly the
     * order of the literal loop. Neighbours slide through registers (two loads per pixel), and only
     * the last two terms wait for the previous pixel, so the dependency chain is one FMA.
     */
    private static double row(
            double[] x, double[] r0, double[] r1, double[] t, int cs, boolean kept) {
        final double b00 = t[0],
                b01 = t[1],
                b02 = t[2],
                b10 = t[3],
                b11 = t[4],
                b12 = t[5],
                b20 = t[6],
                b21 = t[7];
        double a0 = r0[0], a1 = r0[1], c0 = r1[0], c1 = r1[1], p2 = x[0], p1 = x[1];
        // the kept columns start at 4; their squares are summed on the way (the budget needs them)
        final int from = kept ? 4 : cs;
        double sq = 0;
        for (int s = 2; s < cs; s++) {
            double a2 = r0[s];
            double c2 = r1[s];
            double v = b00 * a0;
            v = Math.fma(b01, a1, v);
            v = Math.fma(b02, a2, v);
            v = Math.fma(b10, c0, v);
            v = Math.fma(b11, c1, v);
            v = Math.fma(b12, c2, v);
            v = Math.fma(b20, p2, v);
            v = Math.fma(b21, p1, v);
            x[s] = v;
            if (s >= from) {
                sq = Math.fma(v, v, sq);
            }
            a0 = a1;
            a1 = a2;
            c0 = c1;
            c1 = c2;
            p2 = p1;
            p1 = v;
        }
        return sq;
    }

    /** Sum of squares of a[from, to) with four accumulators (no single add-latency chain). */
    static double sumSquares(double[] a, int from, int to) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = from;
        for (; i + 3 < to; i += 4) {
            s0 += a[i] * a[i];
            s1 += a[i + 1] * a[i + 1];
            s2 += a[i + 2] * a[i + 2];
            s3 += a[i + 3] * a[i + 3];
        }
        for (; i < to; i++) {
            s0 += a[i] * a[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    double keptSumSquares(int height, int width, int channels) {
        double s = 0;
        for (int c = 0; c < channels; c++) {
            double[][] x = scratch[c];
            for (int r = 4; r < height + 4; r++) {
                s += sumSquares(x[r], 4, width + 4);
            }
        }
        return s;
    }

    double keptMaxAbs(int height, int width, int channels) {
        double m = 0;
        for (int c = 0; c < channels; c++) {
            double[][] x = scratch[c];
            for (int r = 4; r < height + 4; r++) {
                double[] row = x[r];
                for (int i = 4; i < width + 4; i++) {
                    double a = Math.abs(row[i]);
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
        if (channels == 3) {
            for (int yy = 0; yy < height; yy++) {
                double[] a = scratch[0][yy + 4];
                double[] b = scratch[1][yy + 4];
                double[] c = scratch[2][yy + 4];
                int d = yy * width * 3;
                for (int xx = 0; xx < width; xx++, d += 3) {
                    out[d] = a[xx + 4] * factor;
                    out[d + 1] = b[xx + 4] * factor;
                    out[d + 2] = c[xx + 4] * factor;
                }
            }
            return;
        }
        for (int c = 0; c < channels; c++) {
            double[][] x = scratch[c];
            for (int yy = 0; yy < height; yy++) {
                double[] row = x[yy + 4];
                int dst = yy * width * channels + c;
                for (int xx = 0; xx < width; xx++) {
                    out[dst + xx * channels] = row[xx + 4] * factor;
                }
            }
        }
    }
}
