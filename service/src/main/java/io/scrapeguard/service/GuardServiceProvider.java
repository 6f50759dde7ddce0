package io.scrapeguard.service;

import java.util.Optional;

/**
 * Found by {@link java.util.ServiceLoader} ({@code
 * META-INF/services/io.scrapeguard.service.GuardServiceProvider}) on the classpath of {@code
 * ./guard up}: a module adds a service to {@code up} by shipping one.
 */
public interface GuardServiceProvider {
    /** Lower starts first; the poisoner is {@code 100}. */
    default int order() {
        return 1000;
    }

    /** The service for this run, or empty when it is switched off by the context's options. */
    Optional<GuardService> create(GuardServiceContext context);
}
