package io.scrapeguard.bench.pipeline;

import io.scrapeguard.imaging.Image8;
import java.util.SplittableRandom;

/** Photo-like test images (smooth gradients, texture, noise), encoded as PNG. */
final class BenchImages {
    private BenchImages() {}

    static byte[] png(int size, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double fx = 0.02 + rnd.nextDouble() * 0.2;
        double fy = 0.02 + rnd.nextDouble() * 0.2;
        int[] base = {40 + rnd.nextInt(170), 40 + rnd.nextInt(170), 40 + rnd.nextInt(170)};
        byte[] px = new byte[size * size * 3];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                for (int c = 0; c < 3; c++) {
                    double v =
                            base[c]
                                    + 35 * Math.sin(fx * x + c) * Math.cos(fy * y)
                                    + rnd.nextInt(7)
                                    - 3;
                    px[(y * size + x) * 3 + c] = (byte) Math.max(0, Math.min(255, Math.round(v)));
                }
            }
        }
        return Image8.of(size, size, 3, px).encodePng();
    }
}
