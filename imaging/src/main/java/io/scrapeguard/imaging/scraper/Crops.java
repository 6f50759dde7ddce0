package io.scrapeguard.imaging.scraper;

import io.scrapeguard.imaging.Image8;

/** Rectangular crops of an image (alpha is dropped: scrapers train on colour). */
final class Crops {
    private Crops() {}

    static Image8 crop(Image8 img, int x0, int y0, int w, int h) {
        if (x0 == 0 && y0 == 0 && w == img.width() && h == img.height()) {
            return img;
        }
        if (x0 < 0 || y0 < 0 || x0 + w > img.width() || y0 + h > img.height()) {
            throw new IllegalArgumentException("crop outside the image");
        }
        int c = img.channels();
        byte[] src = img.pixelArray();
        byte[] out = new byte[w * h * c];
        for (int y = 0; y < h; y++) {
            System.arraycopy(src, ((y0 + y) * img.width() + x0) * c, out, y * w * c, w * c);
        }
        return Image8.wrap(w, h, c, out, null);
    }
}
