package io.scrapeguard.imaging;

/** How protected images are encoded. PNG is lossless: the perturbation is published intact. */
public enum OutputFormat {
    PNG("image/png"),
    JPEG("image/jpeg");

    private final String contentType;

    OutputFormat(String contentType) {
        this.contentType = contentType;
    }

    public String contentType() {
        return contentType;
    }
}
