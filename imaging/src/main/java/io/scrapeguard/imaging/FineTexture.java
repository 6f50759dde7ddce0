package io.scrapeguard.imaging;

import java.util.Arrays;

/**
 * How much fine texture an image has of its own: the median absolute Laplacian of its luma (BT.601
 * weights) over the interior pixels, in 8-bit levels. A photo's grain and detail give 10-33 (10th
 * to 90th percentile of the CIFAR-10 test photos, median 21); flat colours with a little sensor
 * noise (the generated shapes, drawings, most artwork) 3-7. The median ignores the few pixels on an
 * edge, which flat artwork has too. A one-channel image is its own luma.
 */
public final class FineTexture {
    private FineTexture() {}

    /** The median absolute Laplacian of the luma, in levels; 0 for images under 3x3. */
    public static double level(Image8 image) {
        int h = image.height(), w = image.width(), c = image.channels();
        if (h < 3 || w < 3) {
            return 0;
        }
        byte[] px = image.pixelArray();
        double[] y = new double[h * w];
        for (int i = 0; i < y.length; i++) {
            int p = i * c;
            y[i] =
                    c >= 3
                            ? 0.299 * (px[p] & 0xFF)
                                    + 0.587 * (px[p + 1] & 0xFF)
                                    + 0.114 * (px[p + 2] & 0xFF)
                            : px[p] & 0xFF;
        }
        double[] lap = new double[(h - 2) * (w - 2)];
        int n = 0;
        for (int r = 1; r < h - 1; r++) {
            for (int x = 1; x < w - 1; x++) {
                int i = r * w + x;
                lap[n++] = Math.abs(4 * y[i] - y[i - 1] - y[i + 1] - y[i - w] - y[i + w]);
            }
        }
        Arrays.sort(lap);
        return lap[n / 2];
    }
}
