package io.scrapeguard.service;

import java.time.Duration;
import picocli.CommandLine.Option;

/** How long a service may take to finish its in-flight work on Ctrl-C. A picocli mixin. */
public final class ShutdownOptions {
    @Option(
            names = "--shutdown-timeout",
            description =
                    "seconds to finish in-flight images on Ctrl-C (default: ${DEFAULT-VALUE})")
    long seconds = 20;

    public Duration timeout() {
        return Duration.ofSeconds(seconds);
    }
}
