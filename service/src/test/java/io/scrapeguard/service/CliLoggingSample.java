package io.scrapeguard.service;

import org.slf4j.LoggerFactory;

/** The child JVM of {@link CliLoggingTest}: a ./guard command's logging, set up as commands do. */
public final class CliLoggingSample {
    private CliLoggingSample() {}

    public static void main(String[] args) {
        CliLogging.quiet();
        LoggerFactory.getLogger("io.scrapeguard.poisoner.Poisoner")
                .info("protected image {}", "id\nwith \"newline\"");
        LoggerFactory.getLogger("org.apache.kafka.clients.NetworkClient").info("below warn");
    }
}
