package io.scrapeguard.poisoner;

import io.scrapeguard.imaging.Image8;

/**
 * How much of the perturbation a JPEG keeps: the projection of what was published minus the clean
 * image onto the intended perturbation, relative to it, {@code <d_jpeg, d> / <d, d>} clipped to [0,
 * 1]. 1 = all of it; compression noise orthogonal to the perturbation does not count.
 */
final class JpegSurvival {
    private JpegSurvival() {}

    static double measure(Image8 clean, Image8 intended, Image8 published) {
        byte[] c = clean.pixels();
        byte[] p = intended.pixels();
        byte[] j = published.pixels();
        double dot = 0;
        double norm = 0;
        for (int i = 0; i < c.length; i++) {
            int d = (p[i] & 0xff) - (c[i] & 0xff);
            int dj = (j[i] & 0xff) - (c[i] & 0xff);
            dot += (double) d * dj;
            norm += (double) d * d;
        }
        if (norm == 0) {
            return 1.0;
        }
        return Math.max(0, Math.min(1, dot / norm));
    }
}
