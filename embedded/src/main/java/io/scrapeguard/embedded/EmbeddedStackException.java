package io.scrapeguard.embedded;

/** The embedded stack could not start or stop; the message says what failed and what to do. */
public class EmbeddedStackException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EmbeddedStackException(String message) {
        super(message);
    }

    public EmbeddedStackException(String message, Throwable cause) {
        super(message, cause);
    }
}
