package io.scrapeguard.service;

import picocli.CommandLine.Option;

/** Where a service serves {@code /metrics} and {@code /health/*}. A picocli mixin. */
public final class MetricsOptions {
    @Option(
            names = "--metrics-host",
            description = "address of /metrics and /health (default: ${DEFAULT-VALUE})")
    public String host = GuardHttpServer.DEFAULT_HOST;

    @Option(
            names = "--metrics-port",
            description =
                    "port of /metrics and /health; 0 = a free one (default: 9464 for up, 0"
                            + " otherwise)")
    public Integer port;

    public int portOr(int defaultPort) {
        return port == null ? defaultPort : port;
    }
}
