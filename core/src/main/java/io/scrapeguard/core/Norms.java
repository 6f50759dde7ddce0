package io.scrapeguard.core;

/** Vector norms over plain arrays (no boxing, hot paths). */
final class Norms {
    private Norms() {}

    static double l2(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    static double linf(double[] v) {
        double m = 0;
        for (double x : v) {
            double a = Math.abs(x);
            if (a > m || Double.isNaN(a)) {
                m = a;
            }
        }
        return m;
    }
}
