package io.scrapeguard.imaging;

/**
 * How much fine texture an image has of its own: the median absolute Laplacian of its luma (BT.601
 * weights) over the interior pixels, in 8-bit levels (to 1/8 of a level, at most {@value #CAP}). A
 * photo's grain and detail give 10-33 (10th to 90th percentile of the CIFAR-10 test photos, median
 * 21); flat colours with a little sensor noise (the generated shapes, drawings, most artwork) 3-7.
 * The median ignores the few pixels on an edge, which flat artwork has too. A one-channel image is
 * its own luma. One pass and a histogram: the poisoner asks it of every small colour image.
 */
public final class FineTexture {
    /** The largest level told apart; any more texture reads as this. */
    public static final double CAP = 64;

    private static final int BINS_PER_LEVEL = 8;

    private FineTexture() {}

    /** The median absolute Laplacian of the luma, in levels; 0 for images under 3x3. */
    public static double level(Image8 image) {
        int h = image.height(), w = image.width(), c = image.channels();
        if (h < 3 || w < 3) {
            return 0;
        }
        byte[] px = image.pixelArray();
        // luma in thousandths of a level, exact in integers
        int[] y = new int[h * w];
        for (int i = 0; i < y.length; i++) {
            int p = i * c;
            y[i] =
                    c >= 3
                            ? 299 * (px[p] & 0xFF)
                                    + 587 * (px[p + 1] & 0xFF)
                                    + 114 * (px[p + 2] & 0xFF)
                            : 1000 * (px[p] & 0xFF);
        }
        int top = (int) CAP * BINS_PER_LEVEL;
        int[] histogram = new int[top + 1];
        int n = 0;
        for (int r = 1; r < h - 1; r++) {
            for (int x = 1; x < w - 1; x++) {
                int i = r * w + x;
                int lap = Math.abs(4 * y[i] - y[i - 1] - y[i + 1] - y[i - w] - y[i + w]);
                histogram[Math.min(top, lap * BINS_PER_LEVEL / 1000)]++;
                n++;
            }
        }
        int seen = 0;
        for (int b = 0; b <= top; b++) {
            seen += histogram[b];
            if (seen > n / 2) {
                return (double) b / BINS_PER_LEVEL;
            }
        }
        return CAP;
    }
}
