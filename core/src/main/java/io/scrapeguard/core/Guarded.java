package io.scrapeguard.core;

/** Small helpers for errors people read. */
final class Guarded {
    private Guarded() {}

    /** The exception's own words, or its type when it has none. */
    static String describe(Throwable e) {
        Throwable t = e;
        while (t.getMessage() == null && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }
}
