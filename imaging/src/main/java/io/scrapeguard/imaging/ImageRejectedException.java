package io.scrapeguard.imaging;

/** A data error: this image cannot be protected, for a reason people can act on. */
public final class ImageRejectedException extends Exception {
    private final RejectReason reason;

    public ImageRejectedException(RejectReason reason, String message) {
        super(message, null, false, false); // expected outcome: no stack trace to fill
        this.reason = reason;
    }

    public ImageRejectedException(RejectReason reason, String message, Throwable cause) {
        super(message, cause, false, false);
        this.reason = reason;
    }

    public RejectReason reason() {
        return reason;
    }
}
