package io.scrapeguard.core;

import io.scrapeguard.imaging.Image8;

/**
 * A picture of a method's perturbations: one row per class, a few images per row, each sample shown
 * as mid-grey + delta stretched to the full 8-bit range (perturbations themselves are too faint to
 * see). Lets people eyeball what each class's pattern looks like.
 */
public final class PerturbationSheet {
    private PerturbationSheet() {}

    public static Image8 render(
            PerturbationMethod method,
            int classes,
            int perRow,
            int height,
            int width,
            int channels,
            int zoom) {
        if (classes <= 0 || perRow <= 0 || zoom <= 0) {
            throw new IllegalArgumentException(
                    "classes, samples per row and zoom must be positive");
        }
        Shapes.check(height, width, channels);
        int gap = 2;
        int cellW = width * zoom + gap;
        int cellH = height * zoom + gap;
        int sheetW = perRow * cellW + gap;
        int sheetH = classes * cellH + gap;
        Shapes.check(sheetH, sheetW, channels);
        byte[] px = new byte[sheetW * sheetH * channels];
        java.util.Arrays.fill(px, (byte) 255);
        for (int k = 0; k < classes; k++) {
            for (int i = 0; i < perRow; i++) {
                Perturbation p =
                        method.perturbation(k, "sheet/" + k + "/" + i, height, width, channels);
                double m = p.linf();
                double scale = m > 0 ? 127.0 / m : 0;
                for (int y = 0; y < height * zoom; y++) {
                    for (int x = 0; x < width * zoom; x++) {
                        int oy = gap + k * cellH + y;
                        int ox = gap + i * cellW + x;
                        for (int c = 0; c < channels; c++) {
                            double v = 128 + scale * p.value(y / zoom, x / zoom, c);
                            px[(oy * sheetW + ox) * channels + c] =
                                    (byte) Math.max(0, Math.min(255, (int) Math.round(v)));
                        }
                    }
                }
            }
        }
        return Image8.of(sheetW, sheetH, channels, px);
    }
}
