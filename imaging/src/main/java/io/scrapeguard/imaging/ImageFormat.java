package io.scrapeguard.imaging;

/** The image formats ScrapeGuard takes in, recognised by their magic bytes (not file names). */
public enum ImageFormat {
    PNG("image/png"),
    JPEG("image/jpeg");

    private final String contentType;

    ImageFormat(String contentType) {
        this.contentType = contentType;
    }

    public String contentType() {
        return contentType;
    }
}
