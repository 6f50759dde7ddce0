package io.scrapeguard.core;

/**
 * A deterministic stream of N(0,1) values: xoroshiro128++ and a 128-layer ziggurat (Doornik's
 * ZIGNOR), both fully specified here so that a seed gives the same values on every JVM version (the
 * JDK's own {@code nextGaussian} algorithms are free to change). Not thread-safe: one per image or
 * per thread.
 */
public final class GaussianSource {
    private static final int LAYERS = 128;
    private static final double R = 3.442619855899;
    private static final double V = 9.91256303526217e-3;
    private static final double[] X = new double[LAYERS + 1];
    private static final double[] RATIO = new double[LAYERS];

    static {
        double f = Math.exp(-0.5 * R * R);
        X[0] = V / f;
        X[1] = R;
        X[LAYERS] = 0;
        for (int i = 2; i < LAYERS; i++) {
            X[i] = Math.sqrt(-2 * Math.log(V / X[i - 1] + f));
            f = Math.exp(-0.5 * X[i] * X[i]);
        }
        for (int i = 0; i < LAYERS; i++) {
            RATIO[i] = X[i + 1] / X[i];
        }
    }

    private long s0;
    private long s1;

    /** Seeds the 128-bit state; an all-zero state (invalid for xoroshiro) is remapped. */
    public GaussianSource(long seed0, long seed1) {
        if (seed0 == 0 && seed1 == 0) {
            seed0 = 0x9E3779B97F4A7C15L;
            seed1 = 0xBF58476D1CE4E5B9L;
        }
        this.s0 = seed0;
        this.s1 = seed1;
    }

    /** A source from one 64-bit seed, expanded with SplitMix64. */
    public static GaussianSource fromSeed(long seed) {
        long a = mix(seed + 0x9E3779B97F4A7C15L);
        long b = mix(seed + 2 * 0x9E3779B97F4A7C15L);
        return new GaussianSource(a, b);
    }

    /** SplitMix64's finaliser: a bijective 64-bit mixer. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** xoroshiro128++ (Blackman and Vigna). */
    public long nextLong() {
        long a = s0;
        long b = s1;
        long result = Long.rotateLeft(a + b, 17) + a;
        b ^= a;
        s0 = Long.rotateLeft(a, 49) ^ b ^ (b << 21);
        s1 = Long.rotateLeft(b, 28);
        return result;
    }

    /** Uniform in (0, 1]: never 0, so its logarithm is finite. */
    public double nextUniform() {
        return ((nextLong() >>> 11) + 1) * 0x1.0p-53;
    }

    /** One N(0,1) value. */
    public double nextGaussian() {
        for (; ; ) {
            long r = nextLong();
            int i = (int) (r & (LAYERS - 1));
            // 53 high bits -> u uniform in [-1, 1)
            double u = (r >>> 11) * 0x1.0p-52 - 1.0;
            if (Math.abs(u) < RATIO[i]) {
                return u * X[i];
            }
            if (i == 0) {
                return tail(u < 0);
            }
            double x = u * X[i];
            double f0 = Math.exp(-0.5 * (X[i] * X[i] - x * x));
            double f1 = Math.exp(-0.5 * (X[i + 1] * X[i + 1] - x * x));
            if (f1 + nextUniform() * (f0 - f1) < 1.0) {
                return x;
            }
        }
    }

    private double tail(boolean negative) {
        double x;
        double y;
        do {
            x = Math.log(nextUniform()) / R;
            y = Math.log(nextUniform());
        } while (-2 * y < x * x);
        return negative ? x - R : R - x;
    }

    /** Fills {@code a[from, to)} with N(0,1) values in index order. */
    public void fill(double[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            a[i] = nextGaussian();
        }
    }
}
