package io.scrapeguard.imaging;

/**
 * How protected images are encoded. PNG is lossless: the perturbation is published intact. JPEG is
 * what platforms serve for photos (a 12-megapixel PNG exceeds the topics' record limit); AUTO picks
 * JPEG for photos and PNG for small images, where JPEG's 8x8 blocks cost the most.
 */
public enum OutputFormat {
    PNG("image/png"),
    JPEG("image/jpeg"),
    AUTO(null);

    /** AUTO's threshold: images at least this large on the short side are photos (JPEG). */
    public static final int PHOTO_SHORT_SIDE = 128;

    private final String contentType;

    OutputFormat(String contentType) {
        this.contentType = contentType;
    }

    public String contentType() {
        if (contentType == null) {
            throw new IllegalStateException("AUTO has no content type; use forImage(w, h)");
        }
        return contentType;
    }

    /** The format an image of this size is written in (AUTO resolved; others unchanged). */
    public OutputFormat forImage(int width, int height) {
        if (this != AUTO) {
            return this;
        }
        return Math.min(width, height) >= PHOTO_SHORT_SIDE ? JPEG : PNG;
    }
}
