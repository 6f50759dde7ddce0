package io.scrapeguard.imaging;

/**
 * Why an image is not published: the {@code reason} of a dead letter and the tag of {@code
 * guard.images.dead.lettered} (docs/metrics.md). The producer uses the same words in its summary.
 */
public enum RejectReason {
    CORRUPT_IMAGE("corrupt-image"),
    TRUNCATED_IMAGE("truncated-image"),
    UNSUPPORTED_FORMAT("unsupported-format"),
    EMPTY_PAYLOAD("empty-payload"),
    IMAGE_TOO_LARGE("image-too-large"),
    IMAGE_TOO_EXPENSIVE("image-too-expensive"),
    INVALID_LABEL("invalid-label"),
    OUTPUT_TOO_LARGE("output-too-large"),
    POISON_PILL("poison-pill"),
    UNKNOWN_LABEL("unknown-label"),
    BANK_EXHAUSTED("bank-exhausted"),
    BUDGET_SHORTFALL("budget-shortfall"),
    WEAK_COVERAGE("weak-coverage"),
    DESERIALIZATION_ERROR("deserialization-error"),
    PROCESSING_ERROR("processing-error");

    private final String tag;

    RejectReason(String tag) {
        this.tag = tag;
    }

    /** The metric tag / dead-letter reason, e.g. {@code corrupt-image}. */
    public String tag() {
        return tag;
    }

    public static RejectReason fromTag(String tag) {
        for (RejectReason r : values()) {
            if (r.tag.equals(tag)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown reject reason: " + tag);
    }

    @Override
    public String toString() {
        return tag;
    }
}
