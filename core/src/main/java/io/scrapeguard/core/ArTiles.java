package io.scrapeguard.core;

/**
 * Covers an image with independent tile x tile AR generations of one process, each at unit RMS, so
 * that every region carries its share of the energy (the paper's processes grow towards the
 * bottom-right corner of a large image). Tile (ty, tx) is seeded by the id and its position.
 */
final class ArTiles {
    /** L2 = sqrt(H*W*C): root-mean-square 1 at any size. */
    static final Budget UNIT_RMS = Budget.l2(Math.sqrt(Budget.REFERENCE_VALUES));

    private ArTiles() {}

    /** Fills out (HWC) with unit-RMS tiles; one tile (plain Algorithm 2) when the image fits. */
    static void unitRmsInto(
            double[] out,
            ArProcess p,
            ImageSeeds seeds,
            String id,
            int height,
            int width,
            int channels,
            int tile) {
        ArGenerator gen = ArGenerator.forThread();
        if (height <= tile && width <= tile) {
            gen.generateInto(out, p, height, width, channels, seeds.gaussians(id), UNIT_RMS);
            return;
        }
        double[] part = new double[tile * tile * channels];
        for (int ty = 0; ty * tile < height; ty++) {
            for (int tx = 0; tx * tile < width; tx++) {
                int th = Math.min(tile, height - ty * tile);
                int tw = Math.min(tile, width - tx * tile);
                int n = th * tw * channels;
                double[] v = n == part.length ? part : new double[n];
                GaussianSource g = seeds.gaussians(id + "\u0000tile/" + ty + "/" + tx);
                gen.generateInto(v, p, th, tw, channels, g, UNIT_RMS);
                for (int y = 0; y < th; y++) {
                    System.arraycopy(
                            v,
                            y * tw * channels,
                            out,
                            ((ty * tile + y) * width + tx * tile) * channels,
                            tw * channels);
                }
            }
        }
    }
}
