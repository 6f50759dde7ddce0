package io.scrapeguard.auditor;

import java.util.Random;

/**
 * Batch order and augmentation drawn once and applied to every arm of a paired training run, so the
 * clean and the protected canary see the same images in the same order with the same crops and
 * flips.
 */
final class Batches {
    private final int n;
    private final int c;
    private final int h;
    private final int w;
    private final int batchSize;
    private final int pad;
    private final boolean flip;

    Batches(int n, int c, int h, int w, int batchSize, int pad, boolean flip) {
        this.n = n;
        this.c = c;
        this.h = h;
        this.w = w;
        this.batchSize = Math.min(batchSize, n);
        this.pad = pad;
        this.flip = flip;
    }

    int perEpoch() {
        return (n + batchSize - 1) / batchSize;
    }

    /** One epoch's plan: a permutation and per-image crop offsets and flips. */
    Epoch epoch(long seed, int epoch) {
        Random r = new Random(seed * 1_000_003L + epoch);
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        int[] dx = new int[n], dy = new int[n];
        boolean[] fl = new boolean[n];
        for (int i = 0; i < n; i++) {
            dx[i] = pad > 0 ? r.nextInt(2 * pad + 1) - pad : 0;
            dy[i] = pad > 0 ? r.nextInt(2 * pad + 1) - pad : 0;
            fl[i] = flip && r.nextBoolean();
        }
        return new Epoch(perm, dx, dy, fl);
    }

    final class Epoch {
        private final int[] perm;
        private final int[] dx;
        private final int[] dy;
        private final boolean[] flips;

        private Epoch(int[] perm, int[] dx, int[] dy, boolean[] flips) {
            this.perm = perm;
            this.dx = dx;
            this.dy = dy;
            this.flips = flips;
        }

        int batches() {
            return perEpoch();
        }

        int size(int b) {
            return Math.min(batchSize, n - b * batchSize);
        }

        long[] labels(int b, int[] y) {
            int s = size(b);
            long[] out = new long[s];
            for (int i = 0; i < s; i++) {
                out[i] = y[perm[b * batchSize + i]];
            }
            return out;
        }

        /** Batch {@code b} of {@code data} (NCHW), cropped (zero padding) and flipped. */
        float[] gather(int b, float[] data) {
            int s = size(b), per = c * h * w;
            float[] out = new float[s * per];
            for (int i = 0; i < s; i++) {
                int k = b * batchSize + i, src = perm[k] * per, dst = i * per;
                int ox = dx[k], oy = dy[k];
                boolean f = flips[k];
                for (int ch = 0; ch < c; ch++) {
                    for (int y = 0; y < h; y++) {
                        int sy = y + oy;
                        if (sy < 0 || sy >= h) {
                            continue;
                        }
                        for (int x = 0; x < w; x++) {
                            int sx = (f ? w - 1 - x : x) + ox;
                            if (sx >= 0 && sx < w) {
                                out[dst + (ch * h + y) * w + x] =
                                        data[src + (ch * h + sy) * w + sx];
                            }
                        }
                    }
                }
            }
            return out;
        }
    }
}
