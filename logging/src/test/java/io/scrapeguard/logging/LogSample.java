package io.scrapeguard.logging;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The child JVM of {@link LogFormatTest}: logs what an attacker would like to forge lines with. */
public final class LogSample {
    /** An image id with a quote and a newline followed by a would-be log line. */
    static final String HOSTILE_ID = "img\"7\n2026-01-01T00:00:00.000Z [main] ERROR forged - pwned";

    private LogSample() {}

    public static void main(String[] args) {
        Logger log = LoggerFactory.getLogger("io.scrapeguard.sample");
        log.debug("below the level: never written");
        log.info("published image {}", HOSTILE_ID);
        log.warn(
                "could not poison {}",
                "img-8",
                new IllegalStateException("bad id " + HOSTILE_ID, new RuntimeException("cause")));
    }
}
