package io.scrapeguard.auditor;

import java.util.concurrent.CancellationException;

/** Lets a long audit stop at the next batch when its thread is interrupted (service shutdown). */
final class Cancel {
    private Cancel() {}

    static void check() {
        if (Thread.currentThread().isInterrupted()) {
            throw new CancellationException("audit cancelled");
        }
    }
}
