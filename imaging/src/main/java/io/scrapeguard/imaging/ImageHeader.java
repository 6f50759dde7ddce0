package io.scrapeguard.imaging;

/** What the header of an image says, read without decoding a pixel. */
public record ImageHeader(ImageFormat format, int width, int height, int channels) {
    public long pixels() {
        return (long) width * height;
    }
}
