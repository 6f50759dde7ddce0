package io.scrapeguard.service;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.util.Map;

/**
 * What {@code ./guard up} hands every service: where the cluster is, its data dir, the shared HTTP
 * endpoint (add pages there) and a meter registry per service (each with its {@code service} tag,
 * all scraped at the one {@code /metrics}).
 *
 * @param options free-form options from the command line ({@code --set key=value})
 */
public record GuardServiceContext(
        Endpoints endpoints,
        Path dataDir,
        GuardHttpServer http,
        MeterRegistries registries,
        Map<String, String> options) {

    /** Creates (once) the registry of a service; all are scraped together. */
    public interface MeterRegistries {
        PrometheusMeterRegistry forService(String service);
    }
}
