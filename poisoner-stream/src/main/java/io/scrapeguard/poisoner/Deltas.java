package io.scrapeguard.poisoner;

import io.scrapeguard.imaging.Image8;

/** Norms of the difference of two 8-bit images of one size, in [0,1] pixel units. */
final class Deltas {
    private Deltas() {}

    /** {L2, Linf} of {@code b - a}. */
    static double[] norms(Image8 a, Image8 b) {
        byte[] x = a.pixels();
        byte[] y = b.pixels();
        double sum = 0;
        int max = 0;
        for (int i = 0; i < x.length; i++) {
            int d = (y[i] & 0xff) - (x[i] & 0xff);
            sum += (double) d * d;
            max = Math.max(max, Math.abs(d));
        }
        return new double[] {Math.sqrt(sum) / 255.0, max / 255.0};
    }
}
