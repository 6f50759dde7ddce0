package io.scrapeguard.imaging;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The ten low-frequency chroma waves whose codes name a class ({@code core.ClassWave}): plane waves
 * of a fixed orientation and frequency along JFIF's Cb or Cr direction in RGB. Their geometry is
 * public (it is in this source), which is what {@link #fitOut} shows: a scraper that knows it fits
 * the ten waves out of every image at any phase, with no key. Here, in the imaging home, so that
 * the perturbation and the scraper step {@code unwave} share one definition.
 */
public final class ChromaWaves {
    /** Cycles per short side of the first three codes (0.1 cycles per pixel at 32x32). */
    private static final double CYCLES = 3.2;

    /** Cycles per short side of the last two (0.15 cycles per pixel at 32x32). */
    private static final double CYCLES_HIGH = 4.8;

    /** Each code's orientation (degrees) and cycles per short side; a class's is index % 5. */
    private static final double[][] CODES = {
        {0, CYCLES}, {45, CYCLES}, {90, CYCLES}, {0, CYCLES_HIGH}, {90, CYCLES_HIGH}
    };

    /** JFIF's Cb and Cr rows as RGB directions: mostly chroma (9% and 3% of energy in luma). */
    private static final double[][] AXES = {
        {-0.168736, -0.331264, 0.5}, {0.5, -0.418688, -0.081312}
    };

    /** The distinct waves: five codes times two axes. */
    public static final int DISTINCT = 10;

    /**
     * The largest image (pixels) {@link #fitOut} works on: the waves are given only to images of at
     * most 32x32, and the fit holds 20 fields of the image's size.
     */
    public static final int MAX_FIT_PIXELS = 64 * 64;

    /** The most shapes whose waves are kept: 20 fields of the shape's size each. */
    private static final int MAX_SHAPES = 64;

    /** Each shape's ("HxWxC") waves, for {@link #energies} and {@link #fitOut}. */
    private static final ConcurrentHashMap<String, Shape> SHAPES = new ConcurrentHashMap<>();

    private ChromaWaves() {}

    /**
     * Wave {@code code} (0 to {@link #DISTINCT} - 1, repeating) at {@code phase} cycles, unit RMS.
     */
    public static void unitRmsInto(
            double[] out, int code, double phase, int height, int width, int channels) {
        double[] c = CODES[code % CODES.length];
        double theta = Math.toRadians(c[0]);
        double f = c[1] / Math.min(height, width);
        double fx = f * Math.cos(theta), fy = f * Math.sin(theta);
        double[] axis = new double[channels];
        if (channels == 3) {
            double[] a = AXES[(code / CODES.length) % 2];
            double n = Math.sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
            for (int k = 0; k < 3; k++) {
                axis[k] = a[k] / n;
            }
        } else {
            java.util.Arrays.fill(axis, 1 / Math.sqrt(channels));
        }
        double sum = 0;
        for (int y = 0, i = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double s = Math.cos(2 * Math.PI * (fx * x + fy * y + phase));
                for (int k = 0; k < channels; k++, i++) {
                    out[i] = s * axis[k];
                    sum += out[i] * out[i];
                }
            }
        }
        double rms = Math.sqrt(sum / out.length);
        for (int i = 0; i < out.length; i++) {
            out[i] /= rms;
        }
    }

    /** The delta's (HWC) energy on each wave, at its best-fitting phase. */
    public static double[] energies(double[] v, int height, int width, int channels) {
        Basis[] waves = shape(height, width, channels).waves;
        double[] e = new double[DISTINCT];
        for (int k = 0; k < DISTINCT; k++) {
            e[k] = waves[k].energyOf(v);
        }
        return e;
    }

    /**
     * The image with all ten waves, at whatever phase and amplitude, fitted out of it by least
     * squares (in 8-bit levels, rounded and clamped): a targeted scraper's step. Images over {@link
     * #MAX_FIT_PIXELS} pass unchanged.
     */
    public static Image8 fitOut(Image8 image) {
        int h = image.height(), w = image.width(), c = image.channels();
        if ((long) h * w > MAX_FIT_PIXELS) {
            return image;
        }
        byte[] px = image.pixelArray();
        double[] v = new double[px.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = px[i] & 0xFF;
        }
        double[] fitted = shape(h, w, c).fit().residual(v);
        byte[] out = new byte[px.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Math.max(0, Math.min(255, Math.round(fitted[i])));
        }
        return image.wrapWithPixels(out);
    }

    private static Shape shape(int h, int w, int c) {
        if (SHAPES.size() >= MAX_SHAPES) {
            SHAPES.clear(); // uploads of every aspect ratio must not grow it without bound
        }
        return SHAPES.computeIfAbsent(h + "x" + w + "x" + c, k -> new Shape(h, w, c));
    }

    /** One shape's waves, and their joint fit once {@link #fitOut} asks for it. */
    private static final class Shape {
        final Basis[] waves = new Basis[DISTINCT];
        private final int channels;
        private Fit fit;

        Shape(int h, int w, int c) {
            for (int k = 0; k < DISTINCT; k++) {
                waves[k] = Basis.of(k, h, w, c);
            }
            channels = c;
        }

        /** Only a scraper's step needs it: the audit's readings never pay for it. */
        synchronized Fit fit() {
            if (fit == null) {
                fit = Fit.of(waves, channels);
            }
            return fit;
        }
    }

    /**
     * A wave's cosine and sine fields and their products with each other, which every delta's fit
     * uses (on a window of non-integer cycles the two are not quite orthogonal).
     */
    private record Basis(double[] cos, double[] sin, double cc, double ss, double cs) {
        static Basis of(int code, int height, int width, int channels) {
            double[] cos = new double[height * width * channels];
            double[] sin = new double[cos.length];
            unitRmsInto(cos, code, 0, height, width, channels);
            unitRmsInto(sin, code, 0.25, height, width, channels);
            double cc = 0, ss = 0, cs = 0;
            for (int i = 0; i < cos.length; i++) {
                cc += cos[i] * cos[i];
                ss += sin[i] * sin[i];
                cs += cos[i] * sin[i];
            }
            return new Basis(cos, sin, cc, ss, cs);
        }

        /** The energy of v's least-squares fit by a cos + b sin. */
        double energyOf(double[] v) {
            double a = 0, b = 0;
            for (int i = 0; i < v.length; i++) {
                a += v[i] * cos[i];
                b += v[i] * sin[i];
            }
            double det = cc * ss - cs * cs;
            if (!(det > 0)) {
                return 0;
            }
            double x = (a * ss - b * cs) / det, y = (b * cc - a * cs) / det;
            return x * a + y * b;
        }
    }

    /**
     * The 20 wave fields (each wave's cosine and sine) of one shape, then one constant field per
     * channel (a wave of non-whole cycles has a mean, which must not take the image's), and the
     * Cholesky factor of their Gram matrix.
     */
    private record Fit(double[][] fields, double[][] chol) {
        static final int WAVES = 2 * DISTINCT;

        static Fit of(Basis[] waves, int c) {
            int m = WAVES + c;
            double[][] f = new double[m][];
            for (int k = 0; k < DISTINCT; k++) {
                f[2 * k] = waves[k].cos();
                f[2 * k + 1] = waves[k].sin();
            }
            for (int ch = 0; ch < c; ch++) {
                f[WAVES + ch] = new double[waves[0].cos().length];
                for (int i = ch; i < f[WAVES + ch].length; i += c) {
                    f[WAVES + ch][i] = 1;
                }
            }
            double[][] g = new double[m][m];
            for (int a = 0; a < m; a++) {
                for (int b = 0; b <= a; b++) {
                    double s = 0;
                    for (int i = 0; i < f[a].length; i++) {
                        s += f[a][i] * f[b][i];
                    }
                    g[a][b] = g[b][a] = s;
                }
            }
            // a small ridge: on tiny images some waves nearly coincide
            double ridge = 1e-9 * f[0].length;
            double[][] l = new double[m][m];
            for (int a = 0; a < m; a++) {
                for (int b = 0; b <= a; b++) {
                    double s = g[a][b] + (a == b ? ridge : 0);
                    for (int k = 0; k < b; k++) {
                        s -= l[a][k] * l[b][k];
                    }
                    l[a][b] = a == b ? Math.sqrt(Math.max(s, ridge)) : s / l[b][b];
                }
            }
            return new Fit(f, l);
        }

        /** v minus the wave part of its least-squares fit on the fields. */
        double[] residual(double[] v) {
            int m = fields.length;
            double[] rhs = new double[m];
            for (int a = 0; a < m; a++) {
                double s = 0;
                for (int i = 0; i < v.length; i++) {
                    s += fields[a][i] * v[i];
                }
                rhs[a] = s;
            }
            double[] y = new double[m];
            for (int a = 0; a < m; a++) {
                double s = rhs[a];
                for (int k = 0; k < a; k++) {
                    s -= chol[a][k] * y[k];
                }
                y[a] = s / chol[a][a];
            }
            double[] x = new double[m];
            for (int a = m - 1; a >= 0; a--) {
                double s = y[a];
                for (int k = a + 1; k < m; k++) {
                    s -= chol[k][a] * x[k];
                }
                x[a] = s / chol[a][a];
            }
            double[] out = v.clone();
            for (int a = 0; a < WAVES; a++) {
                for (int i = 0; i < out.length; i++) {
                    out[i] -= x[a] * fields[a][i];
                }
            }
            return out;
        }
    }
}
