package io.scrapeguard.poisoner;

/**
 * Decoded pixels: the colour channels (1 grey or 3 RGB, 8-bit, row-major HWC) that get the
 * perturbation, and the alpha channel (or null) that is kept exactly as it was.
 */
public record DecodedImage(int width, int height, int channels, byte[] pixels, byte[] alpha) {
    public DecodedImage {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("1 or 3 colour channels, got " + channels);
        }
        if (pixels.length != width * height * channels) {
            throw new IllegalArgumentException("pixel buffer does not match " + width + "x" + height + "x" + channels);
        }
        if (alpha != null && alpha.length != width * height) {
            throw new IllegalArgumentException("alpha buffer does not match " + width + "x" + height);
        }
    }

    public DecodedImage withPixels(byte[] newPixels) {
        return new DecodedImage(width, height, channels, newPixels, alpha);
    }
}
